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
