// Locating the source inside a hosted result, on the fixture photos rendered by the fake host's own
// model (preview/fakes/providers/model-result.ts): honoured, redrawn, ignored box, foreign, and the
// awkward inputs (a thumbnail, a 1 px wide source, transparency, flat colour).
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { NATIVE_OUTPUT_SIZES, NATIVE_RATIOS, type Box, type NativeRatio, type Placement, type Size } from '../../src/core/ratios'
import { fitBox } from '../../src/core/reframe-plan'
import { judgeMatch, locateAnalysisEdges, locateSource, LOCATE_RESULT_EDGE, scaleBox, type SourceMatch } from '../../src/imaging/locate-source'
import type { RgbaImage } from '../../src/imaging/rgba-image'
import { renderModelResult, type ModelBehaviour } from '../../preview/fakes/providers/model-result'
import { fixture } from './fixture-images'

const PHOTOS = ['coffee.png', 'astronaut.png', 'rocket.jpg', 'chelsea.png', 'Elephants_3840x2160.jpg', 'GreenMeadow.jpg']
const PLACEMENTS: Placement[] = ['start', 'center', 'end']

async function decode(bytes: Uint8Array | Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) }
}

/** A small copy as a sharp backend would make it (area-like reduction, no JPEG shrink-on-load). */
async function analysisCopy(bytes: Uint8Array | Buffer, maxEdge: number): Promise<RgbaImage> {
  return decode(await sharp(bytes).resize(maxEdge, maxEdge, { fit: 'inside', withoutEnlargement: true, fastShrinkOnLoad: false }).png().toBuffer())
}

/** What the plugin uploads by default: the layer capped at 2048 px on its long edge. */
async function uploadOf(name: string): Promise<Uint8Array> {
  const bytes = fixture(name)
  const { width = 0, height = 0 } = await sharp(bytes).metadata()
  if (Math.max(width, height) <= 2048) return bytes
  return new Uint8Array(await sharp(bytes).resize(2048, 2048, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer())
}

type Run = { match: SourceMatch; found: Box; truth?: Box; size: Size; requested?: Box }

/** Renders `source` through the fake model at `size`, then locates it the way the product will. */
async function renderAndLocate(source: Uint8Array, size: Size, requested: Box | undefined, behaviour: ModelBehaviour, expected = requested): Promise<Run> {
  const meta = await sharp(source).metadata()
  const sourceSize = { width: meta.width ?? 1, height: meta.height ?? 1 }
  const rendered = await renderModelResult(source, { size, requested, behaviour, fill: '#6a6a6a' })
  const planned = expected ?? fitBox(size, sourceSize.width / sourceSize.height, 'center')
  const edges = locateAnalysisEdges(size, sourceSize, planned)
  const resultCopy = await analysisCopy(rendered.bytes, edges.result)
  const sourceCopy = await analysisCopy(source, edges.source)
  const match = locateSource(resultCopy, sourceCopy, scaleBox(planned, size, resultCopy), { fullSize: { source: sourceSize, result: size } })
  return { match, found: scaleBox(match.box, resultCopy, size), truth: rendered.sourceBox, size, requested }
}

/** The largest distance between corresponding edges of two boxes. */
function edgeError(a: Box, b: Box): number {
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.x + a.width - b.x - b.width), Math.abs(a.y + a.height - b.y - b.height))
}

/** A quarter of each native output size: 512x288 for 16:9 (the analysis copy is 256 px either way). */
function quarterSize(ratio: NativeRatio): Size {
  const native = NATIVE_OUTPUT_SIZES[ratio]
  return { width: native.width / 4, height: native.height / 4 }
}

