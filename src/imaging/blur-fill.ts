// Blur pad: the source scaled to cover the frame, blurred hard and darkened, behind the margins.
// The blur runs on a ~64 px copy and is stretched bilinearly, so its cost barely depends on size.
import type { Size } from '../core/ratios'
import { boxBlur } from './box-blur'
import type { Margin } from './margins'
import { drawBilinear, shrinkToPremultiplied } from './resample'
import type { RgbaImage } from './rgba-image'

const BACKDROP_LONG_EDGE = 64
/** Three passes of radius 2 on 64 px: a Gaussian of about 4% of the frame's long edge. */
const BACKDROP_BLUR_RADIUS = 2
const BACKDROP_BRIGHTNESS = 0.7

/**
 * Paints the blurred cover into `margins` of `frame`.
 * `small` is a downscaled copy of the source (straight alpha, transparency kept), `sourceSize` the
 * source's full size, and `frameInSource` the frame's size measured in source pixels.
 */
export function drawBlurBackdrop(frame: RgbaImage, small: RgbaImage, sourceSize: Size, frameInSource: Size, margins: Margin[]): void {
  if (margins.length === 0) return
  const cover = Math.max(frameInSource.width / sourceSize.width, frameInSource.height / sourceSize.height)
  const k = small.width / sourceSize.width
  const regionWidth = (frameInSource.width / cover) * k
  const regionHeight = (frameInSource.height / cover) * k
  const region = {
    x: (small.width - regionWidth) / 2,
    y: (small.height - regionHeight) / 2,
    width: regionWidth,
    height: regionHeight
  }
  const landscape = frame.width >= frame.height
  const width = landscape ? BACKDROP_LONG_EDGE : Math.max(1, Math.round((BACKDROP_LONG_EDGE * frame.width) / frame.height))
  const height = landscape ? Math.max(1, Math.round((BACKDROP_LONG_EDGE * frame.height) / frame.width)) : BACKDROP_LONG_EDGE
  const backdrop = shrinkToPremultiplied(small, region, width, height)
  boxBlur(backdrop, BACKDROP_BLUR_RADIUS)
  for (const margin of margins) drawBilinear(frame, backdrop, margin, BACKDROP_BRIGHTNESS)
}
