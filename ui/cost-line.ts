// The count-and-cost sentence shown before running: "3 images × 3 sizes = 9 reframes, about $0.045".
import { estimateBatch } from '../src/core/cost'
import type { RatioId } from '../src/core/ratios'
import type { ProviderId } from '../src/core/settings'

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

export function formatUsd(usd: number): string {
  // sub-dollar prices need the third decimal ($0.005 per job)
  return `$${usd < 1 ? usd.toFixed(3) : usd.toFixed(2)}`
}

export function costLine(provider: ProviderId, sourceAspects: number[], ratios: RatioId[]): string {
  const { jobs, usd } = estimateBatch(provider, sourceAspects, ratios)
  const count = `${plural(sourceAspects.length, 'image', 'images')} × ${plural(ratios.length, 'size', 'sizes')} = ${plural(jobs, 'reframe', 'reframes')}`
  if (provider === 'local') return `${count}, free (offline engine)`
  return `${count}, about ${formatUsd(usd)}`
}