describe('locateSource on the fake host model', () => {
  it.each(PHOTOS)('finds %s where the box put it, exact or redrawn, at every native ratio, within a hundredth of the result', async (name) => {
    const source = await uploadOf(name)
    const { width = 1, height = 1 } = await sharp(source).metadata()
    const worst = { error: 0, detail: 1 }
    for (const [i, ratio] of NATIVE_RATIOS.entries()) {
      const size = quarterSize(ratio)
      const requested = fitBox(size, width / height, PLACEMENTS[i % 3])
      for (const behaviour of [{ surround: 'generated' }, { redraw: 'degraded', surround: 'generated' }] as ModelBehaviour[]) {
        const run = await renderAndLocate(source, size, requested, behaviour)
        const error = edgeError(run.found, run.truth!) / Math.max(size.width, size.height)
        expect({ ratio, behaviour, error: error < 0.01 }).toEqual({ ratio, behaviour, error: true })
        expect({ ratio, behaviour, verdict: judgeMatch(run.match) }).toEqual({ ratio, behaviour, verdict: { matched: true } })
        worst.error = Math.max(worst.error, error)
        worst.detail = Math.min(worst.detail, run.match.detail)
      }
    }
    console.log(`${name}: worst edge error ${(worst.error * 100).toFixed(3)}% of the result, lowest detail ${worst.detail.toFixed(3)}`)
  })

  it.each(PHOTOS)('finds %s where a host that ignores the box really put it (centred, 0.95 of the size), not where it was asked', async (name) => {
    const source = await uploadOf(name)
    const { width = 1, height = 1 } = await sharp(source).metadata()
    for (const ratio of ['16:9', '9:16', '1:1'] as const) {
      const size = quarterSize(ratio)
      const requested = fitBox(size, width / height, 'start')
      const run = await renderAndLocate(source, size, requested, { ignoreBox: true, surround: 'generated' })
      const long = Math.max(size.width, size.height)
      expect(edgeError(run.found, run.truth!) / long).toBeLessThan(0.01)
      expect(judgeMatch(run.match).matched).toBe(true)
      // where the two differ, the answer is the real place, not the requested one
      if (edgeError(requested, run.truth!) > 0.03 * long) expect(edgeError(run.found, requested)).toBeGreaterThan(0.02 * long)
    }
  })

  it('still searches the placements of a host that ignores the box when the expected box is far off (drawn at the end, asked at the start)', async () => {
    const source = await uploadOf('GreenMeadow.jpg')
    const size = quarterSize('16:9')
    const aspect = 1280 / 1024
    const run = await renderAndLocate(source, size, fitBox(size, aspect, 'end'), { surround: 'generated' }, fitBox(size, aspect, 'start'))
    // 152 px apart: beyond the search around the expected box (15% of 512 px), found by the fallbacks
    expect(edgeError(run.found, run.truth!)).toBeLessThan(1)
    expect(judgeMatch(run.match)).toEqual({ matched: true })
  })

  it.each(PHOTOS)('reports no match for %s when the result is something else (foreign noise, another photo)', async (name) => {
    const source = await uploadOf(name)
    const { width = 1, height = 1 } = await sharp(source).metadata()
    const other = await uploadOf(PHOTOS[(PHOTOS.indexOf(name) + 1) % PHOTOS.length])
    for (const ratio of ['16:9', '9:16'] as const) {
      const size = quarterSize(ratio)
      const requested = fitBox(size, width / height, 'center')
      const foreign = await renderAndLocate(source, size, requested, { foreign: true })
      expect(judgeMatch(foreign.match)).toEqual({ matched: false, reason: 'different-content' })
      expect(foreign.match.detail).toBeLessThan(0.2)
      // another photo's result, looked for as if it were this one
      const rendered = await renderModelResult(other, { size, behaviour: { surround: 'generated' }, fill: '#6a6a6a' })
      const resultCopy = await analysisCopy(rendered.bytes, LOCATE_RESULT_EDGE)
      const sourceCopy = await analysisCopy(source, LOCATE_RESULT_EDGE)
      const match = locateSource(resultCopy, sourceCopy, scaleBox(requested, size, resultCopy))
      expect(judgeMatch(match).matched).toBe(false)
    }
  })

  it('in a thumbnail-sized result (24 px) still finds the box, and never takes another picture for the source', async () => {
    for (const name of ['coffee.png', 'astronaut.png', 'rocket.jpg']) {
      const source = fixture(name)
      const { width = 1, height = 1 } = await sharp(source).metadata()
      const size = { width: 24, height: 14 }
      const requested = fitBox(size, width / height, 'center')
      const exact = await renderAndLocate(source, size, requested, { surround: 'generated' })
      expect(edgeError(exact.found, exact.truth!)).toBeLessThan(1)
      // a box of a few hundred pixels is judged against a higher bar, or called too small to tell
      expect([{ matched: true }, { matched: false, reason: 'too-small' }]).toContainEqual(judgeMatch(exact.match))
      const foreign = await renderAndLocate(source, size, requested, { foreign: true })
      expect(judgeMatch(foreign.match).matched).toBe(false)
    }
  })

  it('finds a 1 px wide source (a column of detail) within a pixel', async () => {
    const height = 240
    const column = Buffer.alloc(height * 3)
    for (let y = 0; y < height; y++) {
      const v = Math.round(128 + 60 * Math.sin(y / 7) + 60 * (((y * 7919) % 13) / 6.5 - 1))
      column.set([v, 255 - v, v >> 1], y * 3)
    }
    const source = new Uint8Array(await sharp(column, { raw: { width: 1, height, channels: 3 } }).png().toBuffer())
    const size = { width: 144, height: 256 }
    const requested = { x: 70, y: 8, width: 1, height: 240 }
    for (const surround of ['flat', 'generated'] as const) {
      const rendered = await renderModelResult(source, { size, requested, behaviour: { surround }, fill: '#404040' })
      // nothing to shrink: the result is already analysis-sized; the expected box is off by a few pixels
      const match = locateSource(await decode(rendered.bytes), await decode(source), { x: 66, y: 2, width: 1, height: 240 })
      expect(edgeError(match.box, requested)).toBeLessThan(1)
      expect(judgeMatch(match)).toEqual({ matched: true })
    }
  })

  it('weights a transparent source by its alpha: the logo with its white cut out is found whatever shows through', async () => {
    const { data, info } = await sharp(fixture('logo.png')).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    for (let i = 0; i < data.length; i += 4) if (data[i] > 235 && data[i + 1] > 235 && data[i + 2] > 235) data[i + 3] = 0
    const logo = new Uint8Array(await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toBuffer())
    const size = quarterSize('16:9')
    const requested = fitBox(size, 1, 'start')
    for (const behaviour of [{ surround: 'flat' }, { surround: 'generated' }, { redraw: 'degraded', surround: 'generated' }] as ModelBehaviour[]) {
      const run = await renderAndLocate(logo, size, requested, behaviour)
      expect(edgeError(run.found, run.truth!) / size.width).toBeLessThan(0.01)
      expect(judgeMatch(run.match)).toEqual({ matched: true })
    }
  })

  it('says "flat-source" with a score of 0, never a high score, for a flat colour, a fully transparent image or smooth shading only', async () => {
    const size = quarterSize('16:9')
    const requested = fitBox(size, 1.5, 'center')
    const flat = new Uint8Array(await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3a7bd5' } }).jpeg({ quality: 80 }).toBuffer())
    const clear = new Uint8Array(await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer())
    const ramp = Buffer.alloc(300 * 200 * 3)
    for (let i = 0; i < 300 * 200; i++) ramp.fill(Math.round(((i % 300) / 299) * 255), i * 3, i * 3 + 3)
    const shading = new Uint8Array(await sharp(ramp, { raw: { width: 300, height: 200, channels: 3 } }).png().toBuffer())
    for (const source of [flat, clear, shading]) {
      const run = await renderAndLocate(source, size, requested, { surround: 'generated' })
      expect(run.match.unmeasurable).toBe('flat-source')
      expect(run.match.score).toBe(0)
      expect(judgeMatch(run.match)).toEqual({ matched: false, reason: 'flat-source' })
    }
  })

  it('measures an honoured box below a result pixel at full size, fast enough to run per result (timing printed, not asserted)', async () => {
    const rows: string[] = []
    for (const name of ['coffee.png', 'Elephants_3840x2160.jpg']) {
      const source = await uploadOf(name)
      const { width = 1, height = 1 } = await sharp(source).metadata()
      for (const ratio of ['16:9', '9:16'] as const) {
        const size = NATIVE_OUTPUT_SIZES[ratio]
        const requested = fitBox(size, width / height, 'start')
        const started = performance.now()
        const run = await renderAndLocate(source, size, requested, { surround: 'generated' })
        const total = performance.now() - started
        // the result is 2048 px: the copy is 8x smaller, so a pixel of it is 8 of these
        expect(edgeError(run.found, run.truth!)).toBeLessThan(1)
        const copies = locateAnalysisEdges(size, { width, height }, requested)
        rows.push(`${name} ${ratio} ${size.width}x${size.height}: error ${edgeError(run.found, run.truth!).toFixed(2)} px, copies ${copies.result}/${copies.source} px, render+copies+locate ${total.toFixed(0)} ms`)
      }
    }
    // time of the locate alone, on the copies of a 2048 px result and a 2048 px source
    const source = await uploadOf('Elephants_3840x2160.jpg')
    const size = NATIVE_OUTPUT_SIZES['16:9']
    const requested = fitBox(size, 16 / 9, 'start')
    const rendered = await renderModelResult(source, { size, requested, behaviour: { redraw: 'degraded', surround: 'generated' }, fill: '#6a6a6a' })
    const resultCopy = await analysisCopy(rendered.bytes, LOCATE_RESULT_EDGE)
    const sourceCopy = await analysisCopy(source, LOCATE_RESULT_EDGE)
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      const started = performance.now()
      locateSource(resultCopy, sourceCopy, scaleBox(requested, size, resultCopy), { fullSize: { source: { width: 2048, height: 1152 }, result: size } })
      times.push(performance.now() - started)
    }
    rows.push(`locate alone, 2048 px result and source (copies ${resultCopy.width}x${resultCopy.height}, ${sourceCopy.width}x${sourceCopy.height}): median ${times.sort((a, b) => a - b)[2].toFixed(1)} ms of 5`)
    console.log(rows.join('\n'))
  })
})

