// Presets on hosted providers: the host generates the nearest wider/taller native ratio, and this
// crops only generated margin away so the result has the preset's exact ratio.
import { isNativeRatio, presetCrop, type Placement, type RatioId } from '../core/ratios'
import type { EncodedImage } from '../providers/provider'
import type { ImageCodec } from './codec'
import { cropRgba } from './rgba-image'

/** `generated` unchanged for a native target; otherwise its preset crop, in the same format family. */
export async function cropToPreset(
  codec: ImageCodec,
  generated: EncodedImage,
  target: RatioId,
  sourceAspect: number,
  placement: Placement = 'center'
): Promise<EncodedImage> {
  if (isNativeRatio(target)) return generated
  const pixels = await codec.decode(generated.bytes)
  const box = presetCrop(pixels, target, sourceAspect, placement)
  const format = generated.format === 'jpeg' ? 'jpeg' : 'png'
  const bytes = await codec.encode(cropRgba(pixels, box), format)
  return { bytes, width: box.width, height: box.height, format }
}
