// One output image described as data: an output size and layers drawn in order, each a region of a
// decoded input scaled into a box, optionally mirrored, blurred, darkened or feathered. Pure: the
// offline engine, result preparation and compositing the original back all describe their output this
// way, and a platform backend (sharp in Node, canvas in the browser) draws it natively in one pass.
import type { EncodedImage } from '../core/image-header'
import type { Box } from '../core/ratios'
import type { RgbaImage } from './rgba-image'

/** The decoded inputs a recipe may draw: the designer's source image and a provider's result. */
export type PictureId = 'source' | 'result'

export type Edge = 'top' | 'right' | 'bottom' | 'left'

export type Layer = {
  picture: PictureId
  /** Region of the input, in its upright pixels (fractions allowed). */
  from: Box
  /**
   * Where the region lands, in output pixels (fractions allowed; may reach outside the output, which
   * clips). A blurred layer should overreach the output by about 3 blur radii so that both backends
   * agree at the output's edges.
   */
  to: Box
  /** Mirror the region left-right (`x`) and/or top-bottom (`y`) before drawing it. */
  flip?: { x?: boolean; y?: boolean }
  /** Gaussian blur, standard deviation in output pixels. A backend may blur a smaller copy and scale it up. */
  blur?: number
  /** RGB multiplier 0..1 (a darkened backdrop). */
  brightness?: number
  /**
   * Soft edges: on each edge named, alpha rises linearly from 0 at the edge of `to` to 1 at `width`
   * output pixels inside it. Edges on the output's border need none.
   */
  feather?: { width: number; edges: readonly Edge[] }
}

export type RenderRecipe = {
  width: number
  height: number
  /** Drawn in order over a transparent output (JPEG output is flattened on white). */
  layers: readonly Layer[]
  format: 'png' | 'jpeg'
}

/** A decoded, upright image held by a backend (an ImageBitmap, a sharp-decoded buffer, ...). */
export type Picture = { readonly width: number; readonly height: number }

/** What each platform supplies: decode once, read a small copy for analysis, draw recipes natively. */
export interface ImageBackend {
  /**
   * Decodes PNG, JPEG, WebP or GIF (first frame), upright (EXIF orientation applied). Rejects with a
   * ReframeError of kind 'decode' when the bytes are not a readable image.
   */
  decode(bytes: Uint8Array): Promise<Picture>
  /** The picture scaled down (never up) so its long edge is at most `maxEdge`, as straight-alpha RGBA. */
  analysis(picture: Picture, maxEdge: number): Promise<RgbaImage>
  /** Draws one recipe and encodes it. */
  render(recipe: RenderRecipe, pictures: Partial<Record<PictureId, Picture>>): Promise<EncodedImage>
  /** Frees a picture's memory early (optional; pictures are otherwise garbage-collected). */
  release?(picture: Picture): void
}
