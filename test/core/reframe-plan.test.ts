// The reframe plan over every size, engine, frame mode and placement, for sources of many shapes and
// densities: what each number must satisfy, checked exhaustively rather than against hand-picked answers.
import { describe, expect, it } from 'vitest'
import { MAX_IMAGE_EDGE } from '../../src/core/image-header'
import { planReframe, type Engine, type FrameMode, type ReframePlan } from '../../src/core/reframe-plan'
import type { Box, Placement, Size } from '../../src/core/ratios'
import { presetOf, SIZE_IDS, sizeAspect, sizePixels, type SizeId } from '../../src/core/sizes'

const SOURCES: Array<{ name: string; layer: Size; pixels: Size }> = [
  { name: 'coffee 600x400 at 1x', layer: { width: 600, height: 400 }, pixels: { width: 600, height: 400 } },
  { name: 'a 2x photo', layer: { width: 320, height: 480 }, pixels: { width: 640, height: 960 } },
  { name: 'a 4000 px photo shown small', layer: { width: 400, height: 300 }, pixels: { width: 2048, height: 1536 } },
  { name: 'a thin strip', layer: { width: 900, height: 30 }, pixels: { width: 900, height: 30 } },
  { name: 'a 1 px column', layer: { width: 1, height: 200 }, pixels: { width: 1, height: 200 } },
  { name: 'a large square', layer: { width: 3000, height: 3000 }, pixels: { width: 3000, height: 3000 } }
]
const ENGINES: Engine[] = ['hosted', 'fill', 'crop']
const MODES: FrameMode[] = ['around', 'exact']
const PLACEMENTS: Placement[] = ['center', 'start', 'end']
const near = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance

function inside(inner: Box, outer: Box, slack = 0.01): boolean {
  return (
    inner.x >= outer.x - slack &&
    inner.y >= outer.y - slack &&
    inner.x + inner.width <= outer.x + outer.width + slack &&
    inner.y + inner.height <= outer.y + outer.height + slack
  )
}

const cases = SOURCES.flatMap((source) =>
  SIZE_IDS.flatMap((size) => ENGINES.flatMap((engine) => MODES.map((frameMode) => ({ source, size, engine, frameMode }))))
)

function plan(c: (typeof cases)[number], placement: Placement = 'center'): ReframePlan {
  return planReframe({ layer: c.source.layer, pixels: c.source.pixels, size: c.size, engine: c.engine, frameMode: c.frameMode, placement })
}

