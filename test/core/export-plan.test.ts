import { describe, expect, it } from 'vitest'
import { mayShowTransparency, nativeDensity, planExport, type ExportFacts } from '../../src/core/export-plan'
import { PLAIN_LAYER } from './plain-layer'

/** A plain 600x400 layer showing a 1200x800 JPEG with FILL: the simplest source there is. */
function facts(overrides: Partial<ExportFacts> = {}, paint: Partial<ExportFacts['paint']> = {}): ExportFacts {
  const base: ExportFacts = {
    layer: { width: 600, height: 400 },
    bounds: { width: 600, height: 400 },
    ...PLAIN_LAYER,
    paint: { scaleMode: 'FILL', hasFilters: false },
    image: { width: 1200, height: 800, format: 'jpeg', hasAlpha: false },
    maxEdge: 2048
  }
  return { ...base, ...overrides, paint: { ...base.paint, ...(overrides.paint ?? {}), ...paint } }
}

describe('planExport: original bytes or a render', () => {
  it('sends the original JPEG when the layer shows all of it, untouched, within the cap', () => {
    const plan = planExport(facts())
    expect(plan).toMatchObject({ path: 'bytes', mime: 'image/jpeg', width: 1200, height: 800 })
  })

  it('sends the original PNG when it carries transparency', () => {
    const plan = planExport(facts({ image: { width: 900, height: 600, format: 'png', hasAlpha: true } }))
    expect(plan).toMatchObject({ path: 'bytes', mime: 'image/png' })
  })

  it('renders an opaque PNG as JPEG: smaller upload, no visible loss', () => {
    const plan = planExport(facts({ image: { width: 900, height: 600, format: 'png', hasAlpha: false } }))
    expect(plan).toMatchObject({ path: 'render', format: 'JPG', mime: 'image/jpeg', width: 900, height: 600 })
  })

  const renders: Array<[string, ExportFacts]> = [
    ['the original is over the cap', facts({ image: { width: 3840, height: 2560, format: 'jpeg', hasAlpha: false } })],
    ['FILL crops an image of another shape', facts({ image: { width: 1200, height: 1200, format: 'jpeg', hasAlpha: false } })],
    ['the paint is CROP', facts({}, { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.25], [0, 0.5, 0.25]] })],
    ['the paint is TILE', facts({}, { scaleMode: 'TILE', scalingFactor: 0.5 })],
    ['the paint turns the image', facts({ image: { width: 800, height: 1200, format: 'jpeg', hasAlpha: false } }, { rotation: 90 })],
    ['filters are set', facts({}, { hasFilters: true })],
    ['the paint is translucent', facts({}, { opacity: 0.5 })],
    ['the layer is translucent', facts({ opacity: 0.8 })],
    ['the layer is rotated', facts({ rotation: 30, bounds: { width: 719.6, height: 646.4 } })],
    ['the corners are rounded', facts({ cornerRadius: 12 })],
    ['children are drawn over it', facts({ hasChildren: true })],
    ['it has a drop shadow', facts({ hasVisibleEffects: true })],
    ['it has a stroke', facts({ hasVisibleStrokes: true })],
    ['another fill is drawn with it', facts({ otherVisiblePaints: 1 })],
    ['the original is a GIF', facts({ image: { width: 1200, height: 800, format: 'gif', hasAlpha: true } })],
    ['the original is unavailable', facts({ image: null })]
  ]
  it.each(renders)('renders when %s', (_why, input) => {
    expect(planExport(input).path).toBe('render')
  })

  it('never renders larger than the cap, on the long edge', () => {
    const plan = planExport(facts({ image: { width: 3840, height: 2560, format: 'jpeg', hasAlpha: false } }))
    expect(plan).toMatchObject({ path: 'render', width: 2048, height: 1365, constraint: { type: 'WIDTH', value: 2048 } })
    const tall = planExport(
      facts({
        layer: { width: 400, height: 600 },
        bounds: { width: 400, height: 600 },
        image: { width: 2560, height: 3840, format: 'jpeg', hasAlpha: false },
        maxEdge: 1024
      })
    )
    expect(tall).toMatchObject({ width: 683, height: 1024, constraint: { type: 'HEIGHT', value: 1024 } })
  })

  it('never upscales past the pixels the layer shows', () => {
    // a 300x200 image stretched over a 600x400 layer: only 300 px of real detail across
    const plan = planExport(facts({ image: { width: 300, height: 200, format: 'png', hasAlpha: false } }))
    expect(plan).toMatchObject({ path: 'render', width: 300, height: 200 })
    // cropped to the middle half: the visible part holds half the image's pixels
    const cropped = planExport(facts({}, { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.25], [0, 0.5, 0.25]] }))
    expect(cropped).toMatchObject({ width: 600, height: 400 })
  })

  it('keeps the density of a rotated layer for its whole page box', () => {
    const plan = planExport(facts({ rotation: 30, bounds: { width: 719.6, height: 646.4 } }))
    // 2 image px per layer px, over the rotated box
    expect(plan).toMatchObject({ path: 'render', width: 1439, height: 1293, format: 'PNG' })
  })

  it('refuses a cap that is not positive', () => {
    expect(() => planExport(facts({ maxEdge: 0 }))).toThrow(/positive/)
  })
})

