// The whole image around what a layer shows: where a FILL or CROP paint puts the file in the layer's
// units, and every look that rules the real pixels out (then a reframe works as it always did).
import { describe, expect, it } from 'vitest'
import { realImageExtent, whyNoRealExtent, type ImageExtentFacts } from '../../src/core/visible-image'
import { PLAIN_LAYER } from './plain-layer'

/** A plain 100x100 layer showing a 1920x1080 photo with FILL: the cropped-layer case. */
function facts(overrides: Partial<ImageExtentFacts> = {}, paint: Partial<ImageExtentFacts['paint']> = {}): ImageExtentFacts {
  const base: ImageExtentFacts = {
    layer: { width: 100, height: 100 },
    ...PLAIN_LAYER,
    paint: { scaleMode: 'FILL', hasFilters: false },
    image: { width: 1920, height: 1080, orientation: 1 }
  }
  return { ...base, ...overrides, paint: { ...base.paint, ...paint } }
}

function expectBox(actual: unknown, expected: { x: number; y: number; width: number; height: number }) {
  expect(actual).not.toBeNull()
  const box = actual as typeof expected
  for (const key of ['x', 'y', 'width', 'height'] as const) expect(box[key]).toBeCloseTo(expected[key], 6)
}

describe('realImageExtent', () => {
  it('puts a 16:9 photo filling a square layer across it, centred, the hidden sides to the left and right', () => {
    expectBox(realImageExtent(facts()), { x: -(1600 / 9 - 100) / 2, y: 0, width: 1600 / 9, height: 100 })
  })

  it('puts a portrait photo filling a wide layer above and below it', () => {
    expectBox(realImageExtent(facts({ layer: { width: 300, height: 100 }, image: { width: 600, height: 800 } })), { x: 0, y: -150, width: 300, height: 400 })
  })

  it('reads a CROP window back into the whole image in layer units', () => {
    // the layer shows image columns 0.25..0.75 and rows 0.2..0.825
    const crop = facts({ layer: { width: 400, height: 400 }, image: { width: 1280, height: 1024 } }, { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.25], [0, 0.625, 0.2]] })
    expectBox(realImageExtent(crop), { x: -200, y: -128, width: 800, height: 640 })
  })

  it('has nothing to add when the layer shows the whole image, or hides under a pixel of it', () => {
    expect(realImageExtent(facts({ image: { width: 1000, height: 1000 } }))).toBeNull()
    // in a square, 1001x1000 hides half a pixel on each side, 1002x1000 a whole one
    expect(realImageExtent(facts({ image: { width: 1001, height: 1000 } }))).toBeNull()
    expect(realImageExtent(facts({ image: { width: 1002, height: 1000 } }))).not.toBeNull()
  })

  it('refuses a CROP window that reaches past the image (the layer shows nothing there) or is turned', () => {
    expect(realImageExtent(facts({}, { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.6], [0, 0.5, 0.2]] }))).toBeNull()
    expect(realImageExtent(facts({}, { scaleMode: 'CROP', imageTransform: [[0, 0.5, 0.2], [0.5, 0, 0.2]] }))).toBeNull()
    expect(realImageExtent(facts({}, { scaleMode: 'CROP' }))).toBeNull()
  })

  it.each<[string, ImageExtentFacts, string]>([
    ['FIT', facts({}, { scaleMode: 'FIT' }), 'FIT shows the whole image'],
    ['TILE', facts({}, { scaleMode: 'TILE' }), 'a tiled image repeats'],
    ['a turned paint', facts({}, { rotation: 90 }), 'the paint turns the image'],
    ['filters', facts({}, { hasFilters: true }), 'filters change the image'],
    ['paint opacity', facts({}, { opacity: 0.5 }), 'opacity changes the image'],
    ['layer opacity', facts({ opacity: 0.9 }), 'opacity changes the image'],
    ['a rotated layer', facts({ rotation: 12 }), 'the layer is rotated'],
    ['rounded corners', facts({ cornerRadius: 8 }), 'rounded corners change the image'],
    ['children', facts({ hasChildren: true }), 'the layer has children drawn over the image'],
    ['effects', facts({ hasVisibleEffects: true }), 'effects change the image'],
    ['strokes', facts({ hasVisibleStrokes: true }), 'strokes are drawn over the image'],
    ['another fill', facts({ otherVisiblePaints: 1 }), 'other fills are drawn with the image'],
    ['an EXIF-turned file', facts({ image: { width: 1920, height: 1080, orientation: 6 } }), 'the file is stored turned (EXIF orientation)'],
    ['no image', facts({ image: null }), 'the original image is unavailable']
  ])('uses no real pixels for %s', (_name, input, reason) => {
    expect(whyNoRealExtent(input)).toBe(reason)
    expect(realImageExtent(input)).toBeNull()
  })

  it('counts a paint turned a whole turn as not turned', () => {
    expect(realImageExtent(facts({}, { rotation: 360 }))).not.toBeNull()
  })
})
