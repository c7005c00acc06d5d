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
