// The job runner against the fake each::labs over real HTTP and a fake main over a real channel:
// upload once per source, every size in parallel under the cap, presets cropped from generated margin,
// Figma-safe results, partial failure, cancel, and retry of failures only.
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import type { RatioId } from '../../src/core/ratios'
import { nodeCodec } from '../../src/imaging/codec-node'
import { createEachlabsProvider } from '../../src/providers/eachlabs'
import type { ExportedSource } from '../../src/protocol/messages'
import { startFakeEachlabs, type EachlabsFakeOptions, type FakeEachlabs } from '../../preview/fakes/providers'
import { FAST_TUNING } from '../providers/support'
import { failedJobs, jobsFor, newBatchId, startBatch, type BatchJob } from '../../ui/runner/run-batch'
import { UploadCache } from '../../ui/runner/upload-cache'
import { exportedSource, fixture, startFakeMain, type FakeMain } from './fake-main'

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
  return { fake, main, provider }
}

function run(
  env: Awaited<ReturnType<typeof setUp>>,
  jobs: BatchJob[],
  extra: { concurrency?: number; uploads?: UploadCache; prompt?: string } = {}
) {
  return startBatch(
    { batchId: newBatchId(), jobs, prompt: extra.prompt ?? '', placement: 'center', exportMaxEdge: 2048 },
    { provider: env.provider, main: env.main.ui, codec: nodeCodec, concurrency: extra.concurrency ?? 6, uploads: extra.uploads }
  )
}

const coffee = () => exportedSource('1:1', 'Coffee', fixture('coffee.png'))
const rocket = () => exportedSource('1:2', 'Rocket', fixture('rocket.jpg'))

