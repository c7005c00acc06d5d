// The count-and-cost sentence shown before running: "3 images × 3 sizes = 9 reframes, about $0.045".
import { estimateBatch, formatUsd } from '../src/core/cost'
import { NATIVE_OUTPUT_SIZES, nativeRatioFor, type RatioId } from '../src/core/ratios'
import { describeProvider, type ProviderId } from '../src/protocol/provider-list'

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

export function costLine(provider: ProviderId, sourceAspects: number[], ratios: RatioId[]): string {
  const { price, label } = describeProvider(provider)
  // a host is paid for what it generates: a preset's native ratio before the crop
  const generated = sourceAspects.flatMap((aspect) => ratios.map((ratio) => NATIVE_OUTPUT_SIZES[nativeRatioFor(ratio, aspect)]))
  const { jobs, usd } = estimateBatch(price, generated)
  const count = `${plural(sourceAspects.length, 'image', 'images')} × ${plural(ratios.length, 'size', 'sizes')} = ${plural(jobs, 'reframe', 'reframes')}`
  if (price.kind === 'free') return `${count}, free (${label.toLowerCase()})`
  return `${count}, about ${formatUsd(usd)}`
}
