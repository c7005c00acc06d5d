// The headless batch. First against an engine whose jobs the test finishes by hand (so parallelism,
// queueing, cancel and resume are checked by events, never by timing), then end to end: the fake
// each::labs over real HTTP and a fake main over a real channel, as the plugin window runs it.
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import type { JobState, JobStatus } from '../../src/core/job-state'
import type { EncodedImage } from '../../src/core/image-header'
import { ReframeError } from '../../src/core/reframe-error'
import type { SizeId } from '../../src/core/sizes'
import { nodeBackend } from '../../src/imaging/backend-node'
import { newBatchId, startBatch, type BatchDeps, type BatchJob } from '../../src/pipeline/run-batch'
import { UploadCache } from '../../src/pipeline/upload-cache'
import { createEachlabsProvider } from '../../src/providers/eachlabs'
import type { JobTicket, ReframeOptions, ReframeProvider, UploadedSource } from '../../src/providers/provider'
import { startFakeEachlabs, type EachlabsFakeOptions, type FakeEachlabs } from '../../preview/fakes/providers'
import type { ExportedSource } from '../../src/protocol/messages'
import { jobsFor } from '../../ui/hooks/use-batch'
import { startFigmaRunAsync } from '../../ui/batch/run-in-figma'
import { DEFAULT_SETTINGS } from '../../src/protocol/settings'
import { FAST_TUNING } from '../providers/support'
import { exportedSource, fixture, startFakeMain, type FakeMain } from '../ui/fake-main'

const pixel: EncodedImage = { bytes: new Uint8Array([1]), width: 600, height: 400, format: 'png' }

type Call = { size: SizeId; options: ReframeOptions; resolve(image: EncodedImage): void; reject(error: unknown): void }

/** An engine whose every job waits until the test settles it; it says when a job starts. */
function handEngine() {
  const calls: Call[] = []
  const uploads: string[] = []
  const waiters: Array<{ count: number; resolve(): void }> = []
  const provider: ReframeProvider = {
    id: 'eachlabs',
    supportsRatio: () => true,
    async upload(source) {
      uploads.push(String(source.width))
      return { provider: 'eachlabs', url: 'https://example.test/u', source }
    },
    reframe(_uploaded: UploadedSource, size, options = {}) {
      return new Promise<EncodedImage>((resolve, reject) => {
        calls.push({ size, options, resolve, reject })
        options.signal?.addEventListener('abort', () => reject(new ReframeError('cancelled', 'Cancelled.')))
        for (const waiter of waiters.filter((w) => calls.length >= w.count)) waiter.resolve()
      })
    }
  }
  return {
    provider,
    calls,
    uploads,
    /** Resolves once `count` jobs have been started. */
    started(count: number) {
      return new Promise<void>((resolve) => (calls.length >= count ? resolve() : waiters.push({ count, resolve })))
    }
  }
}

function handDeps(provider: ReframeProvider, extra: Partial<BatchDeps> = {}) {
  const delivered: BatchJob[] = []
  const statuses: Array<{ key: string; status: JobStatus }> = []
  const reached: Array<{ key: string; state: JobState; resolve(): void }> = []
  const exports: string[] = []
  const deps: BatchDeps = {
    provider,
    engine: 'hosted',
    concurrency: 2,
    async exportSource(sourceId) {
      exports.push(sourceId)
      if (sourceId === 'gone') throw new Error('The layer was deleted, so it cannot be exported')
      return { image: pixel, layer: { width: 600, height: 400 } }
    },
    finish: async (image) => ({ image }),
    async deliver(job) {
      delivered.push(job)
      return { name: `${job.sourceName} · ${job.size}` }
    },
    onStatus(job, status) {
      statuses.push({ key: job.key, status })
      for (const waiter of reached.filter((w) => w.key === job.key && w.state === status.state)) waiter.resolve()
    },
    ...extra
  }
  /** Resolves when the job reaches the state. */
  const reaches = (key: string, state: JobState) => new Promise<void>((resolve) => reached.push({ key, state, resolve }))
  return { deps, delivered, statuses, exports, reaches }
}

