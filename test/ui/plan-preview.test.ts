// @vitest-environment happy-dom
// (UI code runs in a browser; @create-figma-plugin/utilities also registers its message handler on window when imported)
// What the window says before a run: each size's pixels (from the reframe plan) and the cost line.
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Settings } from '../../src/protocol/settings'
import { costLine, outputSizeLabel } from '../../ui/sizes/plan-preview'

const settings = (patch: Partial<Settings>) => ({ ...DEFAULT_SETTINGS, ...patch })
const coffee = { width: 600, height: 400 }
const astronaut = { width: 512, height: 512 }

describe('the cost line', () => {
  it('counts images × sizes and prices each::labs and Replicate per job', () => {
    expect(costLine([coffee, astronaut, coffee], ['1:1', '9:16', '16:9'], settings({ provider: 'eachlabs' }))).toBe('3 images × 3 sizes = 9 reframes, about $0.045')
    expect(costLine([coffee], ['1:1'], settings({ provider: 'replicate' }))).toBe('1 image × 1 size = 1 reframe, about $0.010')
  })

  it('prices fal by the megapixels it generates: a 4:5 from a landscape photo is a 3:4 image', () => {
    // 1344x1792 = 2.41 MP at $0.005 = $0.012; the 1344x1680 crop would be $0.011
    expect(costLine([coffee], ['4:5'], settings({ provider: 'fal' }))).toBe('1 image × 1 size = 1 reframe, about $0.012')
  })

  it('counts only the jobs that will be sent when a layer shows part of a larger photo', () => {
    // a 16:9 photo filling a square layer: 16:9 and 4:3 are cut from it, 9:16 and 21:9 are jobs
    const square = { width: 300, height: 300, available: { x: -(1600 / 3 - 300) / 2, y: 0, width: 1600 / 3, height: 300 } }
    expect(costLine([square], ['16:9', '4:3', '9:16', '21:9'], settings({ provider: 'eachlabs' }))).toBe('1 image × 4 sizes = 4 reframes (2 from the original photo, free), about $0.010')
    expect(costLine([square], ['16:9'], settings({ provider: 'replicate' }))).toBe('1 image × 1 size = 1 reframe, all from the original photo, free')
    expect(costLine([square, coffee], ['16:9', '1:1'], settings({ provider: 'fal' }))).toBe('2 images × 2 sizes = 4 reframes (2 from the original photo, free), about $0.024')
  })

  it('is free on the offline engine', () => {
    expect(costLine([coffee], ['1:1', 'story'], settings({ provider: 'local' }))).toBe('1 image × 2 sizes = 2 reframes, free (offline engine)')
  })
})

describe('the pixels each size comes out at', () => {
  it('shows a preset at its exact pixels and a ratio around the source at its own pixels', () => {
    expect(outputSizeLabel(coffee, 'ig-portrait', settings({ provider: 'eachlabs' }))).toBe('1080×1350')
    expect(outputSizeLabel(coffee, '9:16', settings({ provider: 'local', localMode: 'fill' }))).toBe('600×1067')
  })

  it('shows a smart crop as the window of real pixels, never enlarged', () => {
    expect(outputSizeLabel(coffee, '9:16', settings({ provider: 'local', localMode: 'crop' }))).toBe('225×400')
  })

  it('says "source size" before anything is selected', () => {
    expect(outputSizeLabel(undefined, '1:1', settings({}))).toBe('source size')
  })
})
