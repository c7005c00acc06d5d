// Real pixels before generated ones, end to end: the real main thread on the strict fake figma, the
// plugin window's run (startFigmaRunAsync) and each host's fake over HTTP with the real provider
// clients. A 16:9 photo shown in a square layer (FILL) needs no job for 16:9; a 9:16 is a job as
// before; a 21:9 is a job sent the whole photo, so only the sides are generated.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { fitWithin, planReframe } from '../../src/core/reframe-plan'
import type { SizeId } from '../../src/core/sizes'
import { nodeBackend } from '../../src/imaging/backend-node'
import { ssim } from '../../src/imaging/image-quality'
import type { RgbaImage } from '../../src/imaging/rgba-image'
import { FROM_THE_PHOTO_NOTE } from '../../src/pipeline/run-batch'
import { UploadCache } from '../../src/pipeline/upload-cache'
import type { Selection } from '../../src/protocol/messages'
import { DEFAULT_SETTINGS, type ProviderId } from '../../src/protocol/settings'
import { createLocalProvider } from '../../src/providers/local'
import type { ReframeProvider } from '../../src/providers/provider'
import { startFigmaRunAsync, type FrameRef } from '../../ui/batch/run-in-figma'
import { jobsFor } from '../../ui/hooks/use-batch'
import type { FakeFrameNode } from '../../preview/fakes/figma/fake-nodes'
import { loadFixture, startMain, type Main } from '../plugin/start-main'
import { HOSTED_IDS, startHarness, type Harness } from '../providers/support'
import { closedAfterEach } from '../support/closed-after-each'

let main: Main | undefined
let harness: Harness | undefined
const open = closedAfterEach()

let photoBytes: Uint8Array | undefined
/** The cropped-layer fixture's photo: 1280x720 (16:9), from the elephants. */
async function widePhoto(): Promise<Uint8Array> {
  photoBytes ??= new Uint8Array(await sharp(loadFixture('Elephants_3840x2160.jpg')).resize(1280, 720).jpeg({ quality: 90 }).toBuffer())
  return photoBytes
}

/** The real main with one 300x300 layer showing the photo's middle (FILL), selected. */
async function croppedLayer(): Promise<{ main: Main; selection: Selection }> {
  const started = await startMain()
  main = started
  open.push({ close: () => started.stop() })
  const rect = main.fake.api.createRectangle()
  rect.name = 'Elephants'
  rect.resize(300, 300)
  rect.fills = [{ type: 'IMAGE', imageHash: main.fake.api.createImage(await widePhoto()).hash, scaleMode: 'FILL' }]
  main.figma.currentPage.selection = [rect]
  return { main, selection: await main.readyAsync() }
}

/**
 * The jobs the window counts before the run (its cost line plans each size from the selection alone:
 * the layer's size at 1x and the photo around it; ui/sizes/plan-preview.ts, tested with the same layer).
 */
function jobsCounted(selection: Selection, sizes: SizeId[]): number {
  return selection.sources
    .flatMap((source) =>
      sizes.map((size) =>
        planReframe({ layer: source, pixels: fitWithin(source, 2048), size, engine: 'hosted', placement: 'center', frameMode: 'around', available: source.available })
      )
    )
    .filter((plan) => plan.job === 'run').length
}

async function runSizes(selection: Selection, provider: ReframeProvider, sizes: SizeId[], providerId: ProviderId = provider.id) {
  const frames = new Map<string, FrameRef>()
  const run = await startFigmaRunAsync({
    main: main!.ui,
    backend: nodeBackend,
    provider,
    settings: { ...DEFAULT_SETTINGS, provider: providerId, localMode: 'fill' },
    jobs: jobsFor(selection.sources, sizes),
    layers: new Map(selection.sources.map((source) => [source.nodeId, { width: source.width, height: source.height }])),
    retry: false,
    frames,
    tickets: new Map(),
    uploads: new UploadCache()
  })
  const summary = await run.finished
  /** The image bytes placed in a size's frame, and the frame. */
  const placed = async (size: SizeId) => {
    const frame = (await main!.figma.getNodeByIdAsync(frames.get(`${selection.sources[0].nodeId}|${size}`)!.frameId)) as FakeFrameNode
    const paint = (frame.fills as ImagePaint[])[0]
    return { frame, bytes: main!.fake.api.getImageByHash(paint.imageHash!)!.bytes }
  }
  return { run, summary, placed }
}

async function rgba(bytes: Uint8Array, region?: { left: number; top: number; width: number; height: number }): Promise<RgbaImage> {
  let image = sharp(bytes).ensureAlpha()
  if (region) image = image.extract(region)
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) }
}

