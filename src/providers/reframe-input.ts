// The model input every host takes under the same names: the image (each host names its field), the
// native aspect ratio, the prompt, and the box the source is placed into.
import { isNativeRatio, NATIVE_OUTPUT_SIZES, nativeRatioForAspect, type Box, type NativeRatio } from '../core/ratios'
import { fitBox } from '../core/reframe-plan'
import { sizeAspect, type SizeId } from '../core/sizes'
import { ReframeError } from '../core/reframe-error'
import type { EncodedImage } from '../core/image-header'
import type { ReframeOptions, UploadedSource } from './provider'

/** Hosted providers accept the native ratios only; presets are requested as their native ratio. */
export function nativeRatioOf(source: EncodedImage, size: SizeId): NativeRatio {
  return isNativeRatio(size) ? size : nativeRatioForAspect(sizeAspect(size), source.width / source.height)
}

/**
 * The box inputs (`x_start`...`y_end`, output pixels, whole numbers). The plan's `sourceBox` is sent for
 * every job, centred ones included; without one, only a source pinned to the start or end of the
 * extended axis gets a box (centre is the hosts' own default). The meaning of these fields is only
 * known from third-party code (reframe-apis.md).
 */
export function boxInput(source: EncodedImage, ratio: NativeRatio, options?: Pick<ReframeOptions, 'sourceBox' | 'placement'>): Record<string, number> {
  const placement = options?.placement
  const box: Box | undefined =
    options?.sourceBox ?? (placement && placement !== 'center' ? fitBox(NATIVE_OUTPUT_SIZES[ratio], source.width / source.height, placement) : undefined)
  if (!box) return {}
  if (![box.x, box.y, box.width, box.height].every(Number.isFinite) || box.width <= 0 || box.height <= 0) {
    throw new ReframeError('invalid-input', `The source box (${box.x}, ${box.y}, ${box.width} x ${box.height}) is not a box.`)
  }
  return {
    x_start: Math.round(box.x),
    x_end: Math.round(box.x + box.width),
    y_start: Math.round(box.y),
    y_end: Math.round(box.y + box.height)
  }
}

/** The model input, with the host's own name for the image field. */
export function reframeInput(
  imageField: 'image_url' | 'image',
  uploaded: UploadedSource,
  native: NativeRatio,
  options?: ReframeOptions
): Record<string, unknown> {
  return {
    [imageField]: uploaded.url,
    aspect_ratio: native,
    ...(options?.prompt ? { prompt: options.prompt } : {}),
    ...boxInput(uploaded.source, native, options)
  }
}
