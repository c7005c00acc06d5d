import { describe, expect, it } from 'vitest'
import { frameAroundSource } from '../../src/core/frame-geometry'
import { NATIVE_RATIOS, RATIO_IDS, ratioValue } from '../../src/core/ratios'

const SOURCES = {
  landscape: { width: 600, height: 400 },
  portrait: { width: 427, height: 640 },
  square: { width: 512, height: 512 }
}

describe('frameAroundSource', () => {
  for (const [shape, source] of Object.entries(SOURCES)) {
    for (const ratio of NATIVE_RATIOS) {
      it(`gives a ${ratio} frame that contains a ${shape} source with one side shared`, () => {
        const frame = frameAroundSource(source, ratio)
        expect(frame.width).toBeGreaterThanOrEqual(source.width)
        expect(frame.height).toBeGreaterThanOrEqual(source.height)
        // smallest: one side equals the source's, the other only as long as the ratio needs
        const sharesWidth = frame.width === source.width
        const sharesHeight = frame.height === source.height
        expect(sharesWidth || sharesHeight).toBe(true)
        expect(frame.width / frame.height).toBeCloseTo(ratioValue(ratio), 3)
        if (sharesWidth && !sharesHeight) expect(frame.height - source.width / ratioValue(ratio)).toBeLessThan(0.01)
        if (sharesHeight && !sharesWidth) expect(frame.width - source.height * ratioValue(ratio)).toBeLessThan(0.01)
      })
    }
  }

  it('extends a landscape source downwards for tall ratios and sideways for wider ones', () => {
    expect(frameAroundSource(SOURCES.landscape, '9:16')).toEqual({ width: 600, height: 1066.67 })
    expect(frameAroundSource(SOURCES.landscape, '21:9')).toEqual({ width: 933.34, height: 400 })
    expect(frameAroundSource(SOURCES.landscape, '1:1')).toEqual({ width: 600, height: 600 })
  })

  it('returns the source size itself when it already has the ratio', () => {
    expect(frameAroundSource({ width: 1920, height: 1080 }, '16:9')).toEqual({ width: 1920, height: 1080 })
    expect(frameAroundSource(SOURCES.square, '1:1')).toEqual(SOURCES.square)
  })

  it('works for the preset ratios too', () => {
    for (const ratio of RATIO_IDS) {
      const frame = frameAroundSource(SOURCES.portrait, ratio)
      expect(Math.abs(frame.width / frame.height - ratioValue(ratio))).toBeLessThan(0.001)
    }
  })

  it('refuses a source without a size', () => {
    expect(() => frameAroundSource({ width: 0, height: 10 }, '1:1')).toThrow(/must have a size/)
  })
})
