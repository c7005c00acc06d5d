// The frame a result gets: the smallest frame of the target ratio that contains the source's box at
// the same scale, so the original sits inside it unscaled and only new margin is added.
import { ratioValue, type RatioId, type Size } from './ratios'

/** Rounded up to 1/100 px so the frame never ends up a hair smaller than the source. */
function ceilHundredth(value: number): number {
  return Math.ceil(value * 100 - 1e-6) / 100
}

export function frameAroundSource(source: Size, ratio: RatioId): Size {
  if (!(source.width > 0 && source.height > 0)) {
    throw new RangeError(`A source must have a size to be reframed (got ${source.width}×${source.height})`)
  }
  const target = ratioValue(ratio)
  const aspect = source.width / source.height
  if (aspect >= target) {
    // wider than the target: keep the width, add height
    return { width: source.width, height: ceilHundredth(source.width / target) }
  }
  return { width: ceilHundredth(source.height * target), height: source.height }
}
