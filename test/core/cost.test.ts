// Prices from reframe-apis.md: each::labs and Replicate per job, fal per output megapixel, offline free.
import { describe, expect, it } from 'vitest'
import { estimateBatch, pricePerJob } from '../../src/core/cost'
import { NATIVE_OUTPUT_SIZES } from '../../src/core/ratios'

describe('pricePerJob', () => {
  it('charges each::labs $0.005 and Replicate $0.01 whatever the ratio, and nothing offline', () => {
    for (const ratio of ['1:1', '21:9', '4:5'] as const) {
      expect(pricePerJob('eachlabs', ratio, 1.5)).toBe(0.005)
      expect(pricePerJob('replicate', ratio, 1.5)).toBe(0.01)
      expect(pricePerJob('local', ratio, 1.5)).toBe(0)
    }
  })

  it('charges fal $0.005 per megapixel of the native output', () => {
    for (const ratio of ['1:1', '16:9', '21:9', '9:21'] as const) {
      const { width, height } = NATIVE_OUTPUT_SIZES[ratio]
      expect(pricePerJob('fal', ratio, 1)).toBeCloseTo((0.005 * width * height) / 1e6, 9)
    }
    expect(pricePerJob('fal', '1:1', 1)).toBeCloseTo(0.011796, 6)
  })
})

describe('estimateBatch', () => {
  it('counts every source x ratio and sums their prices', () => {
    expect(estimateBatch('eachlabs', [1, 1.5, 0.5], ['1:1', '9:16'])).toEqual({ jobs: 6, usd: expect.closeTo(0.03, 9) })
    expect(estimateBatch('local', [1], ['1:1', '9:16', '16:9'])).toEqual({ jobs: 3, usd: 0 })
    const fal = estimateBatch('fal', [1, 2], ['16:9'])
    expect(fal.jobs).toBe(2)
    expect(fal.usd).toBeCloseTo(2 * pricePerJob('fal', '16:9', 1), 9)
  })
})

describe('fal presets', () => {
  it('charges a preset by the native image generated before the crop, not by the cropped size', () => {
    // a landscape source made 4:5 is generated as 3:4 (1344x1792) and cropped to 1344x1680
    const generated = (0.005 * 1344 * 1792) / 1e6
    expect(pricePerJob('fal', '4:5', 16 / 9)).toBeCloseTo(generated, 9)
    expect(pricePerJob('fal', '4:5', 16 / 9)).toBeGreaterThan((0.005 * 1344 * 1680) / 1e6)
  })
})