describe('the analysis helpers', () => {
  it('asks for the result at 256 px and the source just large enough for its box there', () => {
    expect(locateAnalysisEdges({ width: 2048, height: 1152 }, { width: 4000, height: 3000 }, { x: 0, y: 0, width: 1536, height: 1152 })).toEqual({ result: 256, source: 240 })
    // a small source is never asked for larger than it is; a small result is kept at its size
    expect(locateAnalysisEdges({ width: 2048, height: 1152 }, { width: 120, height: 90 }, { x: 0, y: 0, width: 1536, height: 1152 })).toEqual({ result: 256, source: 120 })
    expect(locateAnalysisEdges({ width: 24, height: 14 }, { width: 600, height: 400 }, { x: 2, y: 0, width: 21, height: 14 })).toEqual({ result: 24, source: 27 })
  })

  it('maps boxes between sizes of one image axis by axis', () => {
    const box = scaleBox({ x: 10, y: 5, width: 100, height: 50 }, { width: 256, height: 108 }, { width: 2432, height: 1024 })
    expect(box.x).toBeCloseTo(95, 9)
    expect(box.width).toBeCloseTo(950, 9)
    expect(box.y).toBeCloseTo((5 * 1024) / 108, 9)
    expect(box.height).toBeCloseTo((50 * 1024) / 108, 9)
  })
})
