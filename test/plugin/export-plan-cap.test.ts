// The export plan's own guard: whatever cap the caller passes and whatever the paint's scale, a
// source never leaves Figma larger than 4096 px a side (what figma.createImage and hosts take).
import { describe, expect, it } from 'vitest'
import { planExport, type ExportFacts } from '../../src/core/export-plan'

describe('planExport never plans more than 4096 px a side', () => {
  const base: ExportFacts = {
    layer: { width: 2000, height: 1000 },
    bounds: { width: 2000, height: 1000 },
    rotation: 0,
    opacity: 1,
    cornerRadius: 0,
    hasChildren: false,
    hasVisibleEffects: false,
    hasVisibleStrokes: false,
    otherVisiblePaints: 0,
    paint: { scaleMode: 'TILE', scalingFactor: 0.01, hasFilters: false },
    image: { width: 1200, height: 800, format: 'jpeg', hasAlpha: false },
    maxEdge: 1e9
  }
  const cases: Array<[string, ExportFacts]> = [
    ['a tiled layer at scale 0.01', base],
    ['a tiny crop window of a large image', { ...base, paint: { scaleMode: 'CROP', imageTransform: [[0.001, 0, 0], [0, 0.001, 0]], hasFilters: false } }],
    ['a tall layer', { ...base, layer: { width: 10, height: 5000 }, bounds: { width: 10, height: 5000 } }],
    [
      'an original larger than 4096 px that the layer shows exactly',
      { ...base, layer: { width: 800, height: 600 }, bounds: { width: 800, height: 600 }, paint: { scaleMode: 'FILL', hasFilters: false }, image: { width: 8000, height: 6000, format: 'jpeg', hasAlpha: false } }
    ]
  ]
  it.each(cases)('%s, with a cap of 1e9', (_what, facts) => {
    const plan = planExport(facts)
    expect(plan.width).toBeLessThanOrEqual(4096)
    expect(plan.height).toBeLessThanOrEqual(4096)
    if (plan.path === 'render') expect(plan.constraint.value).toBeLessThanOrEqual(4096)
  })
})