describe('planReframe', () => {
  it.each(cases.map((c) => [`${c.source.name} → ${c.size}, ${c.engine}, ${c.frameMode}`, c] as const))('%s', (_name, c) => {
    for (const placement of PLACEMENTS) {
      const p = plan(c, placement)
      const aspect = sizeAspect(c.size)
      // the frame and the image have the size's shape (within a pixel) and never pass Figma's limit
      // (whole pixels: within a pixel of the shape; a 21:9 window of a 1 px wide image is 1x1)
      const onePixel = (size: Size) => (1.5 / Math.min(size.width, size.height)) * aspect + 0.002 * aspect
      if (Math.min(p.output.width, p.output.height) >= 3) {
        expect(near(p.frame.width / p.frame.height, aspect, onePixel(p.frame))).toBe(true)
        expect(near(p.output.width / p.output.height, aspect, onePixel(p.output))).toBe(true)
      }
      expect(Math.max(p.output.width, p.output.height)).toBeLessThanOrEqual(MAX_IMAGE_EDGE)
      expect(Number.isInteger(p.output.width) && Number.isInteger(p.output.height)).toBe(true)
      // a preset exports exactly its pixels; a ratio exports what the image holds
      expect(p.exported).toEqual(sizePixels(c.size) ?? p.output)
      expect(inside(p.safeArea, { x: 0, y: 0, ...p.output })).toBe(true)
      if (c.engine === 'crop') {
        // a window of the source's own pixels, never more than the source has
        expect(p.sourceBox.width).toBeLessThanOrEqual(c.source.pixels.width)
        expect(p.sourceBox.height).toBeLessThanOrEqual(c.source.pixels.height)
        expect(p.output.width).toBeLessThanOrEqual(p.sourceBox.width)
        if (c.frameMode === 'around') expect(p.frame.width <= c.source.layer.width + 0.01 && p.frame.height <= c.source.layer.height + 0.01).toBe(true)
        continue
      }
      // fill and hosted keep the whole source, inside the safe area, with its own shape
      expect(inside(p.sourceBox, p.safeArea, 0.51)).toBe(true)
      expect(near(p.sourceBox.width / p.sourceBox.height, c.source.layer.width / c.source.layer.height, 0.01 * (c.source.layer.width / c.source.layer.height))).toBe(true)
      if (c.frameMode === 'around') {
        expect(p.frame.width).toBeGreaterThanOrEqual(c.source.layer.width - 1e-9)
        expect(p.frame.height).toBeGreaterThanOrEqual(c.source.layer.height - 1e-9)
      }
      if (sizePixels(c.size) === undefined && Math.max(p.output.width, p.output.height) < MAX_IMAGE_EDGE) {
        // a ratio keeps the source at its own pixels: the original is never resampled
        expect(near(p.sourceBox.width, c.source.pixels.width, 1)).toBe(true)
        expect(near(p.upscale, 1, 0.01)).toBe(true)
      }
      if (c.engine === 'hosted') {
        const h = p.hosted!
        const generated = { x: 0, y: 0, ...h.generated }
        expect(inside(h.crop, generated, 0.5)).toBe(true)
        expect(inside(h.sourceBox, h.crop, 0.5)).toBe(true)
        expect(near(h.crop.width / h.crop.height, p.output.width / p.output.height, 0.001 * aspect)).toBe(true)
        // the crop of the generated image maps the source's box onto the output's
        const k = p.output.width / h.crop.width
        expect(near((h.sourceBox.x - h.crop.x) * k, p.sourceBox.x, 1)).toBe(true)
        expect(near((h.sourceBox.y - h.crop.y) * k, p.sourceBox.y, 1)).toBe(true)
        expect(near(h.sourceBox.width * k, p.sourceBox.width, 1)).toBe(true)
      } else {
        expect(p.hosted).toBeUndefined()
      }
    }
  })

  it('places the source at the start, centre or end along the side that grows', () => {
    const base = { layer: { width: 600, height: 400 }, pixels: { width: 600, height: 400 }, size: '9:16', engine: 'fill', frameMode: 'around' } as const
    const ys = PLACEMENTS.map((placement) => planReframe({ ...base, placement }).sourceBox.y)
    expect(near(ys[0], (1067 - 400) / 2, 0.5)).toBe(true)
    expect(ys[1]).toBe(0)
    expect(ys[2]).toBeCloseTo(1067 - 400, 0)
  })

  it('asks a host for the native ratio itself, or a wider or taller one for a preset, and only crops generated margin', () => {
    const landscape = { layer: { width: 1600, height: 900 }, pixels: { width: 1600, height: 900 }, engine: 'hosted', frameMode: 'around', placement: 'center' } as const
    expect(planReframe({ ...landscape, size: '16:9' }).hosted).toMatchObject({ native: '16:9', crop: { x: 0, y: 0, width: 2048, height: 1152 } })
    expect(planReframe({ ...landscape, size: 'story' }).hosted?.native).toBe('9:16')
    const portrait = planReframe({ ...landscape, size: 'ig-portrait' }).hosted!
    expect(portrait.native).toBe('3:4')
    expect(portrait.crop.width).toBeCloseTo(1344, 6)
    expect(portrait.crop.height).toBeCloseTo(1680, 6)
    // 1.91:1 is wider than the 16:9 source: the next wider native ratio
    expect(planReframe({ ...landscape, size: 'fb-link' }).hosted?.native).toBe('21:9')
  })

  it('gives a preset its exact pixels, and says how much a small source is enlarged', () => {
    const small = planReframe({ layer: { width: 600, height: 400 }, pixels: { width: 600, height: 400 }, size: 'ig-portrait', engine: 'fill', frameMode: 'around', placement: 'center' })
    expect(small.output).toEqual({ width: 1080, height: 1350 })
    expect(small.upscale).toBeCloseTo(1.8, 6)
    const exact = planReframe({ layer: { width: 600, height: 400 }, pixels: { width: 600, height: 400 }, size: 'ig-portrait', engine: 'fill', frameMode: 'exact', placement: 'center' })
    expect(exact.frame).toEqual({ width: 1080, height: 1350 })
    expect(planReframe({ layer: { width: 600, height: 400 }, pixels: { width: 600, height: 400 }, size: '4:5', engine: 'fill', frameMode: 'around', placement: 'center' }).frame).toEqual({ width: 600, height: 750 })
  })

  it('keeps a story source inside the area the app UI leaves free', () => {
    const story = presetOf('story')
    const p = planReframe({ layer: { width: 1000, height: 1000 }, pixels: { width: 1000, height: 1000 }, size: 'story', engine: 'hosted', frameMode: 'around', placement: 'center' })
    const expected = { x: story.safe!.left, y: story.safe!.top, width: 1080 - story.safe!.left - story.safe!.right, height: 1920 - story.safe!.top - story.safe!.bottom }
    for (const key of ['x', 'y', 'width', 'height'] as const) expect(p.safeArea[key]).toBeCloseTo(expected[key], 6)
    expect(inside(p.sourceBox, p.safeArea)).toBe(true)
  })

  it('never enlarges a smart crop: a 600x400 layer to 9:16 is a 225x400 window at its own pixels', () => {
    const p = planReframe({ layer: { width: 600, height: 400 }, pixels: { width: 600, height: 400 }, size: '9:16', engine: 'crop', frameMode: 'around', placement: 'center' })
    expect(p.output).toEqual({ width: 225, height: 400 })
    expect(p.frame).toEqual({ width: 225, height: 400 })
    expect(p.upscale).toBe(1)
  })

  it('refuses a source without a size', () => {
    expect(() => planReframe({ layer: { width: 0, height: 10 }, pixels: { width: 1, height: 1 }, size: '1:1', engine: 'fill', frameMode: 'around', placement: 'center' })).toThrow(/must have a size/)
  })
})

