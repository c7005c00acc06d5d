// Makes a provider's result acceptable to figma.createImage: presets cropped from the generated margin,
// formats other than PNG/JPEG converted, anything over 4096 px scaled down. The pixel work itself is
// behind ImageProcessor (canvas in the plugin, sharp in Node) so this decision logic runs anywhere.
import { presetCrop, type Box, type NativeRatio, type Placement, type RatioId } from '../../src/core/ratios'
import type { EncodedImage } from '../../src/providers/provider'

/** figma.createImage rejects anything larger on either side. */
export const FIGMA_MAX_EDGE = 4096

export type ProcessOptions = {
  /** Window to keep, in pixels of the input. */
  crop?: Box
  /** Long edge of the output is scaled down to this; never up. */
  maxEdge: number
  format: 'png' | 'jpeg'
}

export interface ImageProcessor {
  process(image: EncodedImage, options: ProcessOptions): Promise<EncodedImage>
}

export type ResultPlan = {
  /** The size the designer asked for. */
  target: RatioId
  /** The ratio the provider was asked to generate (differs from target for presets on hosted providers). */
  requested: NativeRatio | RatioId
  /** Width / height of the uploaded source. */
  sourceAspect: number
  placement: Placement
}

export async function prepareResult(
  image: EncodedImage,
  plan: ResultPlan,
  processor: ImageProcessor,
  maxEdge = FIGMA_MAX_EDGE
): Promise<EncodedImage> {
  const crop =
    plan.requested === plan.target
      ? undefined
      : presetCrop({ width: image.width, height: image.height }, plan.target, plan.sourceAspect, plan.placement)
  const width = crop?.width ?? image.width
  const height = crop?.height ?? image.height
  const convert = image.format !== 'png' && image.format !== 'jpeg'
  if (crop === undefined && !convert && Math.max(width, height) <= maxEdge) return image
  // JPEG stays JPEG (photos, smaller for main to hand to Figma); everything else becomes lossless PNG.
  const format = image.format === 'jpeg' ? 'jpeg' : 'png'
  return processor.process(image, { crop, maxEdge, format })
}

/** Output size after scaling `size` so its long edge is at most `maxEdge`, keeping the ratio. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}
