// Real pixels for a reframe, drawn from the original photo the layer shows part of: the whole output
// when the photo covers the frame (no job), or the larger real region an engine is given as its source.
// A region of the photo's own pixels, scaled only when the output's density asks for it; the photo's
// own bytes, untouched, when the output is the whole photo at its own size.
import type { EncodedImage } from '../core/image-header'
import type { Size } from '../core/ratios'
import type { RealPixels } from '../core/real-region'
import type { ImageBackend, Picture, RenderRecipe } from './render-recipe'

/** Under this share of a pixel, a fraction of the photo is its edge (0 or 1): floating-point dust. */
const EDGE_EPSILON = 1e-6

/** `real.from` (fractions of the photo) drawn over a whole image of `size` pixels. */
export function realRegionRecipe(from: RealPixels['from'], picture: Size, size: Size, format: RenderRecipe['format']): RenderRecipe {
  return {
    width: size.width,
    height: size.height,
    layers: [
      {
        picture: 'source',
        from: { x: from.x * picture.width, y: from.y * picture.height, width: from.width * picture.width, height: from.height * picture.height },
        to: { x: 0, y: 0, width: size.width, height: size.height }
      }
    ],
    format
  }
}

/** Whether `from` is the whole photo. */
export function isWholePhoto(from: RealPixels['from']): boolean {
  return Math.abs(from.x) < EDGE_EPSILON && Math.abs(from.y) < EDGE_EPSILON && Math.abs(from.width - 1) < EDGE_EPSILON && Math.abs(from.height - 1) < EDGE_EPSILON
}

/**
 * The region `from` of the photo as an image of `size` pixels: the photo's bytes as they are when that
 * is the whole photo at its own size (PNG or JPEG), otherwise drawn by the backend (JPEG for an opaque
 * JPEG photo, PNG for anything that may carry transparency).
 */
export async function renderRealRegion(backend: ImageBackend, photo: EncodedImage, picture: Picture, from: RealPixels['from'], size: Size): Promise<EncodedImage> {
  // (the photo's recorded size must be its upright one too: a file stored turned is drawn, never passed on)
  const ownSize = picture.width === size.width && picture.height === size.height && photo.width === size.width && photo.height === size.height
  if (ownSize && isWholePhoto(from) && (photo.format === 'png' || photo.format === 'jpeg')) return photo
  const format = photo.format === 'jpeg' && !picture.hasAlpha ? 'jpeg' : 'png'
  return backend.render(realRegionRecipe(from, picture, size, format), { source: picture })
}
