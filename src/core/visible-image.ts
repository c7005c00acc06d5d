// Where the whole image file lies around what a layer shows. A FILL paint on a layer of another shape,
// or a CROP, shows part of a larger image: the rest is real pixels a reframe can use before it invents
// any. Pure maths on the paint, the image's size and the layer, the same for the selection (to count
// the jobs a run will send) and the export (to send the real pixels).
import { whatTheLayerAdds, type ExportFacts } from './export-plan'
import type { Box, Size } from './ratios'

/** What decides whether the image around a layer is plainly real pixels: the layer's look, the paint and the file. */
export type ImageExtentFacts = Pick<
  ExportFacts,
  'layer' | 'rotation' | 'opacity' | 'cornerRadius' | 'hasChildren' | 'hasVisibleEffects' | 'hasVisibleStrokes' | 'otherVisiblePaints' | 'paint'
> & {
  /** The image as Figma lays it out (its own size); `orientation` when the file was read (1 = stored upright). */
  image: (Size & { orientation?: number }) | null
}

/**
 * Why the pixels around what the layer shows are not simply the image file's (then a reframe makes
 * them as it always did), or null when they are. Anything a render would apply and the file does not
 * carry (filters, opacity, rotation, rounding, strokes, effects, other fills, children drawn over it)
 * rules them out: the real pixels must look exactly like what the layer shows, only more of them.
 */
export function whyNoRealExtent(facts: ImageExtentFacts): string | null {
  const { paint, image } = facts
  if (image === null) return 'the original image is unavailable'
  // where Figma shows a turned file is not known for sure; only a render is certainly what it shows
  if ((image.orientation ?? 1) !== 1) return 'the file is stored turned (EXIF orientation)'
  if (paint.scaleMode === 'FIT') return 'FIT shows the whole image'
  if (paint.scaleMode === 'TILE') return 'a tiled image repeats'
  if (paint.scaleMode === 'CROP' && paint.imageTransform === undefined) return 'the crop has no transform'
  if (Math.round((paint.rotation ?? 0) / 90) % 4 !== 0) return 'the paint turns the image'
  return whatTheLayerAdds(facts)
}

/**
 * The box the whole image file covers, in the layer's own units with the layer at (0, 0, width,
 * height): larger than the layer where the paint hides part of the image. Null when the image around
 * the layer is not plainly real pixels (`whyNoRealExtent`), when the layer shows all of it (under an
 * image pixel hidden on every side), or when the layer shows something beyond the image's edge.
 */
export function realImageExtent(facts: ImageExtentFacts): Box | null {
  if (whyNoRealExtent(facts) !== null || facts.image === null) return null
  const { layer, image, paint } = facts
  const extent = paint.scaleMode === 'FILL' ? fillExtent(layer, image) : cropExtent(layer, paint.imageTransform)
  if (extent === null || !(extent.width > 0 && extent.height > 0)) return null
  const slack = 1e-6 * Math.max(layer.width, layer.height)
  const covers =
    extent.x <= slack && extent.y <= slack && extent.x + extent.width >= layer.width - slack && extent.y + extent.height >= layer.height - slack
  if (!covers) return null
  // image pixels hidden on each side of the layer
  const perUnitX = image.width / extent.width
  const perUnitY = image.height / extent.height
  const hidden = [-extent.x * perUnitX, -extent.y * perUnitY, (extent.x + extent.width - layer.width) * perUnitX, (extent.y + extent.height - layer.height) * perUnitY]
  return hidden.some((pixels) => pixels >= 1) ? extent : null
}

/** FILL scales the image to cover the layer and centres it. */
function fillExtent(layer: Size, image: Size): Box {
  const scale = Math.max(layer.width / image.width, layer.height / image.height)
  const width = image.width * scale
  const height = image.height * scale
  return { x: (layer.width - width) / 2, y: (layer.height - height) / 2, width, height }
}

/**
 * CROP: imageTransform maps the layer's unit square into the image's (the convention of nativeDensity
 * in export-plan.ts): u_image = a * u + c, v_image = e * v + f. The image's unit square, brought back
 * into layer units. A skewed or turned transform has no box: null.
 */
function cropExtent(layer: Size, transform: ExportFacts['paint']['imageTransform']): Box | null {
  if (transform === undefined) return null
  const [[a, b, c], [d, e, f]] = transform
  if (Math.abs(b) > 1e-6 || Math.abs(d) > 1e-6 || !(a > 1e-9 && e > 1e-9)) return null
  return { x: (-c / a) * layer.width, y: (-f / e) * layer.height, width: layer.width / a, height: layer.height / e }
}