describe('sizes', () => {
  it('lists every plain ratio and platform preset once', () => {
    expect(new Set(SIZE_IDS).size).toBe(SIZE_IDS.length)
    const ids: SizeId[] = ['ig-square', 'ig-portrait', 'story', 'fb-link', 'linkedin', 'x-post', 'yt-thumb', 'pinterest']
    for (const id of ids) expect(SIZE_IDS).toContain(id)
  })
})

describe('planReframe with real pixels around the layer', () => {
  // a 16:9 photo of 1920x1080 filling a 300x300 layer (the layer shows its middle 1080x1080)
  const layer = { width: 300, height: 300 }
  const photo = { x: -(1600 / 3 - 300) / 2, y: 0, width: 1600 / 3, height: 300 }
  const cropped = (size: SizeId, engine: Engine = 'hosted', placement: Placement = 'center', pixels: Size = { width: 1080, height: 1080 }) =>
    planReframe({ layer, pixels, size, engine, frameMode: 'around', placement, available: photo })
  /** The real image in output pixels, as the plan sees it (from the layer's box in the output). */
  const realInOutput = (available: Box, visible: Box) => ({
    x: visible.x + (available.x * visible.width) / layer.width,
    y: visible.y + (available.y * visible.height) / layer.height,
    width: (available.width * visible.width) / layer.width,
    height: (available.height * visible.height) / layer.height
  })

  it('needs no job when the photo covers the frame: a 16:9 frame is the photo itself, at its own pixels', () => {
    for (const engine of ['hosted', 'fill'] as const) {
      for (const placement of ['center'] as const) {
        const p = cropped('16:9', engine, placement)
        expect(p.job).toBe('none')
        expect(p.hosted).toBeUndefined()
        expect(p.output).toEqual({ width: 1920, height: 1080 })
        expect(p.real?.box).toEqual({ x: 0, y: 0, width: 1920, height: 1080 })
        for (const key of ['x', 'y', 'width', 'height'] as const) expect(p.real!.from[key]).toBeCloseTo(key === 'x' || key === 'y' ? 0 : 1, 9)
        // the frame on the canvas is the one it always was
        expect(p.frame).toEqual(planReframe({ layer, pixels: { width: 1080, height: 1080 }, size: '16:9', engine, frameMode: 'around', placement }).frame)
      }
    }
    // 4:3 lies inside the photo too: its middle
    const fourThree = cropped('4:3')
    expect(fourThree.job).toBe('none')
    expect(fourThree.real!.from.x).toBeCloseTo((1 - (1440 / 1920)) / 2, 3)
    expect(fourThree.real!.from.width).toBeCloseTo(1440 / 1920, 3)
  })

  it('keeps the layer where the designer asked (start, end): the photo then covers part of the frame, and the rest is generated', () => {
    for (const placement of ['start', 'end'] as const) {
      const p = cropped('16:9', 'hosted', placement)
      expect(p.job).toBe('run')
      // the layer at the left (or right) edge; the photo's hidden right (or left) side is real
      expect(p.sourceBox).toEqual(placement === 'start' ? { x: 0, y: 0, width: 1500, height: 1080 } : { x: 420, y: 0, width: 1500, height: 1080 })
      expect(p.real!.from.x).toBeCloseTo(placement === 'start' ? 420 / 1920 : 0, 9)
    }
  })

  it('runs the job as before when the photo adds nothing inside the frame (9:16 from a wide photo)', () => {
    const p = cropped('9:16')
    const plain = planReframe({ layer, pixels: { width: 1080, height: 1080 }, size: '9:16', engine: 'hosted', frameMode: 'around', placement: 'center' })
    expect(p.job).toBe('run')
    expect(p.real).toBeUndefined()
    expect(p.sourceBox).toEqual(plain.sourceBox)
    expect(p.hosted).toEqual(plain.hosted)
  })

  it('gives the job the larger real region when the photo covers part of the frame (21:9: the whole photo, only the sides generated)', () => {
    for (const engine of ['hosted', 'fill'] as const) {
      const p = cropped('21:9', engine)
      expect(p.job).toBe('run')
      expect(p.real).toBeDefined()
      // the engine's source is the whole photo at its own pixels, placed where it lies around the layer
      expect(p.sourceBox).toEqual(p.real!.box)
      expect(p.sourceBox.width).toBe(1920)
      expect(p.sourceBox.height).toBe(1080)
      for (const key of ['x', 'y', 'width', 'height'] as const) expect(p.real!.from[key]).toBeCloseTo(key === 'x' || key === 'y' ? 0 : 1, 9)
      if (engine === 'fill') continue
      const h = p.hosted!
      expect(h.native).toBe('21:9')
      expect(inside(h.sourceBox, { x: 0, y: 0, ...h.generated }, 0.5)).toBe(true)
      expect(h.sourceBox.width).toBeCloseTo((1920 * h.generated.height) / 1080, 0)
    }
  })

  it('keeps every real region inside the output and the photo, where the photo lies, over every size and density', () => {
    const crops: Box[] = [photo, { x: -300, y: -100, width: 900, height: 600 }, { x: 0, y: -30, width: 300, height: 700 }, { x: -5, y: 0, width: 320, height: 300 }]
    for (const available of crops) {
      for (const size of SIZE_IDS) {
        for (const engine of ['hosted', 'fill'] as const) {
          for (const placement of PLACEMENTS) {
            const at1x = planReframe({ layer, pixels: layer, size, engine, frameMode: 'around', placement, available })
            const atNative = planReframe({ layer, pixels: { width: 1080, height: 1080 }, size, engine, frameMode: 'around', placement, available })
            // the window's estimate at 1x and the run at the export's density agree on whether a job is sent
            expect(at1x.job).toBe(atNative.job)
            for (const p of [at1x, atNative]) {
              if (p.real === undefined) continue
              expect(inside(p.real.box, { x: 0, y: 0, ...p.output }, 1e-9)).toBe(true)
              expect(inside(p.real.from, { x: 0, y: 0, width: 1, height: 1 }, 1e-9)).toBe(true)
              expect(Number.isInteger(p.real.box.x) && Number.isInteger(p.real.box.width)).toBe(true)
              if (p.job === 'none') {
                expect(p.real.box).toEqual({ x: 0, y: 0, ...p.output })
                expect(p.hosted).toBeUndefined()
              } else {
                expect(p.sourceBox).toEqual(p.real.box)
                // the region's fractions say where it lies in the photo (within a pixel of the output)
                const plain = planReframe({ layer, pixels: p === at1x ? layer : { width: 1080, height: 1080 }, size, engine, frameMode: 'around', placement })
                const real = realInOutput(available, plain.sourceBox)
                expect(near(real.x + p.real.from.x * real.width, p.real.box.x, 1e-6)).toBe(true)
                expect(near(p.real.from.width * real.width, p.real.box.width, 1e-6)).toBe(true)
                expect(near(real.y + p.real.from.y * real.height, p.real.box.y, 1e-6)).toBe(true)
                expect(near(p.real.from.height * real.height, p.real.box.height, 1e-6)).toBe(true)
              }
            }
          }
        }
      }
    }
  })

  it('leaves a smart crop alone: it invents nothing, so it has nothing to replace', () => {
    const p = cropped('16:9', 'crop')
    expect(p.job).toBe('run')
    expect(p.real).toBeUndefined()
  })

  it('refuses an empty real extent', () => {
    expect(() => planReframe({ layer, pixels: layer, size: '1:1', engine: 'fill', frameMode: 'around', placement: 'center', available: { x: 0, y: 0, width: 0, height: 10 } })).toThrow(/must have a size/)
  })
})
