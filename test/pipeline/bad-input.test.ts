// Bad input end to end, on the fakes of all three hosts over HTTP with the real provider clients and
// the plugin window's run: a result the size of a thumbnail, a result that is not the source at all, a
// transparent source, a 1-pixel-wide source, an EXIF-turned original, a host that ignores the box.
// Each ends honestly: composited where the host really drew the source, or the host's result as it
// came with a note, or a clear failure on that row; never the original pasted in the wrong place.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { Box } from '../../src/core/ratios'
import type { SizeId } from '../../src/core/sizes'
import { nodeBackend } from '../../src/imaging/backend-node'
import { NOT_COMPOSITED_NOTE } from '../../src/imaging/finish-hosted-result'
import { ssim } from '../../src/imaging/image-quality'
import { locateAnalysisEdges, locateSource, scaleBox } from '../../src/imaging/locate-source'
import type { RgbaImage } from '../../src/imaging/rgba-image'
import { UploadCache } from '../../src/pipeline/upload-cache'
import type { ExportedSource } from '../../src/protocol/messages'
import { DEFAULT_SETTINGS } from '../../src/protocol/settings'
import { startFigmaRunAsync } from '../../ui/batch/run-in-figma'
import { jobsFor } from '../../ui/hooks/use-batch'
import type { EachlabsFakeOptions } from '../../preview/fakes/providers/eachlabs-server'
import { fixture, startFakeMain, type FakeMain } from '../ui/fake-main'
import { HOSTED_IDS, startHarness, type Harness } from '../providers/support'
import { closedAfterEach } from '../support/closed-after-each'

let main: FakeMain | undefined
let harness: Harness | undefined
const open = closedAfterEach()

/** A source as main would send it, with the size of what the layer shows (`upright`, when the file is stored turned). */
async function source(bytes: Uint8Array, mime: 'image/png' | 'image/jpeg', upright?: { width: number; height: number }): Promise<ExportedSource> {
  const meta = await sharp(bytes).metadata()
  const size = upright ?? { width: meta.width!, height: meta.height! }
  return { nodeId: '1:1', name: 'Source', bytes, mime, ...size, layer: size }
}

async function rgba(bytes: Uint8Array, size?: { width: number; height: number }, region?: Box): Promise<RgbaImage> {
  let image = sharp(bytes).rotate().flatten({ background: '#ffffff' })
  if (size) image = image.resize(size.width, size.height, { fit: 'fill' })
  let data = await image.raw().toBuffer({ resolveWithObject: true })
  if (region) {
    data = await sharp(data.data, { raw: data.info })
      .extract({ left: region.x, top: region.y, width: region.width, height: region.height })
      .raw()
      .toBuffer({ resolveWithObject: true })
  }
  const out = new Uint8ClampedArray(data.info.width * data.info.height * 4)
  for (let p = 0, i = 0; p < out.length; p += 4, i += data.info.channels) {
    out[p] = data.data[i]
    out[p + 1] = data.data[i + 1]
    out[p + 2] = data.data[i + 2]
    out[p + 3] = 255
  }
  return { width: data.info.width, height: data.info.height, data: out }
}

type Outcome = { state: string; note?: string; error?: string; placed?: { bytes: Uint8Array; width: number; height: number }; result?: Uint8Array; drawn?: Box }

async function reframe(id: (typeof HOSTED_IDS)[number], exported: ExportedSource, size: SizeId, options: EachlabsFakeOptions = {}): Promise<Outcome> {
  harness = await startHarness(id, { scale: 1 / 4, ...options })
  main = startFakeMain([exported])
  open.push(harness.fake, main)
  const run = await startFigmaRunAsync({
    main: main.ui,
    backend: nodeBackend,
    provider: harness.provider,
    settings: { ...DEFAULT_SETTINGS, provider: id },
    jobs: jobsFor([{ nodeId: exported.nodeId, name: exported.name }], [size]),
    layers: new Map([[exported.nodeId, exported.layer]]),
    retry: false,
    frames: new Map(),
    tickets: new Map(),
    uploads: new UploadCache()
  })
  await run.finished
  const status = run.status(`${exported.nodeId}|${size}`)!
  const [job] = [...harness.fake.jobs.jobs.values()]
  const result = job === undefined ? undefined : await harness.fake.jobs.result(job)
  const drawn = job === undefined ? undefined : await harness.fake.jobs.sourceBox(job)
  return { state: status.state, note: status.note, error: status.error, placed: main.placed[0], result, drawn }
}

/**
 * What makes an outcome honest. Delivered: the image agrees with what the host drew, at the result's
 * own pixels (the original pasted in the wrong place would not); where the original went in, it sits
 * where the host drew the source, within half a result pixel (what the fake's box rounding and a
 * locate at the result's own resolution allow). Failed: a reason a person can read.
 */
