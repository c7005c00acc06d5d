// What a batch costs before it runs, from each host's price in reframe-apis.md.
import { NATIVE_OUTPUT_SIZES, nativeRatioFor, type RatioId } from './ratios'
import type { ProviderId } from './settings'

export type Estimate = { jobs: number; usd: number }

/**
 * USD for one reframe of `ratio` on `provider`. fal charges per megapixel of the image it generates,
 * which for a preset is the native ratio requested before the crop.
 */
export function pricePerJob(provider: ProviderId, ratio: RatioId, sourceAspect: number): number {
  switch (provider) {
    case 'local':
      return 0
    case 'eachlabs':
      return 0.005
    case 'replicate':
      return 0.01
    case 'fal': {
      const { width, height } = NATIVE_OUTPUT_SIZES[nativeRatioFor(ratio, sourceAspect)]
      return 0.005 * ((width * height) / 1_000_000)
    }
  }
}

export function estimateBatch(provider: ProviderId, sourceAspects: number[], ratios: RatioId[]): Estimate {
  let usd = 0
  for (const aspect of sourceAspects) for (const ratio of ratios) usd += pricePerJob(provider, ratio, aspect)
  return { jobs: sourceAspects.length * ratios.length, usd }
}