describe('real pixels before generated ones, over HTTP', () => {
  it.each(HOSTED_IDS)('%s: a 16:9 of the cropped layer is the photo itself: no upload, no job, its own bytes, said so', async (id) => {
    const { selection } = await croppedLayer()
    harness = await startHarness(id)
    open.push(harness.fake)
    expect(jobsCounted(selection, ['16:9'])).toBe(0)
    const { run, summary, placed } = await runSizes(selection, harness.provider, ['16:9'])
    expect(summary).toMatchObject({ done: 1, failed: 0 })
    expect(harness.fake.stats.uploads).toBe(0)
    expect(harness.fake.stats.creates).toBe(0)
    expect(harness.fake.stats.requests).toEqual([])
    const { frame, bytes } = await placed('16:9')
    expect(bytes).toEqual(await widePhoto())
    expect(frame.getPluginData('note')).toBe(FROM_THE_PHOTO_NOTE)
    expect(run.status(`${selection.sources[0].nodeId}|16:9`)).toMatchObject({ state: 'done', note: FROM_THE_PHOTO_NOTE })
  })

  it.each(HOSTED_IDS)('%s: a 9:16 is one job on what the layer shows (the photo has nothing above or below it)', async (id) => {
    const { selection } = await croppedLayer()
    harness = await startHarness(id)
    open.push(harness.fake)
    const { summary } = await runSizes(selection, harness.provider, ['9:16'])
    expect(summary).toMatchObject({ done: 1, failed: 0 })
    expect(harness.fake.stats.creates).toBe(1)
    const [job] = [...harness.fake.jobs.jobs.values()]
    expect(await sharp(job.source).metadata()).toMatchObject({ width: 720, height: 720 })
  })

  it.each(HOSTED_IDS)('%s: a 21:9 is one job sent the whole photo, the larger real region, composited back', async (id) => {
    const { selection } = await croppedLayer()
    harness = await startHarness(id, { scale: 1 / 2 })
    open.push(harness.fake)
    const { summary, placed, run } = await runSizes(selection, harness.provider, ['21:9'])
    expect(summary).toMatchObject({ done: 1, failed: 0 })
    expect(harness.fake.stats.creates).toBe(1)
    const [job] = [...harness.fake.jobs.jobs.values()]
    // the source sent (uploaded, or inline on Replicate) is the photo's 1280x720 pixels, asked to sit in a 16:9 box in the middle
    expect(await sharp(job.source).metadata()).toMatchObject({ width: 1280, height: 720 })
    expect(job.requestedBox!.width / job.requestedBox!.height).toBeCloseTo(16 / 9, 1)
    // the frame: 1680x720 at the layer's density, the photo's own pixels in its middle 1280 columns
    const { bytes } = await placed('21:9')
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 1680, height: 720 })
    const middle = await rgba(bytes, { left: 200, top: 0, width: 1280, height: 720 })
    expect(ssim(middle, await rgba(await widePhoto()))).toBeGreaterThan(0.97)
    expect(run.status(`${selection.sources[0].nodeId}|21:9`)?.note).toBeUndefined()
  })

  it('sends exactly the jobs the cost line counted, and makes the rest from the photo', async () => {
    const { selection } = await croppedLayer()
    harness = await startHarness('eachlabs')
    open.push(harness.fake)
    const sizes: SizeId[] = ['16:9', '4:3', '1:1', '9:16', '21:9']
    // 16:9, 4:3 and 1:1 lie inside the photo; 9:16 and 21:9 are jobs
    expect(jobsCounted(selection, sizes)).toBe(2)
    const { summary, run } = await runSizes(selection, harness.provider, sizes)
    expect(summary).toMatchObject({ done: 5, failed: 0 })
    expect(harness.fake.stats.creates).toBe(2)
    // one upload each: what the layer shows (9:16), and the whole photo (21:9)
    expect(harness.fake.stats.uploads).toBe(2)
    const notes = sizes.map((size) => run.status(`${selection.sources[0].nodeId}|${size}`)?.note)
    expect(notes).toEqual([FROM_THE_PHOTO_NOTE, FROM_THE_PHOTO_NOTE, FROM_THE_PHOTO_NOTE, undefined, undefined])
  })

  it('on the offline engine too: the 16:9 is the photo, the 21:9 fills around the whole photo, not just the square', async () => {
    const { selection } = await croppedLayer()
    const local = createLocalProvider({ backend: nodeBackend, mode: 'fill', fill: 'blur' })
    const { summary, placed } = await runSizes(selection, local, ['16:9', '21:9'], 'local')
    expect(summary).toMatchObject({ done: 2, failed: 0 })
    expect((await placed('16:9')).bytes).toEqual(await widePhoto())
    const { bytes } = await placed('21:9')
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 1680, height: 720 })
    const middle = await rgba(bytes, { left: 200, top: 0, width: 1280, height: 720 })
    expect(ssim(middle, await rgba(await widePhoto()))).toBeGreaterThan(0.97)
  })
})
