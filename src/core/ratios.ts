// Aspect ratios: the seven the model accepts, the presets users ask for, and how a preset is made
// from a native ratio (generate a wider/taller image, then crop only generated margin away).

export const NATIVE_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21'] as const
export const PRESET_RATIOS = ['4:5', '2:3', '3:2', '1.91:1'] as const
export const RATIO_IDS = [...NATIVE_RATIOS, ...PRESET_RATIOS] as const
export const DEFAULT_RATIOS: RatioId[] = ['1:1', '9:16', '16:9']

export type NativeRatio = (typeof NATIVE_RATIOS)[number]
export type RatioId = (typeof RATIO_IDS)[number]

export type Size = { width: number; height: number }
export type Box = { x: number; y: number; width: number; height: number }
/** Where the original sits in the new frame, along the axis that is extended. */
export type Placement = 'center' | 'start' | 'end'

/** Output pixels reported for Photon reframe per native ratio (reframe-apis.md, [3rd]). */
export const NATIVE_OUTPUT_SIZES: Record<NativeRatio, Size> = {
  '1:1': { width: 1536, height: 1536 },
  '4:3': { width: 1792, height: 1344 },
  '3:4': { width: 1344, height: 1792 },
  '16:9': { width: 2048, height: 1152 },
  '9:16': { width: 1152, height: 2048 },
  '21:9': { width: 2432, height: 1024 },
  '9:21': { width: 1024, height: 2432 }
}

export function isNativeRatio(id: string): id is NativeRatio {
  return (NATIVE_RATIOS as readonly string[]).includes(id)
}

export function isRatioId(id: string): id is RatioId {
  return (RATIO_IDS as readonly string[]).includes(id)
}

/** Width divided by height. */
export function ratioValue(id: RatioId): number {
  const [w, h] = id.split(':').map(Number)
  return w / h
}

/** `9:16` -> `9x16`, `1.91:1` -> `1.91x1` (file names). */
export function ratioSlug(id: RatioId): string {
  return id.replace(':', 'x')
}

/**
 * The native ratio to request for a target, given the source's aspect (width / height).
 * A native target is requested as is. A preset is made by requesting the nearest native ratio that
 * extends further along the axis the source is extended on, so that cropping back to the preset only
 * removes generated margin. When the source already has the target's shape either side works; the
 * nearest native on the target's own side of 1:1 is used.
 */
export function nativeRatioFor(target: RatioId, sourceAspect: number): NativeRatio {
  if (isNativeRatio(target)) return target
  return nativeRatioForAspect(ratioValue(target), sourceAspect)
}

/** nativeRatioFor, for any target aspect (a platform preset's): an exact native match is used as is. */
export function nativeRatioForAspect(t: number, sourceAspect: number): NativeRatio {
  const exact = NATIVE_RATIOS.find((n) => Math.abs(ratioValue(n) - t) < 1e-9)
  if (exact !== undefined) return exact
  const natives = [...NATIVE_RATIOS].sort((a, b) => ratioValue(a) - ratioValue(b))
  const extendsWidth = sourceAspect < t || (Math.abs(sourceAspect - t) < 1e-9 && t >= 1)
  if (extendsWidth) {
    // the source is taller than the target: generate a wider image, crop its sides
    return natives.find((n) => ratioValue(n) >= t) ?? natives[natives.length - 1]
  }
  return [...natives].reverse().find((n) => ratioValue(n) <= t) ?? natives[0]
}

/** The box a source of `sourceAspect` occupies when fitted inside `frame` (contain) at `placement`. */
export function fitBox(frame: Size, sourceAspect: number, placement: Placement = 'center'): Box {
  const frameAspect = frame.width / frame.height
  let width = frame.width
  let height = frame.height
  if (sourceAspect > frameAspect) height = frame.width / sourceAspect
  else width = frame.height * sourceAspect
  return {
    x: align(frame.width - width, placement),
    y: align(frame.height - height, placement),
    width,
    height
  }
}

/**
 * The crop (in pixels of the generated image) that turns a native-ratio result into `target`:
 * the largest window of the target ratio, placed so that the source (fitted at `placement`) stays
 * whole inside it. Integer pixels; the output ratio is exact within 1 px.
 */
export function presetCrop(
  generated: Size,
  target: RatioId,
  sourceAspect: number,
  placement: Placement = 'center'
): Box {
  const t = ratioValue(target)
  const g = generated.width / generated.height
  const source = fitBox(generated, sourceAspect, placement)
  if (Math.abs(g - t) < 1e-9) return { x: 0, y: 0, width: generated.width, height: generated.height }
  if (g > t) {
    const width = Math.min(generated.width, Math.round(generated.height * t))
    const x = clampWindow(source.x, source.width, width, generated.width, placement)
    return { x, y: 0, width, height: generated.height }
  }
  const height = Math.min(generated.height, Math.round(generated.width / t))
  const y = clampWindow(source.y, source.height, height, generated.height, placement)
  return { x: 0, y, width: generated.width, height }
}

/** Output pixels a hosted provider gives for a target ratio (native size, or its preset crop). */
export function hostedOutputSize(target: RatioId, sourceAspect: number): Size {
  const native = NATIVE_OUTPUT_SIZES[nativeRatioFor(target, sourceAspect)]
  // a native result is used as generated: 21:9 comes back as 2432x1024 (2.375), not cropped to 2.333
  if (isNativeRatio(target)) return { ...native }
  const crop = presetCrop(native, target, sourceAspect)
  return { width: crop.width, height: crop.height }
}

function align(free: number, placement: Placement): number {
  if (placement === 'start') return 0
  if (placement === 'end') return free
  return free / 2
}

/** Start of a window of `size` along an axis of `total`, containing [start, start+length] when it can. */
function clampWindow(start: number, length: number, size: number, total: number, placement: Placement): number {
  const free = size - length
  const preferred = placement === 'start' ? start : placement === 'end' ? start - free : start - free / 2
  return Math.round(Math.max(0, Math.min(total - size, preferred)))
}
