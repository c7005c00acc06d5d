// Pixel sizes for the offline engine: the crop window, the fill frame, and the 4096 px output cap,
// each with the target ratio exact to within 1 px.
import { ratioValue, type Placement, type RatioId, type Size } from '../core/ratios'

/** Longest edge the engine ever writes. */
export const MAX_OUTPUT_EDGE = 4096

/** The largest window of `ratio` that fits inside `source` (crop mode: never larger than the source). */
export function cropWindowSize(source: Size, ratio: RatioId): Size {
  const t = ratioValue(ratio)
  if (source.width / source.height > t) {
    return { width: clampInt(Math.round(source.height * t), 1, source.width), height: source.height }
  }
  return { width: source.width, height: clampInt(Math.round(source.width / t), 1, source.height) }
}

/** The smallest frame of `ratio` that holds all of `source` at full size (fill mode). */
export function fillFrameSize(source: Size, ratio: RatioId): Size {
  const t = ratioValue(ratio)
  if (source.width / source.height < t) {
    return { width: Math.max(source.width, Math.round(source.height * t)), height: source.height }
  }
  return { width: source.width, height: Math.max(source.height, Math.round(source.width / t)) }
}

/** `size` (of `ratio`) scaled down so its long edge is at most `maxEdge`; unchanged when it already fits. */
export function capLongEdge(size: Size, ratio: RatioId, maxEdge = MAX_OUTPUT_EDGE): Size {
  if (Math.max(size.width, size.height) <= maxEdge) return size
  const t = ratioValue(ratio)
  if (size.width >= size.height) return { width: maxEdge, height: clampInt(Math.round(maxEdge / t), 1, maxEdge) }
  return { width: clampInt(Math.round(maxEdge * t), 1, maxEdge), height: maxEdge }
}

/** `size` scaled (never up) so its long edge is at most `maxEdge`, each side rounded, at least 1 px. */
export function fitLongEdge(size: Size, maxEdge: number): Size {
  const scale = Math.min(1, maxEdge / Math.max(size.width, size.height))
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) }
}

/** Offset of something `free` px smaller than its container, at `placement` (integer px). */
export function alignOffset(free: number, placement: Placement): number {
  if (placement === 'start') return 0
  if (placement === 'end') return free
  return Math.floor(free / 2)
}

function clampInt(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value))
}
