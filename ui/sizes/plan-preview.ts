// The reframe plan as the window can know it before anything is exported: from a selected layer's
// size (its pixels estimated at 1x, capped like the export) and the settings. The size picker shows
// its pixels; the cost line counts what hosts will generate.
import { pluralize } from '@create-figma-plugin/utilities'
import { estimateBatch, formatUsd } from '../../src/core/cost'
import { fitWithin, planReframe, type Engine, type ReframePlan } from '../../src/core/reframe-plan'
import type { Size } from '../../src/core/ratios'
import type { SizeId } from '../../src/core/sizes'
import { describeProvider } from '../../src/protocol/provider-list'
import type { Settings } from '../../src/protocol/settings'

export type PlanSettings = Pick<Settings, 'provider' | 'localMode' | 'exportMaxEdge' | 'placement'>

export function engineFor(settings: Pick<Settings, 'provider' | 'localMode'>): Engine {
  return settings.provider === 'local' ? settings.localMode : 'hosted'
}

export function previewPlan(layer: Size, size: SizeId, settings: PlanSettings): ReframePlan {
  return planReframe({
    layer,
    pixels: fitWithin(layer, settings.exportMaxEdge),
    size,
    engine: engineFor(settings),
    placement: settings.placement,
    frameMode: 'around'
  })
}

/** "1080×1350", or "source size" before anything is selected. */
export function outputSizeLabel(layer: Size | undefined, size: SizeId, settings: PlanSettings): string {
  if (layer === undefined) return 'source size'
  const { exported } = previewPlan(layer, size, settings)
  return `${exported.width}×${exported.height}`
}

function plural(count: number, one: string): string {
  return `${count} ${pluralize(count, one)}`
}

/** "3 images × 3 sizes = 9 reframes, about $0.045": a host is paid for what it generates (a preset's native image). */
export function costLine(layers: readonly Size[], sizes: readonly SizeId[], settings: PlanSettings): string {
  const { price, label } = describeProvider(settings.provider)
  const generated = layers.flatMap((layer) => sizes.map((size) => previewPlan(layer, size, settings).hosted?.generated ?? { width: 0, height: 0 }))
  const { jobs, usd } = estimateBatch(price, generated)
  const count = `${plural(layers.length, 'image')} × ${plural(sizes.length, 'size')} = ${plural(jobs, 'reframe')}`
  if (price.kind === 'free') return `${count}, free (${label.toLowerCase()})`
  return `${count}, about ${formatUsd(usd)}`
}