describe('the job runner', () => {
  it('uploads a source once and runs all its sizes at the same time, placing each result', async () => {
    const env = await setUp([await coffee()])
    const ratios: RatioId[] = ['1:1', '9:16', '16:9']
    const summary = await run(env, jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ratios)).done

    expect(summary.placed).toBe(3)
    expect(env.fake.stats.uploads).toBe(1)
    expect(env.main.exports).toHaveLength(1)
    expect(env.fake.stats.creates).toBe(3)
    expect(env.fake.stats.maxInFlight).toBe(3)
    expect(env.main.placed.map((p) => p.ratio).sort()).toEqual([...ratios].sort())
    for (const placed of env.main.placed) {
      const native = env.fake.outputSize(placed.ratio as '1:1')
      expect({ width: placed.width, height: placed.height }).toEqual(native)
      expect(placed.provider).toBe('eachlabs')
    }
    expect(env.main.finished).toEqual([{ batchId: summary.batchId, failed: 0, cancelled: false }])
  })

  it('never has more jobs in flight than the concurrency limit, and queues the rest', async () => {
    const env = await setUp([await coffee(), await rocket()])
    const ratios: RatioId[] = ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21']
    const sources = [
      { nodeId: '1:1', name: 'Coffee' },
      { nodeId: '1:2', name: 'Rocket' }
    ]
    const queuedSeen = new Set<string>()
    const handle = startBatch(
      { batchId: newBatchId(), jobs: jobsFor(sources, ratios), prompt: '', placement: 'center', exportMaxEdge: 2048 },
      {
        provider: env.provider,
        main: env.main.ui,
        codec: nodeCodec,
        concurrency: 3,
        onRow: (row) => {
          if (row.state === 'queued') queuedSeen.add(row.key)
        }
      }
    )
    const summary = await handle.done

    expect(summary.placed).toBe(14)
    expect(env.fake.stats.uploads).toBe(2)
    expect(env.fake.stats.maxInFlight).toBe(3)
    expect(queuedSeen.size).toBeGreaterThan(0)
  })

  it('keeps going when one job fails, shows why, and Retry failed reruns only that job on the same upload', async () => {
    const env = await setUp([await coffee()])
    env.fake.faults.failJobs('NSFW content detected', 1)
    const uploads = new UploadCache()
    const first = await run(env, jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ['1:1', '9:16', '16:9']), { uploads }).done

    expect(first.placed).toBe(2)
    expect(first.failed).toBe(1)
    const failed = first.rows.filter((row) => row.state === 'failed')
    expect(failed).toHaveLength(1)
    expect(failed[0].error).toContain('NSFW content detected')
    expect(env.main.finished[0]).toMatchObject({ failed: 1, cancelled: false })

    const retry = await run(env, failedJobs(first.rows), { uploads }).done
    expect(retry.placed).toBe(1)
    expect(retry.rows.map((row) => row.ratio)).toEqual([failed[0].ratio])
    expect(env.fake.stats.uploads).toBe(1)
    expect(env.main.exports).toHaveLength(1)
    expect(env.fake.stats.creates).toBe(4)
    expect(env.main.placed.map((p) => p.ratio).sort()).toEqual(['16:9', '1:1', '9:16'])
  })

  it('reports a result Figma refuses as that one failure, with Figma’s reason', async () => {
    const env = await setUp([await coffee()])
    env.main.refusePlacement.add('9:16')
    const summary = await run(env, jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ['1:1', '9:16'])).done
    expect(summary.placed).toBe(1)
    expect(summary.rows.find((row) => row.ratio === '9:16')).toMatchObject({ state: 'failed', error: expect.stringContaining('Figma refused the image') })
  })

  it('fails every size of a source whose export fails, and runs the other sources', async () => {
    const env = await setUp([await coffee()])
    const sources = [
      { nodeId: '1:1', name: 'Coffee' },
      { nodeId: '9:9', name: 'Deleted' }
    ]
    const summary = await run(env, jobsFor(sources, ['1:1', '16:9'])).done
    expect(summary.placed).toBe(2)
    const deleted = summary.rows.filter((row) => row.sourceNodeId === '9:9')
    expect(deleted.map((row) => row.state)).toEqual(['failed', 'failed'])
    expect(deleted[0].error).toContain('The layer was deleted.')
  })

  it('Cancel stops all traffic at once, keeps what was placed, and tells main the batch was cancelled', async () => {
    const env = await setUp([await coffee()], { queuedMs: 10, runningMs: 30 })
    const ratios: RatioId[] = ['1:1', '16:9', '9:16', '4:3', '3:4']
    let handle: ReturnType<typeof run> | undefined
    let cancelledAtRequest = -1
    handle = startBatch(
      { batchId: newBatchId(), jobs: jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ratios), prompt: '', placement: 'center', exportMaxEdge: 2048 },
      {
        provider: env.provider,
        main: env.main.ui,
        codec: nodeCodec,
        concurrency: 1,
        onRow: (row) => {
          if (row.state === 'placed' && cancelledAtRequest < 0) {
            cancelledAtRequest = env.fake.stats.requests.length
            handle?.cancel()
          }
        }
      }
    )
    const summary = await handle.done
    const requestsAtEnd = env.fake.stats.requests.length
    // nothing keeps polling or creating once the batch is over
    await new Promise((resolve) => setTimeout(resolve, 150))

    expect(summary.cancelled).toBe(true)
    expect(summary.placed).toBe(1)
    expect(summary.rows.filter((row) => row.state === 'cancelled')).toHaveLength(4)
    expect(env.fake.stats.creates).toBeLessThanOrEqual(2)
    expect(env.fake.stats.requests.length).toBe(requestsAtEnd)
    expect(requestsAtEnd - cancelledAtRequest).toBeLessThanOrEqual(1)
    expect(env.main.finished).toEqual([{ batchId: summary.batchId, failed: 0, cancelled: true }])
  })

  it('makes a 4:5 preset from a 3:4 source by generating 1:1 and cropping only generated margin', async () => {
    // the fake letterboxes the source on magenta: whatever is not magenta is the source
    const source = await exportedSource('1:1', 'Portrait', fixture('astronaut.png'), { width: 384, height: 512 })
    const env = await setUp([source], { fill: '#ff00ff', scale: 1 / 4 })
    const summary = await run(env, jobsFor([{ nodeId: '1:1', name: 'Portrait' }], ['4:5'])).done
    expect(summary.placed).toBe(1)

    const created = env.fake.stats.requests.filter((r) => r.route === 'create')
    expect(created).toHaveLength(1)
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
    // the whole source is still there (3:4 of the height), with generated margin on both sides
    expect(sourceColumns.length).toBeGreaterThanOrEqual(Math.floor(info.height * 0.75) - 2)
    expect(isMargin(0)).toBe(true)
    expect(isMargin(info.width - 1)).toBe(true)
  })

  it('scales a result larger than 4096 px down before it reaches main', async () => {
    const env = await setUp([await coffee()], { scale: 2.05 })
    const summary = await run(env, jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ['16:9'])).done
    expect(env.fake.outputSize('16:9').width).toBeGreaterThan(4096)
    expect(summary.placed).toBe(1)
    const placed = env.main.placed[0]
    expect(Math.max(placed.width, placed.height)).toBe(4096)
    expect(placed.width / placed.height).toBeCloseTo(16 / 9, 2)
  })

  it('sends the prompt and keeps the row states in the order a person expects', async () => {
    const env = await setUp([await coffee()])
    const states: string[] = []
    const handle = startBatch(
      { batchId: newBatchId(), jobs: jobsFor([{ nodeId: '1:1', name: 'Coffee' }], ['1:1']), prompt: 'extend the table', placement: 'center', exportMaxEdge: 2048 },
      { provider: env.provider, main: env.main.ui, codec: nodeCodec, concurrency: 2, onRow: (row) => states.push(row.state) }
    )
    await handle.done
    const [job] = [...env.fake.jobs.jobs.values()]
    expect(JSON.stringify(job.input)).toContain('extend the table')
    expect(env.main.placed[0].prompt).toBe('extend the table')
    const order = ['uploading', 'queued', 'running', 'placing', 'placed']
    const firstSeen = order.map((state) => states.indexOf(state))
    expect(firstSeen.every((index) => index >= 0)).toBe(true)
    expect([...firstSeen].sort((a, b) => a - b)).toEqual(firstSeen)
  })
})