const request = (jobs: BatchJob[]) => ({ batchId: newBatchId(), jobs, prompt: '', placement: 'center' as const, frameMode: 'around' as const, exportMaxEdge: 2048 })
const coffeeJobs = (sizes: SizeId[]) => jobsFor([{ nodeId: 'c', name: 'Coffee' }], sizes)

describe('the batch pipeline', () => {
  it('exports and uploads a source once, then runs its sizes at the same time up to the concurrency, queueing the rest', async () => {
    const engine = handEngine()
    const { deps, delivered, exports } = handDeps(engine.provider)
    const handle = startBatch(request(coffeeJobs(['1:1', '9:16', '16:9'])), deps)
    await engine.started(2)
    // two in flight, the third waits for a slot
    expect(engine.calls.map((call) => call.size)).toEqual(['1:1', '9:16'])
    expect(handle.status('c|16:9')?.state).toBe('queued')
    engine.calls[1].resolve(pixel)
    await engine.started(3)
    engine.calls[0].resolve(pixel)
    engine.calls[2].resolve(pixel)
    const summary = await handle.done
    expect(summary).toMatchObject({ done: 3, failed: 0, cancelled: false })
    expect(exports).toEqual(['c'])
    expect(engine.uploads).toHaveLength(1)
    expect(delivered.map((job) => job.size).sort()).toEqual(['16:9', '1:1', '9:16'])
  })

  it('asks the host for the planned native ratio with the planned source box, and delivers the plan', async () => {
    const engine = handEngine()
    const plans: unknown[] = []
    const { deps } = handDeps(engine.provider, { deliver: async (job, _r, plan) => (plans.push(plan), { name: job.key }) })
    const handle = startBatch(request(coffeeJobs(['ig-portrait'])), deps)
    await engine.started(1)
    expect(engine.calls[0].size).toBe('3:4')
    expect(engine.calls[0].options.sourceBox).toMatchObject({ x: 0 })
    expect(engine.calls[0].options.sourceBox!.width).toBeCloseTo(1344, 6)
    engine.calls[0].resolve(pixel)
    await handle.done
    expect(plans[0]).toMatchObject({ size: 'ig-portrait', exported: { width: 1080, height: 1350 } })
  })

  it('moves every job only forward through its states, whatever order the host reports them in', async () => {
    const engine = handEngine()
    const { deps, statuses } = handDeps(engine.provider)
    const handle = startBatch(request(coffeeJobs(['1:1'])), deps)
    await engine.started(1)
    const report = engine.calls[0].options.onProgress!
    report({ state: 'running' })
    report({ state: 'queued' }) // each::labs can say "starting" after "processing"
    report({ state: 'downloading' })
    report({ state: 'running' })
    engine.calls[0].resolve(pixel)
    await handle.done
    const order: JobState[] = ['waiting', 'uploading', 'queued', 'generating', 'downloading', 'finishing', 'delivering', 'done']
    const seen = statuses.map((entry) => order.indexOf(entry.status.state))
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
    expect(statuses.at(-1)?.status).toMatchObject({ state: 'done', detail: 'Coffee · 1:1' })
  })

  it('keeps going when one job fails, and fails every size of a source that cannot be exported, once each', async () => {
    const engine = handEngine()
    const { deps, delivered } = handDeps(engine.provider)
    const jobs = [...coffeeJobs(['1:1', '16:9']), ...jobsFor([{ nodeId: 'gone', name: 'Deleted' }], ['1:1', '16:9'])]
    const handle = startBatch(request(jobs), deps)
    await engine.started(2)
    engine.calls[0].reject(new ReframeError('job-failed', 'The each::labs job failed: NSFW content detected'))
    engine.calls[1].resolve(pixel)
    const summary = await handle.done
    expect(summary).toMatchObject({ done: 1, failed: 3 })
    expect(delivered).toHaveLength(1)
    expect(handle.status('c|1:1')).toMatchObject({ state: 'failed', error: expect.stringContaining('NSFW content detected'), retryable: true })
    expect(handle.status('gone|16:9')).toMatchObject({ state: 'failed', error: 'The layer was deleted, so it cannot be exported' })
  })

  it('never offers to retry a file that cannot be decoded', async () => {
    const engine = handEngine()
    const { deps } = handDeps(engine.provider, {
      exportSource: async () => {
        throw new ReframeError('decode', 'coffee.jpg is a damaged JPEG: the file ends early')
      }
    })
    const summary = await startBatch(request(coffeeJobs(['1:1', '16:9'])), deps).done
    expect([...summary.statuses.values()].map((status) => [status.state, status.retryable, status.errorKind])).toEqual([
      ['failed', false, 'decode'],
      ['failed', false, 'decode']
    ])
  })

  it('Cancel stops every job not yet delivered, starts nothing more, and keeps what was delivered', async () => {
    const engine = handEngine()
    const { deps, delivered, reaches } = handDeps(engine.provider, { concurrency: 1 })
    const handle = startBatch(request(coffeeJobs(['1:1', '9:16', '16:9'])), deps)
    await engine.started(1)
    const firstDone = reaches('c|1:1', 'done')
    engine.calls[0].resolve(pixel)
    await Promise.all([engine.started(2), firstDone])
    handle.cancel()
    const summary = await handle.done
    expect(summary).toMatchObject({ done: 1, cancelled: true })
    expect(delivered).toHaveLength(1)
    expect(engine.calls).toHaveLength(2) // the third never started
    expect(engine.calls[1].options.signal?.aborted).toBe(true)
    expect(handle.status('c|16:9')?.state).toBe('cancelled')
  })

  it('keeps the ticket of a job the host accepted, and a retry resumes it instead of creating another', async () => {
    const engine = handEngine()
    const uploads = new UploadCache()
    const { deps } = handDeps(engine.provider, { uploads })
    const ticket: JobTicket = { provider: 'eachlabs', jobId: 'p-1', urls: {}, resultUrl: 'https://example.test/r.png' }
    const first = startBatch(request(coffeeJobs(['1:1'])), deps)
    await engine.started(1)
    engine.calls[0].options.onTicket!(ticket)
    engine.calls[0].reject(new ReframeError('network', 'Could not reach each::labs.'))
    const summary = await first.done
    expect(summary.tickets.get('c|1:1')).toEqual(ticket)

    const retry = startBatch(request(coffeeJobs(['1:1']).map((job) => ({ ...job, ticket: summary.tickets.get(job.key) }))), deps)
    await engine.started(2)
    expect(engine.calls[1].options.resume).toEqual(ticket)
    engine.calls[1].resolve(pixel)
    expect((await retry.done).tickets.size).toBe(0)
    expect(engine.uploads).toHaveLength(1) // the upload is reused too
  })

  it('drops the ticket of a job the host ended (failed, cancelled, not an image): a retry starts a new one', async () => {
    const engine = handEngine()
    const { deps } = handDeps(engine.provider)
    const handle = startBatch(request(coffeeJobs(['1:1'])), deps)
    await engine.started(1)
    engine.calls[0].options.onTicket!({ provider: 'eachlabs', jobId: 'p-2', urls: {} })
    engine.calls[0].reject(new ReframeError('job-failed', 'The each::labs job failed: NSFW content detected'))
    expect((await handle.done).tickets.size).toBe(0)
  })
})

