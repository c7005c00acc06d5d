// N sources x 3 ratios against the fake each::labs with a set job latency, at the settings' default
// concurrency: wall time against the ideal (latency x waves), uploads, bytes and polls per job.
import { DEFAULT_SETTINGS } from '../src/protocol/settings'
import type { NativeRatio } from '../src/core/ratios'
import { createEachlabsProvider } from '../src/providers/eachlabs'
import { DEFAULT_TUNING } from '../src/providers/http/http-tuning'
import { createLimiter } from '../src/core/limiter'
import { startFakeEachlabs } from '../preview/fakes/providers/eachlabs-server'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodedImageOf } from '../src/core/image-header'

const SOURCES = 8
const RATIOS: NativeRatio[] = ['1:1', '9:16', '16:9']
const QUEUED_MS = 200
const RUNNING_MS = 1000

export async function run(): Promise<void> {
  const concurrency = DEFAULT_SETTINGS.concurrency
  const latency = QUEUED_MS + RUNNING_MS
  const fake = await startFakeEachlabs({ queuedMs: QUEUED_MS, runningMs: RUNNING_MS })
  // the real poll defaults (1 s, x1.5, 3 s ceiling for a ~60 s job) scaled to this job's latency
  const scale = latency / 60_000
  const provider = createEachlabsProvider({
    apiKey: fake.key,
    baseUrl: fake.url,
    tuning: { poll: { firstDelayMs: DEFAULT_TUNING.poll.firstDelayMs * scale, growth: DEFAULT_TUNING.poll.growth, ceilingMs: DEFAULT_TUNING.poll.ceilingMs * scale } }
  })
  const load = (name: string) => encodedImageOf(new Uint8Array(readFileSync(join(import.meta.dirname, '../../shared/fixtures/images', name))))!
  const sources = Array.from({ length: SOURCES }, (_, i) => load(i % 2 === 0 ? 'chelsea.png' : 'rocket.jpg'))
  try {
    // warm-up: sharp and the HTTP agent, so the measurement is the pipeline, not first-call costs
    await provider.reframe(await provider.upload(sources[0]), '1:1')
    fake.stats.reset()

    const jobs = createLimiter(concurrency)
    const started = performance.now()
    const outcomes = await Promise.allSettled(
      sources.map(async (source) => {
        const uploaded = await provider.upload(source)
        // a job leaves the host's cap when it succeeds: its download does not hold the slot
        return Promise.all(
          RATIOS.map((ratio) =>
            jobs.run((release) => provider.reframe(uploaded, ratio, { onProgress: (e) => e.state === 'downloading' && release() }))
          )
        )
      })
    )
    const wall = performance.now() - started
    const failed = outcomes.filter((o) => o.status === 'rejected').length
    const jobCount = SOURCES * RATIOS.length
    const ideal = latency * Math.ceil(jobCount / concurrency)
    const polls = fake.stats.pollsPerJob()
    const sentBytes = sources.reduce((sum, s) => sum + s.bytes.length, 0)
    console.log(`${SOURCES} sources x ${RATIOS.length} ratios = ${jobCount} jobs, job latency ${latency} ms, concurrency ${concurrency}`)
    console.log(`wall ${wall.toFixed(0)} ms / ideal ${ideal} ms = ${(wall / ideal).toFixed(3)} (target <= 1.10)`)
    console.log(`uploads per source ${(fake.stats.uploads / SOURCES).toFixed(2)} (target 1)`)
    console.log(`bytes uploaded per source ${(fake.stats.bytesUploaded / SOURCES).toFixed(0)} (source bytes per source ${(sentBytes / SOURCES).toFixed(0)})`)
    console.log(`polls per job mean ${(polls.reduce((a, b) => a + b, 0) / polls.length).toFixed(1)}, max ${Math.max(...polls)}`)
    console.log(`max jobs in flight on the host ${fake.stats.maxInFlight}, failed sources ${failed}`)
  } finally {
    await fake.close()
  }
}
