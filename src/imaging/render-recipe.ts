// One output image described as data: an output size and layers drawn in order, each a region of a
// decoded input scaled into a box, optionally mirrored, blurred, darkened or feathered. Pure: the
// offline engine, result preparation and compositing the original back all describe their output this
// way, and a platform backend (sharp in Node, canvas in the browser) draws it natively in one pass.
import type { EncodedImage, ImageHeader } from '../core/image-header'
import { isWholeOf } from '../core/bounding-box'
import type { Box } from '../core/ratios'
import type { SizeId } from '../core/sizes'
import type { RgbaImage } from './rgba-image'

/** JPEG quality for every encoder, so both backends give comparable files. */
export const JPEG_QUALITY = 0.92

/** The decoded inputs a recipe may draw: the designer's source image and a provider's result. */
export type PictureId = 'source' | 'result'

export type Edge = 'top' | 'right' | 'bottom' | 'left'

/**
 * Both backends snap `from` and `to` to whole pixels (each edge rounded to the nearest pixel), so that
 * they draw exactly the same boxes; a recipe that needs pixel-exact output uses whole numbers anyway.
 */
export type Layer = {
  picture: PictureId
  /** Region of the input, in its upright pixels (clamped to the picture). */
  from: Box
  /** Where the region lands, in output pixels (may reach outside the output, which clips). */
  to: Box
  /** Mirror the region left-right (`x`) and/or top-bottom (`y`) before drawing it. */
  flip?: { x?: boolean; y?: boolean }
  /**
   * Gaussian blur, standard deviation in output pixels, of the layer as drawn into `to`, with its
   * edges extended outwards (so a blurred opaque layer stays opaque up to the edges of `to`). Backends
   * blur a copy reduced to a few pixels per sigma (`planBlur`) and scale it up.
   */
  blur?: number
  /** RGB multiplier 0..1 (a darkened backdrop); alpha is kept. */
  brightness?: number
  /**
   * Soft edges: on each edge named, alpha is multiplied by a ramp rising linearly from 0 at that edge
   * of `to` to 1 at `width` output pixels inside it (measured at pixel centres); where edges meet, the
   * ramps multiply. Edges on the output's border need none. `height`, when given, is the ramp's width
   * for the top and bottom edges (a corner piece whose two strips differ in depth).
   */
  feather?: { width: number; height?: number; edges: readonly Edge[] }
  /**
   * Colour matching of what lies beneath, outside each edge named (`seam-match.ts`): once the recipe is
   * drawn, the pixels within `width` output px outside that edge of `to` are shifted in colour to meet
   * this layer's own pixels there, the shift fading to nothing `width` px out. The layer's own pixels
   * are never changed. For the top layer of a recipe (compositing puts the original last).
   */
  match?: { width: number; edges: readonly Edge[]; /** Pixels next to the edge replaced, not shifted (`SeamMatch.fringe`). */ fringe?: number }
}

export type RenderRecipe = {
  width: number
  height: number
  /** Drawn in order over a transparent output (JPEG output is flattened on white). */
  layers: readonly Layer[]
  format: 'png' | 'jpeg'
  /** JPEG quality 0..1 (default JPEG_QUALITY, 0.92); ignored for PNG. */
  quality?: number
}

/**
 * Whether `recipe` draws the source file exactly as it is: one plain layer (the whole picture, at its
 * own size, over the whole output) in the file's own format, from a file stored upright. A size of the
 * photo's own shape is then the file itself, with no decode-and-encode loss and no work; a turned
 * file, a WebP or GIF, and any scaling, crop or effect are drawn.
 */
export function drawsFileAsItIs(recipe: RenderRecipe, picture: Picture, file: Pick<ImageHeader, 'format' | 'width' | 'height' | 'orientation'>): boolean {
  if (recipe.layers.length !== 1 || file.orientation !== 1 || file.format !== recipe.format) return false
  const [layer] = recipe.layers
  const plain = layer.picture === 'source' && layer.flip === undefined && layer.blur === undefined && layer.brightness === undefined && layer.feather === undefined && layer.match === undefined
  const ownSize = recipe.width === picture.width && recipe.height === picture.height && file.width === picture.width && file.height === picture.height
  return plain && ownSize && isWholeOf(layer.from, picture) && isWholeOf(layer.to, picture)
}

/** A decoded, upright image held by a backend (an ImageBitmap, a sharp-decoded buffer, ...). */
export type Picture = {
  readonly width: number
  readonly height: number
  /** The file can carry transparency (from its header, the same answer on every platform). */
  readonly hasAlpha: boolean
}

/** What each platform supplies: decode once, read a small copy for analysis, draw recipes natively. */
export interface ImageBackend {
  /**
   * Decodes PNG, JPEG, WebP or GIF (first frame), upright (EXIF orientation applied). Rejects with a
   * ReframeError of kind 'decode' when the bytes are not a readable image, and with its subclass
   * DamagedImageError ("This image is a damaged JPEG: the file ends early.") when they are a damaged
   * file (`image-damage.ts`), which no decoder is allowed to draw half of.
   */
  decode(bytes: Uint8Array): Promise<Picture>
  /**
   * The picture scaled down (never up) so its long edge is at most `maxEdge` (size from `fitWithin` in core/reframe-plan),
   * as straight-alpha RGBA, area-averaged by the same code on every platform (`createAreaShrinker`):
   * analysis made from it, and the crop windows chosen on it, are the same in the browser and in Node.
   */
  analysis(picture: Picture, maxEdge: number): Promise<RgbaImage>
  /**
   * The picture scaled down (never up) to `fitWithin(picture, maxEdge)` by the platform's own scaler
   * (sharp's resize, a canvas's high-quality drawImage), as straight-alpha RGBA: the copies a hosted
   * result is located on. Not the same bytes on every platform (locating needs no identical copies,
   * only antialiased ones), and far cheaper than `analysis` in a browser, which reads every pixel back.
   */
  locateCopy(picture: Picture, maxEdge: number): Promise<RgbaImage>
  /** Draws one recipe and encodes it (JPEG flattened on white). */
  render(recipe: RenderRecipe, pictures: Partial<Record<PictureId, Picture>>): Promise<EncodedImage>
  /** Frees a picture's memory early (optional; pictures are otherwise garbage-collected). */
  release?(picture: Picture): void
  /**
   * The smart-crop window of `size` in the picture (optional): a backend that keeps its pictures
   * elsewhere (the plugin window's image worker) chooses it there, with `smartCropBox` on its own
   * analysis copy, so the scoring does not run on the caller's thread. Same code, same window.
   */
  cropWindow?(picture: Picture, size: SizeId): Promise<Box>
}