describe('the batch pipeline against the fake each::labs and a fake main', () => {
  let fake: FakeEachlabs | undefined
  let main: FakeMain | undefined
  afterEach(async () => {
    main?.close()
    await fake?.close()
    fake = undefined
    main = undefined
  })

  async function setUp(sources: ExportedSource[], options: EachlabsFakeOptions = {}) {
    fake = await startFakeEachlabs(options)
    main = startFakeMain(sources)
    const provider = createEachlabsProvider({ apiKey: fake.key, baseUrl: fake.url, tuning: FAST_TUNING })
    return { fake, main, provider, sources }
  }

  async function run(env: Awaited<ReturnType<typeof setUp>>, jobs: BatchJob[], prompt = '') {
    const layers = new Map(env.sources.map((source) => [source.nodeId, source.layer]))
    return startFigmaRunAsync({
      main: env.main.ui,
      backend: nodeBackend,
      provider: env.provider,
      settings: { ...DEFAULT_SETTINGS, provider: 'eachlabs', prompt },
      jobs,
      layers,
      retry: false,
      frames: new Map(),
      tickets: new Map(),
      uploads: new UploadCache()
    })
  }

  it('runs every size of a source on one upload and places each result with its planned frame', async () => {
    const env = await setUp([await exportedSource('1:1', 'Coffee', fixture('coffee.png'))])
    const summary = await (await run(env, jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ['1:1', '9:16', '16:9']), 'extend the table')).finished
    expect(summary).toMatchObject({ done: 3, failed: 0 })
    expect(env.fake.stats.uploads).toBe(1)
    expect(env.fake.stats.creates).toBe(3)
    // one small export for the frames' previews, one for the upload
    expect(env.main.exports.map((e) => e.maxEdge)).toEqual([256, 2048])
    // every frame was made first, in the order asked for, then filled in place
    expect(env.main.created.map((frame) => frame.size)).toEqual(['1:1', '9:16', '16:9'])
    expect(env.main.created.every((frame) => frame.prompt === 'extend the table')).toBe(true)
    expect(env.main.placed.map((p) => p.frameId).sort()).toEqual(env.main.created.map((frame) => frame.frameId).sort())
    for (const placed of env.main.placed) {
      // at the source's own pixels, with the original put back: 600x400 coffee
      expect({ width: placed.width, height: placed.height }).toEqual({ '1:1': { width: 600, height: 600 }, '9:16': { width: 600, height: 1067 }, '16:9': { width: 711, height: 400 } }[placed.size])
      expect(placed.frame.width / placed.frame.height).toBeCloseTo(placed.width / placed.height, 1)
    }
    expect(env.main.finished).toEqual([{ batchId: summary.batchId, failed: 0, cancelled: false }])
    for (const job of env.fake.jobs.jobs.values()) expect(JSON.stringify(job.input)).toContain('extend the table')
  })

  it('makes a 4:5 preset from a 3:4 source by generating 1:1 and cropping only generated margin', async () => {
    // the fake letterboxes the source on magenta: whatever is not magenta is the source
    const source = await exportedSource('1:1', 'Portrait', fixture('astronaut.png'), { width: 384, height: 512 })
    const env = await setUp([source], { fill: '#ff00ff', scale: 1 / 4 })
    const summary = await (await run(env, jobsFor([{ nodeId: '1:1', name: 'Portrait' }], ['4:5']))).finished
    expect(summary.done).toBe(1)
    const [job] = [...env.fake.jobs.jobs.values()]
    expect(job.ratio).toBe('1:1')
    const placed = env.main.placed[0]
    expect(placed.width / placed.height).toBeCloseTo(4 / 5, 2)
    const { data, info } = await sharp(placed.bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const row = Math.floor(info.height / 2)
    const isMargin = (x: number) => {
      const i = (row * info.width + x) * 3
      return data[i] > 200 && data[i + 1] < 60 && data[i + 2] > 200
    }
    const sourceColumns = Array.from({ length: info.width }, (_, x) => x).filter((x) => !isMargin(x))
    expect(sourceColumns.length).toBeGreaterThanOrEqual(Math.floor(info.height * 0.75) - 2)
    expect(isMargin(0)).toBe(true)
    expect(isMargin(info.width - 1)).toBe(true)
  })

  it('makes a result larger than 4096 px (or any size) the planned output before it reaches main', async () => {
    const env = await setUp([await exportedSource('1:1', 'Coffee', fixture('coffee.png'))], { scale: 2.05 })
    const summary = await (await run(env, jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ['16:9']))).finished
    expect(env.fake.outputSize('16:9').width).toBeGreaterThan(4096)
    expect(summary.done).toBe(1)
    expect(env.main.placed[0]).toMatchObject({ width: 711, height: 400 })
  })

  it('reports a result Figma refuses as that one failure, with Figma’s reason', async () => {
    const env = await setUp([await exportedSource('1:1', 'Coffee', fixture('coffee.png'))])
    env.main.refusePlacement.add('9:16')
    const handle = await run(env, jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ['1:1', '9:16']))
    const summary = await handle.finished
    expect(summary.done).toBe(1)
    expect(handle.status('1:1|9:16')).toMatchObject({ state: 'failed', error: expect.stringContaining('Figma refused the image') })
    // the failed size keeps its frame, marked failed with the reason
    const failedFrame = env.main.created.find((frame) => frame.size === '9:16')!
    expect(env.main.failures).toEqual([{ batchId: summary.batchId, frameId: failedFrame.frameId, reason: expect.stringContaining('Figma refused the image') }])
  })
})
