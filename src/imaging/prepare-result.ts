// Makes a provider's result acceptable to figma.createImage before it goes to main: presets cropped
// from the generated margin (never the source), formats other than PNG/JPEG converted, anything over
// 4096 px scaled down. Pixel work goes through the platform's ImageCodec (canvas in the plugin, sharp
// in Node), so this runs the same in both; a result that needs nothing is passed through untouched.
import { presetCrop, type NativeRatio, type Placement, type RatioId } from '../core/ratios'
import type { ImageCodec } from './codec'
import { resampleArea } from './resample'
import { cropRgba } from './rgba-image'
import type { EncodedImage } from '../core/image-header'

/** figma.createImage rejects anything larger on either side. */
export const FIGMA_MAX_EDGE = 4096

export type ResultPlan = {
  /** The size the designer asked for. */
  target: RatioId
  /** The ratio the provider generated (a wider/taller native one for presets on hosted providers). */
  requested: NativeRatio | RatioId
  /** Width / height of the uploaded source. */
  sourceAspect: number
  placement: Placement
}

/** Size after scaling so the long edge is at most `maxEdge`; never enlarges. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

export async function prepareResult(
  image: EncodedImage,
  plan: ResultPlan,
  codec: ImageCodec,
  maxEdge = FIGMA_MAX_EDGE
): Promise<EncodedImage> {
  const crop = plan.requested !== plan.target
  const convert = image.format !== 'png' && image.format !== 'jpeg'
  if (!crop && !convert && Math.max(image.width, image.height) <= maxEdge) return image
  let pixels = await codec.decode(image.bytes)
  // the crop is computed on the decoded size: a host may not return the size it advertises
  if (crop) pixels = cropRgba(pixels, presetCrop(pixels, plan.target, plan.sourceAspect, plan.placement))
  const out = fitWithin(pixels.width, pixels.height, maxEdge)
  if (out.width !== pixels.width || out.height !== pixels.height) pixels = resampleArea(pixels, out.width, out.height)
  // JPEG stays JPEG (photos; smaller for main to hand to Figma); WebP, GIF and PNG become lossless PNG
  const format = image.format === 'jpeg' ? 'jpeg' : 'png'
  const bytes = await codec.encode(pixels, format)
  return { bytes, width: pixels.width, height: pixels.height, format }
}
