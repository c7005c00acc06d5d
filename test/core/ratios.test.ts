// Ratios: the native ones and the presets, and which native ratio a preset is made from (the crop of
// the generated margin is the reframe plan's, tested in reframe-plan.test.ts).
import { describe, expect, it } from 'vitest'
import { isNativeRatio, isRatioId, NATIVE_OUTPUT_SIZES, NATIVE_RATIOS, nativeRatioFor, PRESET_RATIOS, ratioValue } from '../../src/core/ratios'

describe('ratio ids', () => {
  it('knows the 7 native ratios and 4 presets apart', () => {
    expect(NATIVE_RATIOS.every(isNativeRatio)).toBe(true)
    expect(PRESET_RATIOS.some((r) => isNativeRatio(r))).toBe(false)
    expect(isRatioId('5:4')).toBe(false)
    expect(ratioValue('1.91:1')).toBeCloseTo(1.91)
    expect(ratioValue('9:21')).toBeCloseTo(9 / 21)
  })

  it('gives every native output size the orientation of its ratio, within 2% of it', () => {
    for (const ratio of NATIVE_RATIOS) {
      const { width, height } = NATIVE_OUTPUT_SIZES[ratio]
      expect(Math.abs(width / height / ratioValue(ratio) - 1)).toBeLessThan(0.02)
    }
  })
})

describe('nativeRatioFor', () => {
  it('passes native ratios straight through whatever the source', () => {
    for (const ratio of NATIVE_RATIOS) for (const aspect of [0.3, 1, 3]) expect(nativeRatioFor(ratio, aspect)).toBe(ratio)
  })

  it.each([
    // target, source aspect, native requested
    ['4:5', 1.5, '3:4'], // wide source: extend height, crop top/bottom
    ['4:5', 0.5, '1:1'], // tall source: extend width, crop sides
    ['2:3', 1, '9:16'],
    ['2:3', 0.4, '3:4'],
    ['3:2', 1, '16:9'],
    ['3:2', 2, '4:3'],
    ['1.91:1', 1.5, '21:9'],
    ['1.91:1', 2.5, '16:9'],
    ['1.91:1', 1.91, '21:9']
  ] as const)('%s from a %f source requests %s', (target, aspect, native) => {
    expect(nativeRatioFor(target, aspect)).toBe(native)
  })
})