async function expectHonest(outcome: Outcome, exported: ExportedSource, expectComposited?: boolean) {
  if (outcome.state === 'failed') {
    expect(outcome.error).toMatch(/\w{3,}.*\./)
    return
  }
  expect(outcome.state).toBe('done')
  const meta = await sharp(outcome.result!).metadata()
  const resultSize = { width: meta.width!, height: meta.height! }
  // the delivered image brought back to the result's pixels (native ratios: the plan crops nothing)
  expect(ssim(await rgba(outcome.placed!.bytes, resultSize), await rgba(outcome.result!))).toBeGreaterThan(0.75)
  const composited = outcome.note !== NOT_COMPOSITED_NOTE
  if (expectComposited !== undefined) expect(composited).toBe(expectComposited)
  if (!composited || outcome.drawn === undefined) return
  // where the original's own pixels are in the delivered image, against where the host drew the source
  const output = { width: outcome.placed!.width, height: outcome.placed!.height }
  const drawn = scaleBox(outcome.drawn, resultSize, output)
  const found = await originalIn(outcome.placed!.bytes, exported.bytes, drawn)
  const tolerance = Math.max(2, (0.5 * output.width) / resultSize.width)
  for (const [a, b] of [
    [found.x, drawn.x],
    [found.y, drawn.y],
    [found.x + found.width, drawn.x + drawn.width],
    [found.y + found.height, drawn.y + drawn.height]
  ]) {
    expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance)
  }
}

/** Where the original sits in a delivered image (its own pixels, so the match is exact), searched around `near`. */
async function originalIn(delivered: Uint8Array, original: Uint8Array, near: Box): Promise<Box> {
  const [picture, source] = await Promise.all([nodeBackend.decode(delivered), nodeBackend.decode(original)])
  const edges = locateAnalysisEdges(picture, source, near)
  const [small, smallSource] = await Promise.all([nodeBackend.analysis(picture, edges.result), nodeBackend.analysis(source, edges.source)])
  const match = locateSource(small, smallSource, scaleBox(near, picture, small), { fullSize: { source, result: picture } })
  expect(match.detail).toBeGreaterThan(0.9)
  return scaleBox(match.box, small, picture)
}

describe.each(HOSTED_IDS)('%s: bad input ends honestly', (id) => {
  it('a result the size of a thumbnail is composited where it is found, or kept as it came and noted when too small to tell', async () => {
    const coffee = await source(fixture('coffee.png'), 'image/png')
    // 32x18: the source's box is a few hundred result pixels, enough to find it
    const small = await reframe(id, coffee, '16:9', { scale: 1 / 64 })
    expect(small.placed).toMatchObject({ width: 711, height: 400 })
    await expectHonest(small, coffee)
    // 16x9: too few pixels to tell the source from anything else
    const tiny = await reframe(id, coffee, '16:9', { scale: 1 / 128 })
    expect(tiny).toMatchObject({ state: 'done', note: NOT_COMPOSITED_NOTE })
    expect(tiny.placed).toMatchObject({ width: 711, height: 400 })
    await expectHonest(tiny, coffee, false)
  })

  it('a result that is not the source at all is kept as it came, and noted', async () => {
    const coffee = await source(fixture('coffee.png'), 'image/png')
    const outcome = await reframe(id, coffee, '16:9', { foreign: true })
    expect(outcome).toMatchObject({ state: 'done', note: NOT_COMPOSITED_NOTE })
    await expectHonest(outcome, coffee, false)
  })

  it('a transparent source (the logo) comes back as PNG, its pixels only where the host drew them', async () => {
    const logo = await source(fixture('logo.png'), 'image/png')
    const outcome = await reframe(id, logo, '16:9')
    expect(outcome.state).toBe('done')
    expect((await sharp(outcome.placed!.bytes).metadata()).format).toBe('png')
    await expectHonest(outcome, logo)
  })

  it('a 1-pixel-wide source ends delivered honestly or failed with a reason, never with the column pasted elsewhere', async () => {
    const column = new Uint8Array(await sharp(fixture('coffee.png')).extract({ left: 300, top: 0, width: 1, height: 400 }).png().toBuffer())
    const thin = await source(column, 'image/png')
    const outcome = await reframe(id, thin, '16:9')
    expect(['done', 'failed']).toContain(outcome.state)
    await expectHonest(outcome, thin)
  })

  it('an EXIF-turned original (orientation 6) is composited upright, where the host drew it', async () => {
    // stored as 400x600 turned a quarter; upright it is the 600x400 coffee
    const turned = new Uint8Array(await sharp(fixture('coffee.png')).rotate(-90).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer())
    const exported = await source(turned, 'image/jpeg', { width: 600, height: 400 })
    const outcome = await reframe(id, exported, '16:9')
    expect(outcome).toMatchObject({ state: 'done', note: undefined })
    expect(outcome.placed).toMatchObject({ width: 711, height: 400 })
    await expectHonest(outcome, exported, true)
  })

  it('a host that ignores the box gets the original composited at the place it really drew it', async () => {
    const coffee = await source(fixture('coffee.png'), 'image/png')
    const outcome = await reframe(id, coffee, '9:16', { ignoreBox: true })
    expect(outcome).toMatchObject({ state: 'done', note: undefined })
    await expectHonest(outcome, coffee, true)
  })
})
