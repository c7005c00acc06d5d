// The reframe plan as the window can know it before anything is exported: from a selected layer's
// size (its pixels estimated at 1x, capped like the export), the photo around it when it shows part of
// one, and the settings. The size picker shows its pixels; the cost line counts what hosts will
// generate, and only the jobs that will really be sent (a frame the photo covers needs none).
import { pluralize } from '@create-figma-plugin/utilities'
import { estimateBatch, formatUsd } from '../../src/core/cost'
import { fitWithin, planReframe, type Engine, type ReframePlan } from '../../src/core/reframe-plan'
import type { Box, Size } from '../../src/core/ratios'
import type { SizeId } from '../../src/core/sizes'
import { describeProvider } from '../../src/protocol/provider-list'
import type { Settings } from '../../src/protocol/settings'

export type PlanSettings = Pick<Settings, 'provider' | 'localMode' | 'exportMaxEdge' | 'placement'>

export function engineFor(settings: Pick<Settings, 'provider' | 'localMode'>): Engine {
  return settings.provider === 'local' ? settings.localMode : 'hosted'
}

/** A selected layer as the window knows it: its size, and where the whole photo lies around it (SourceInfo). */
export type PlannedLayer = Size & { available?: Box }

export function previewPlan(layer: PlannedLayer, size: SizeId, settings: PlanSettings): ReframePlan {
  return planReframe({
    layer: { width: layer.width, height: layer.height },
    pixels: fitWithin(layer, settings.exportMaxEdge),
    size,
    engine: engineFor(settings),
    placement: settings.placement,
    frameMode: 'around',
    ...(layer.available !== undefined ? { available: layer.available } : {})
  })
}

/** "1080×1350", or "source size" before anything is selected. */
export function outputSizeLabel(layer: Size | undefined, size: SizeId, settings: PlanSettings): string {
  if (layer === undefined) return 'source size'
  const { exported } = previewPlan(layer, size, settings)
  return `${exported.width}×${exported.height}`
}

/** "1 image", "3 images". */
export function plural(count: number, one: string): string {
  return `${count} ${pluralize(count, one)}`
}

/**
 * "3 images × 3 sizes = 9 reframes, about $0.045": a host is paid for what it generates (a preset's
 * native image). Sizes the photo around a cropped layer covers are made from it and cost nothing:
 * "1 image × 3 sizes = 3 reframes (2 from the original photo, free), about $0.005".
 */
export function costLine(layers: readonly PlannedLayer[], sizes: readonly SizeId[], settings: PlanSettings): string {
  const { price, label } = describeProvider(settings.provider)
  const plans = layers.flatMap((layer) => sizes.map((size) => previewPlan(layer, size, settings)))
  const sent = plans.filter((plan) => plan.job === 'run')
  const { usd } = estimateBatch(price, sent.map((plan) => plan.hosted?.generated ?? { width: 0, height: 0 }))
  const count = `${plural(layers.length, 'image')} × ${plural(sizes.length, 'size')} = ${plural(plans.length, 'reframe')}`
  if (price.kind === 'free') return `${count}, free (${label.toLowerCase()})`
  const fromPhoto = plans.length - sent.length
  if (fromPhoto === 0) return `${count}, about ${formatUsd(usd)}`
  if (sent.length === 0) return `${count}, all from the original photo, free`
  return `${count} (${fromPhoto} from the original photo, free), about ${formatUsd(usd)}`
}
