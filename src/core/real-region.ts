// Where a frame can be made of real pixels. A layer that shows part of a larger image has more of the
// photo around it than it shows (core/visible-image.ts): the frame planned around the layer may lie
// wholly inside the photo (then the result is a crop of it and nothing is generated) or partly (then
// the engine is given the larger real region, and only what the photo really lacks is generated).
import type { Box, Size } from './ratios'

/** The real image's pixels in an output. */
export type RealPixels = {
  /** Where they go in the output (output pixels, whole): the whole output when no job is needed. */
  box: Box
  /**
   * The same region of the real image, as fractions of its width and height (0..1), so that it maps
   * onto the decoded image whatever its pixel size: x = from.x * image width, and so on.
   */
  from: Box
}

export type RealRegion = RealPixels & { whole: boolean }

/**
 * How near the real image must come to the frame's edges to make the whole frame: a sliver of
 * rounding (the frame is in hundredths of a unit, the output in whole pixels, the source snapped to a
 * pixel) is no reason to generate anything. The larger of 1.5 output pixels and 0.5% of the side.
 */
export const REAL_SLACK_PX = 1.5
export const REAL_SLACK_SHARE = 0.005

/**
 * The part of the output the real image covers. `available` is the real image's box in layer units
 * (the layer at 0, 0, width, height); `visible` is where the layer goes in the output (output pixels).
 * Undefined when the real image adds nothing to what the layer shows inside the frame.
 */
export function planRealRegion(available: Box, layer: Size, output: Size, visible: Box): RealRegion | undefined {
  const kx = visible.width / layer.width
  const ky = visible.height / layer.height
  const real = { x: visible.x + available.x * kx, y: visible.y + available.y * ky, width: available.width * kx, height: available.height * ky }
  const slackX = Math.max(REAL_SLACK_PX, REAL_SLACK_SHARE * output.width)
  const slackY = Math.max(REAL_SLACK_PX, REAL_SLACK_SHARE * output.height)
  const whole = real.x <= slackX && real.y <= slackY && real.x + real.width >= output.width - slackX && real.y + real.height >= output.height - slackY
  if (whole) {
    const [x, width] = spanInside(real.x, output.width, real.width)
    const [y, height] = spanInside(real.y, output.height, real.height)
    return { whole, box: { x: 0, y: 0, width: output.width, height: output.height }, from: { x, y, width, height } }
  }
  // the real image clipped to the frame, in whole output pixels inside both
  const x0 = Math.max(0, Math.ceil(real.x - 1e-6))
  const y0 = Math.max(0, Math.ceil(real.y - 1e-6))
  const x1 = Math.min(output.width, Math.floor(real.x + real.width + 1e-6))
  const y1 = Math.min(output.height, Math.floor(real.y + real.height + 1e-6))
  if (x1 <= x0 || y1 <= y0) return undefined
  // worth it only where it reaches a whole pixel past what the layer shows
  const reaches = x0 <= visible.x - 1 || y0 <= visible.y - 1 || x1 >= visible.x + visible.width + 1 || y1 >= visible.y + visible.height + 1
  if (!reaches) return undefined
  return {
    whole,
    box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 },
    from: { x: (x0 - real.x) / real.width, y: (y0 - real.y) / real.height, width: (x1 - x0) / real.width, height: (y1 - y0) / real.height }
  }
}

/**
 * The frame's span along one axis (0..size output pixels) as fractions of the real image lying at
 * `start`, `length` long: moved inside the image when it hangs over an edge by a sliver (a shift under
 * the slack, never a stretch), squeezed only when the frame is longer than the image.
 */
function spanInside(start: number, size: number, length: number): [offset: number, span: number] {
  const span = Math.min(1, size / length)
  return [Math.max(0, Math.min(1 - span, -start / length)), span]
}