describe('planExport: JPEG for opaque renders, PNG when anything can be transparent', () => {
  const cases: Array<[string, ExportFacts, 'PNG' | 'JPG']> = [
    ['a cropped opaque photo', facts({}, { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.25], [0, 0.5, 0.25]] }), 'JPG'],
    ['a photo with a shadow', facts({ hasVisibleEffects: true }), 'JPG'],
    ['a layer turned a quarter', facts({ rotation: 90, bounds: { width: 400, height: 600 } }), 'JPG'],
    ['a PNG with alpha, cropped', facts({ image: { width: 1200, height: 1200, format: 'png', hasAlpha: true } }), 'PNG'],
    ['a translucent layer', facts({ opacity: 0.5 }), 'PNG'],
    ['a translucent paint', facts({}, { opacity: 0.9 }), 'PNG'],
    ['rounded corners', facts({ cornerRadius: 8 }), 'PNG'],
    ['a layer at 30°', facts({ rotation: 30, bounds: { width: 719.6, height: 646.4 } }), 'PNG'],
    ['FIT with empty bars', facts({ image: { width: 1200, height: 1200, format: 'jpeg', hasAlpha: false } }, { scaleMode: 'FIT' }), 'PNG'],
    [
      'FIT with bars filled by another paint',
      facts({ otherVisiblePaints: 1, image: { width: 1200, height: 1200, format: 'jpeg', hasAlpha: false } }, { scaleMode: 'FIT' }),
      'JPG'
    ],
    ['a CROP window outside the image', facts({}, { scaleMode: 'CROP', imageTransform: [[1.2, 0, -0.1], [0, 1, 0]] }), 'PNG'],
    ['a GIF', facts({ image: { width: 1200, height: 800, format: 'gif', hasAlpha: true } }), 'PNG']
  ]
  it.each(cases)('%s renders as %s', (_what, input, format) => {
    const plan = planExport(input)
    expect(plan.path).toBe('render')
    if (plan.path === 'render') {
      expect(plan.format).toBe(format)
      expect(plan.mime).toBe(format === 'PNG' ? 'image/png' : 'image/jpeg')
    }
    expect(mayShowTransparency(input)).toBe(format === 'PNG')
  })
})

describe('nativeDensity', () => {
  it('follows the scale mode', () => {
    const image = { width: 1200, height: 1200, format: 'jpeg' as const, hasAlpha: false }
    const layer = { width: 600, height: 400 }
    // FILL covers: 1200 px across 600 -> 2, but only the shorter relative side counts (1200/400 = 3 vs 2)
    expect(nativeDensity({ layer, image, paint: { scaleMode: 'FILL', hasFilters: false } })).toBe(2)
    // FIT fits: the image spans 400 px for 1200 px
    expect(nativeDensity({ layer, image, paint: { scaleMode: 'FIT', hasFilters: false } })).toBe(3)
    expect(nativeDensity({ layer, image, paint: { scaleMode: 'TILE', scalingFactor: 0.25, hasFilters: false } })).toBe(4)
    expect(nativeDensity({ layer, image: null, paint: { scaleMode: 'FILL', hasFilters: false } })).toBe(1)
  })
  it('swaps sides for a paint turned a quarter', () => {
    const image = { width: 800, height: 1200, format: 'jpeg' as const, hasAlpha: false }
    const layer = { width: 600, height: 400 }
    expect(nativeDensity({ layer, image, paint: { scaleMode: 'FILL', rotation: 90, hasFilters: false } })).toBe(2)
    expect(nativeDensity({ layer, image, paint: { scaleMode: 'FILL', rotation: 0, hasFilters: false } })).toBeCloseTo(4 / 3)
  })
})

describe('planExport never plans more than 4096 px a side', () => {
  // whatever cap the caller passes and whatever the paint's scale (what figma.createImage and hosts take)
  const big = { layer: { width: 2000, height: 1000 }, bounds: { width: 2000, height: 1000 }, maxEdge: 1e9 }
  const cases: Array<[string, ExportFacts]> = [
    ['a tiled layer at scale 0.01', facts({ ...big, paint: { scaleMode: 'TILE', scalingFactor: 0.01, hasFilters: false } })],
    ['a tiny crop window of a large image', facts({ ...big, paint: { scaleMode: 'CROP', imageTransform: [[0.001, 0, 0], [0, 0.001, 0]], hasFilters: false } })],
    ['a tall layer', facts({ ...big, layer: { width: 10, height: 5000 }, bounds: { width: 10, height: 5000 } })],
    [
      'an original larger than 4096 px that the layer shows exactly',
      facts({ layer: { width: 800, height: 600 }, bounds: { width: 800, height: 600 }, maxEdge: 1e9, image: { width: 8000, height: 6000, format: 'jpeg', hasAlpha: false } })
    ]
  ]
  it.each(cases)('%s, with a cap of 1e9', (_what, facts) => {
    const plan = planExport(facts)
    expect(plan.width).toBeLessThanOrEqual(4096)
    expect(plan.height).toBeLessThanOrEqual(4096)
    if (plan.path === 'render') expect(plan.constraint.value).toBeLessThanOrEqual(4096)
  })
})
