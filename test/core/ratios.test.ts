// Ratios and preset geometry: which native ratio a preset is made from, and that its crop removes
// only generated margin (the source, fitted at its placement, stays whole inside the crop).
import { describe, expect, it } from 'vitest'
import {
  fitBox,
  hostedOutputSize,
  isNativeRatio,
  isRatioId,
  NATIVE_OUTPUT_SIZES,
  NATIVE_RATIOS,
  nativeRatioFor,
  PRESET_RATIOS,
  presetCrop,
  ratioSlug,
  ratioValue,
  type Box,
  type Placement
} from '../../src/core/ratios'

const contains = (outer: Box, inner: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5

describe('ratio ids', () => {
  it('knows the 7 native ratios and 4 presets apart', () => {
    expect(NATIVE_RATIOS.every(isNativeRatio)).toBe(true)
    expect(PRESET_RATIOS.some((r) => isNativeRatio(r))).toBe(false)
    expect(isRatioId('5:4')).toBe(false)
    expect(ratioValue('1.91:1')).toBeCloseTo(1.91)
    expect(ratioValue('9:21')).toBeCloseTo(9 / 21)
    expect(ratioSlug('1.91:1')).toBe('1.91x1')
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

describe('presetCrop', () => {
  const aspects = [0.3, 0.5, 0.667, 0.75, 0.8, 1, 1.2, 1.5, 1.91, 2.2, 3]
  const placements: Placement[] = ['center', 'start', 'end']

  for (const target of PRESET_RATIOS) {
    it(`${target}: the crop has the preset ratio within 1 px and keeps the whole source, for any source and placement`, () => {
      for (const aspect of aspects) {
        for (const placement of placements) {
          const native = nativeRatioFor(target, aspect)
          const generated = NATIVE_OUTPUT_SIZES[native]
          const crop = presetCrop(generated, target, aspect, placement)
          const source = fitBox(generated, aspect, placement)
          const label = { target, aspect, placement }
          expect({ ...label, inside: crop.x >= 0 && crop.y >= 0 && crop.x + crop.width <= generated.width && crop.y + crop.height <= generated.height }).toEqual({ ...label, inside: true })
          expect({ ...label, keepsSource: contains(crop, source) }).toEqual({ ...label, keepsSource: true })
          const exact = ratioValue(target)
          expect(Math.abs(crop.width - crop.height * exact)).toBeLessThanOrEqual(exact + 0.5)
          // only one axis is cropped: the generated one
          expect(crop.width === generated.width || crop.height === generated.height).toBe(true)
        }
      }
    })
  }

  it('4:5 from a 3:2 photo crops the generated bands above and below, centred', () => {
    const crop = presetCrop(NATIVE_OUTPUT_SIZES['3:4'], '4:5', 1.5, 'center')
    expect(crop).toEqual({ x: 0, y: 56, width: 1344, height: 1680 })
  })

  it('1.91:1 from a square source crops the generated sides, leaving the source where it was placed', () => {
    const generated = NATIVE_OUTPUT_SIZES['21:9']
    const start = presetCrop(generated, '1.91:1', 1, 'start')
    const end = presetCrop(generated, '1.91:1', 1, 'end')
    expect(start).toEqual({ x: 0, y: 0, width: 1956, height: 1024 })
    expect(end).toEqual({ x: 2432 - 1956, y: 0, width: 1956, height: 1024 })
  })
})

describe('hostedOutputSize', () => {
  it('is the native output size for native ratios, uncropped (21:9 stays 2432x1024)', () => {
    for (const ratio of NATIVE_RATIOS) expect(hostedOutputSize(ratio, 1.5)).toEqual(NATIVE_OUTPUT_SIZES[ratio])
  })

  it('is the crop size for presets', () => {
    expect(hostedOutputSize('4:5', 1.5)).toEqual({ width: 1344, height: 1680 })
    expect(hostedOutputSize('2:3', 1)).toEqual({ width: 1152, height: 1728 })
    expect(hostedOutputSize('3:2', 1)).toEqual({ width: 1728, height: 1152 })
  })
})
