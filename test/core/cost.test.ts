// Prices by model: per job (each::labs, Replicate), per generated megapixel (fal), free (offline).
import { describe, expect, it } from 'vitest'
import { describePrice, estimateBatch, formatUsd, priceOfJob, type PriceModel } from '../../src/core/cost'
import { NATIVE_OUTPUT_SIZES } from '../../src/core/ratios'

const perJob: PriceModel = { kind: 'per-job', usd: 0.005 }
const perMegapixel: PriceModel = { kind: 'per-megapixel', usd: 0.005 }

describe('priceOfJob', () => {
  it('charges a fixed price per job whatever the size, and nothing when free', () => {
    for (const size of Object.values(NATIVE_OUTPUT_SIZES)) {
      expect(priceOfJob(perJob, size)).toBe(0.005)
      expect(priceOfJob({ kind: 'free' }, size)).toBe(0)
    }
  })

  it('charges per megapixel of the generated image', () => {
    expect(priceOfJob(perMegapixel, { width: 1536, height: 1536 })).toBeCloseTo(0.011796, 6)
    expect(priceOfJob(perMegapixel, { width: 1000, height: 1000 })).toBeCloseTo(0.005, 9)
    // a 4:5 preset generated as 3:4 (1344x1792) costs the whole generated image, not the 1344x1680 crop
    expect(priceOfJob(perMegapixel, { width: 1344, height: 1792 })).toBeGreaterThan(priceOfJob(perMegapixel, { width: 1344, height: 1680 }))
  })
})

describe('estimateBatch', () => {
  it('counts every job and sums their prices', () => {
    const sizes = [NATIVE_OUTPUT_SIZES['1:1'], NATIVE_OUTPUT_SIZES['9:16'], NATIVE_OUTPUT_SIZES['16:9']]
    expect(estimateBatch(perJob, sizes)).toEqual({ jobs: 3, usd: expect.closeTo(0.015, 9) })
    expect(estimateBatch({ kind: 'free' }, sizes)).toEqual({ jobs: 3, usd: 0 })
    expect(estimateBatch(perJob, [])).toEqual({ jobs: 0, usd: 0 })
  })
})

describe('describePrice and formatUsd', () => {
  it('says each model in a hint, with three decimals under a dollar', () => {
    expect(describePrice(perJob)).toBe('$0.005 per reframe')
    expect(describePrice(perMegapixel)).toBe('About $0.005 per output megapixel')
    expect(describePrice({ kind: 'free' })).toBe('Free')
    expect(formatUsd(0.045)).toBe('$0.045')
    expect(formatUsd(12.5)).toBe('$12.50')
  })
})
