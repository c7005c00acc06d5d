// What a batch costs before it runs. Each provider's price model comes from its record in
// protocol/provider-list.ts; the sizes come from the reframe plan (what the host really generates).
import type { Size } from './ratios'

/** Free (the offline engine), a fixed price per job, or a price per megapixel of the generated image. */
export type PriceModel = { kind: 'free' } | { kind: 'per-job'; usd: number } | { kind: 'per-megapixel'; usd: number }

export type Estimate = { jobs: number; usd: number }

/**
 * USD for one job that generates an image of `generated` pixels. A preset is charged by the native
 * image the host generates before it is cropped, so callers pass that size, not the cropped one.
 */
export function priceOfJob(price: PriceModel, generated: Size): number {
  switch (price.kind) {
    case 'free':
      return 0
    case 'per-job':
      return price.usd
    case 'per-megapixel':
      return price.usd * ((generated.width * generated.height) / 1_000_000)
  }
}

/** Every job of a batch, by the size each generates. */
export function estimateBatch(price: PriceModel, generated: readonly Size[]): Estimate {
  return { jobs: generated.length, usd: generated.reduce((sum, size) => sum + priceOfJob(price, size), 0) }
}

/** "$0.005" (sub-dollar prices need the third decimal), "$1.25". */
export function formatUsd(usd: number): string {
  return `$${usd < 1 ? usd.toFixed(3) : usd.toFixed(2)}`
}

/** The price in a hint: "$0.005 per reframe", "About $0.005 per output megapixel", "Free". */
export function describePrice(price: PriceModel): string {
  switch (price.kind) {
    case 'free':
      return 'Free'
    case 'per-job':
      return `${formatUsd(price.usd)} per reframe`
    case 'per-megapixel':
      return `About ${formatUsd(price.usd)} per output megapixel`
  }
}
