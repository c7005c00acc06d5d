// The fault matrix: every hosted provider against every fault a real host or network throws at a job,
// over real HTTP against its fake. A job the host accepted is a promise it keeps: transient faults on
// polls and downloads are ridden out until the job's deadline, permanent ones fail at once, a create
// that may have reached the host is never sent twice, and cancel tells the host. One table at the end
// counts, per row, the faults injected, jobs created, results delivered, duplicate jobs and results lost.
import { afterAll, describe, expect, it } from 'vitest'
import type { EncodedImage } from '../../src/core/image-header'
import type { ReframeError } from '../../src/core/reframe-error'
import type { HostedProviderId } from '../../src/protocol/provider-list'
import type { TuningOverrides } from '../../src/providers/http/http-tuning'
import { ticketOf } from '../../src/providers/job-error'
import type { ReframeOptions, ReframeProvider, UploadedSource } from '../../src/providers/provider'
import { createProvider } from '../../src/providers/registry'
import type { EachlabsFakeOptions } from '../../preview/fakes/providers/eachlabs-server'
import type { FakeHostHandle } from '../../preview/fakes/providers/fake-host'
import { FAST_TUNING, harnessPerTest, HOSTED_IDS, loadSource } from './support'

type Outcome = 'delivered' | ReframeError['kind']

type Row = { provider: HostedProviderId; fault: string; injected: number; created: number; delivered: number; duplicates: number; lost: number; outcome: Outcome }

const rows: Row[] = []

/** The host's name for a route on `id`'s fake. */
const routes = (id: HostedProviderId) => ({ create: id === 'fal' ? 'submit' : 'create', poll: id === 'fal' ? 'status' : 'poll' })

/** A job deadline of a few seconds and a quick poll: rows end in well under a second unless a fault holds them. */
const MATRIX_TUNING: TuningOverrides = { ...FAST_TUNING, jobDeadlineMs: 5_000 }

type Context = {
  id: HostedProviderId
  fake: FakeHostHandle
  uploaded: UploadedSource
  provider: ReframeProvider
  route: ReturnType<typeof routes>
  /** Faults counted before a scenario cleared the switches. */
  clearedFaults: number
}

type Scenario = {
  fault: string
  /** Only for these providers (default: all three). */
  only?: HostedProviderId[]
  fakeOptions?: EachlabsFakeOptions
  tuning?: TuningOverrides
  /** Sets the faults up on the fake before the job runs. */
  arrange?: (context: Context) => void
  /** Runs the job (default: one reframe) and returns its result or its error. */
  run?: (context: Context) => Promise<EncodedImage | ReframeError>
  expected: Outcome
  /** Faults the row counts when the fake's switches do not (a job failure, a cancel). */
  injected?: number
  /** Checks beyond the table's counts. */
  check?: (context: Context, outcome: EncodedImage | ReframeError) => Promise<void> | void
}

const reframeOnce = ({ provider, uploaded }: Context, options?: ReframeOptions) =>
  provider.reframe(uploaded, '1:1', options).catch((error: unknown) => error as ReframeError)

const SCENARIOS: Scenario[] = [
  {
    fault: '429 storm with Retry-After (6 polls)',
    arrange: ({ fake, route }) => fake.faults.inject(route.poll, { kind: 'status', status: 429, retryAfter: '0.05' }, { times: 6 }),
    expected: 'delivered'
  },
  {
    fault: '429 storm without Retry-After (6 polls)',
    arrange: ({ fake, route }) => fake.faults.inject(route.poll, { kind: 'status', status: 429 }, { times: 6 }),
    expected: 'delivered'
  },
  {
    fault: '5xx burst (5 x 502 on polls)',
    arrange: ({ fake, route }) => fake.faults.inject(route.poll, { kind: 'status', status: 502 }, { times: 5 }),
    expected: 'delivered'
  },
  {
    fault: '429 storm with Retry-After (6 downloads)',
    arrange: ({ fake }) => fake.faults.inject('download', { kind: 'status', status: 429, retryAfter: '0.05' }, { times: 6 }),
    expected: 'delivered'
  },
  {
    fault: '5xx burst (5 x 503 on downloads)',
    arrange: ({ fake }) => fake.faults.inject('download', { kind: 'status', status: 503 }, { times: 5 }),
    expected: 'delivered'
  },
  {
    fault: 'cut mid-body (3 polls)',
    arrange: ({ fake, route }) => fake.faults.inject(route.poll, { kind: 'cut' }, { times: 3 }),
    expected: 'delivered'
  },
  {
    fault: 'cut mid-body (3 downloads)',
    arrange: ({ fake }) => fake.faults.inject('download', { kind: 'cut' }, { times: 3 }),
    expected: 'delivered'
  },
  {
    fault: '429 then 5xx on response_url',
    only: ['fal'],
    arrange: ({ fake }) => {
      fake.faults.inject('response', { kind: 'status', status: 429, retryAfter: '0.05' }, { times: 3 })
      fake.faults.inject('response', { kind: 'status', status: 503 }, { times: 2 }) // a rule sees only what the ones before it let through
    },
    expected: 'delivered'
  },
  {
    fault: 'malformed JSON (3 polls)',
    arrange: ({ fake, route }) => fake.faults.inject(route.poll, { kind: 'malformed' }, { times: 3 }),
    expected: 'delivered'
  },
  {
    fault: 'HTML 200 body (3 polls)',
    arrange: ({ fake, route }) => fake.faults.inject(route.poll, { kind: 'html' }, { times: 3 }),
    expected: 'delivered'
  },
  {
    fault: 'HTML 200 body (3 downloads)',
    // a captive portal or a CDN's error page in place of the result: the result URL is asked again
    arrange: ({ fake }) => fake.faults.inject('download', { kind: 'html' }, { times: 3 }),
    expected: 'delivered',
    check: ({ fake }) => {
      expect(fake.stats.requests.filter((r) => r.route === 'download')).toHaveLength(4)
    }
  },
  {
    fault: 'hang (1 poll never answered)',
    // the request timeout fires on the hung poll, which is then sent again
    tuning: { ...MATRIX_TUNING, requestTimeoutMs: 2_000, jobDeadlineMs: 15_000 },
    arrange: ({ fake, route }) => fake.faults.inject(route.poll, { kind: 'hang' }),
    expected: 'delivered',
    check: ({ fake, route }) => {
      expect(fake.stats.requests.filter((r) => r.route === route.poll).length).toBeGreaterThanOrEqual(2)
    }
  },
  {
    fault: 'job failure (reported, not retried)',
    arrange: ({ fake }) => fake.faults.failJobs('out of memory on the GPU'),
    injected: 1,
    expected: 'job-failed',
    check: ({ fake, route }, outcome) => {
      expect((outcome as ReframeError).message).toContain('out of memory on the GPU')
      expect(fake.stats.requests.filter((r) => r.route === route.create)).toHaveLength(1)
    }
  },
  {
    fault: 'slow create (answer after the timeout)',
    // the host starts the job but answers only after the client has given up on the request
    tuning: { ...MATRIX_TUNING, requestTimeoutMs: 500 },
    arrange: ({ fake, route }) => fake.faults.inject(route.create, { kind: 'late', delayMs: 60_000 }),
    expected: 'uncertain',
    check: ({ fake, route, id }, outcome) => {
      const host = { eachlabs: 'each::labs', fal: 'fal', replicate: 'Replicate' }[id]
      expect((outcome as ReframeError).message).toContain(`may have started on ${host}; it was not sent again so it is not paid twice`)
      expect(fake.stats.requests.filter((r) => r.route === route.create)).toHaveLength(1)
    }
  },
  {
    fault: 'cancel while running',
    fakeOptions: { runningMs: 60_000 },
    injected: 1,
    run: async (context) => {
      const controller = new AbortController()
      const outcome = await reframeOnce(context, { signal: controller.signal, onProgress: (event) => event.state === 'running' && controller.abort() })
      // the caller is not kept waiting for it, but the host hears of the cancel
      await context.fake.stats.until(() => context.fake.stats.cancels === 1)
      return outcome
    },
    expected: 'cancelled',
    check: async ({ fake, provider, uploaded }) => {
      const [cancelled] = fake.jobs.jobs.keys()
      // time passes for the cancelled job while another one runs to its end, polling every few ms
      fake.timing.runningMs = 40
      await provider.reframe(uploaded, '16:9')
      const requests = fake.stats.forJob(cancelled)
      expect(requests.slice(requests.findIndex((r) => r.route === 'cancel')).map((r) => r.route)).toEqual(['cancel'])
      expect(fake.stats.cancels).toBe(1)
    }
  },
  {
    fault: 'cancel while the create is on the wire',
    // the host starts the job, then answers a moment later: only that answer names the job to cancel
    fakeOptions: { runningMs: 60_000 },
    arrange: ({ fake, route }) => fake.faults.inject(route.create, { kind: 'late', delayMs: 300 }),
    run: async (context) => {
      const controller = new AbortController()
      const outcome = reframeOnce(context, { signal: controller.signal })
      await context.fake.stats.until(() => context.fake.stats.creates === 1)
      controller.abort()
      return outcome
    },
    injected: 2,
    expected: 'cancelled',
    check: async ({ fake }) => {
      await fake.stats.until(() => fake.stats.cancels === 1)
      const [created] = fake.jobs.jobs.keys()
      expect(fake.stats.requests.filter((r) => r.route === 'cancel').map((r) => r.jobId)).toEqual([created])
    }
  },
  {
    fault: 'download cut until the deadline, then resume',
    tuning: { ...MATRIX_TUNING, jobDeadlineMs: 3_000 },
    arrange: ({ fake }) => fake.faults.inject('download', { kind: 'cut' }, { times: Infinity }),
    run: async (context) => {
      const error = (await reframeOnce(context)) as ReframeError
      const ticket = ticketOf(error)
      expect({ kind: error.kind, hasResultUrl: typeof ticket?.resultUrl === 'string' }).toEqual({ kind: 'timeout', hasResultUrl: true })
      context.clearedFaults = context.fake.faults.injected()
      context.fake.faults.clear()
      const resumedAt = context.fake.stats.requests.length
      const image = await context.provider.reframe(context.uploaded, '1:1', { resume: ticket })
      // a known result is only downloaded again: no create, no poll (a cut download already on the wire
      // when the deadline struck may still land among them)
      const since = new Set(context.fake.stats.requests.slice(resumedAt).map((r) => r.route))
      expect([...since]).toEqual(['download'])
      return image
    },
    expected: 'delivered'
  }
]

describe.each(HOSTED_IDS)('%s under faults', (id) => {
  const startHarness = harnessPerTest()

  it.each(SCENARIOS.filter((s) => !s.only || s.only.includes(id)).map((s) => [s.fault, s] as const))('%s', async (_name, scenario) => {
    const { fake, provider: uploader, config } = await startHarness(id, scenario.fakeOptions)
    const uploaded = await uploader.upload(loadSource('chelsea.png'))
    const provider = createProvider(id, { ...config, tuning: scenario.tuning ?? MATRIX_TUNING })
    const context: Context = { id, fake, uploaded, provider, route: routes(id), clearedFaults: 0 }
    scenario.arrange?.(context)
    const outcome = await (scenario.run ?? reframeOnce)(context)
    const delivered = 'bytes' in outcome ? 1 : 0
    // counted before any check runs jobs of its own
    const row: Row = {
      provider: id,
      fault: scenario.fault,
      injected: scenario.injected ?? context.clearedFaults + fake.faults.injected(),
      created: fake.stats.creates,
      delivered,
      duplicates: Math.max(0, fake.stats.creates - 1),
      // jobs the host finished (or is finishing) successfully whose result never reached the caller
      lost: Math.max(0, [...fake.jobs.jobs.values()].filter((job) => !job.failure && job.cancelledAt === undefined).length - delivered),
      outcome: 'bytes' in outcome ? 'delivered' : outcome.kind
    }
    rows.push(row)
    expect(row.outcome).toBe(scenario.expected)
    if (delivered) expect({ width: (outcome as EncodedImage).width }).toEqual({ width: fake.outputSize('1:1').width })
    expect(row.duplicates).toBe(0)
    // the one job a create left uncertain is reported as such; every other finished job reaches the caller
    expect(row.lost).toBe(scenario.expected === 'uncertain' ? 1 : 0)
    await scenario.check?.(context, outcome)
  })
})

afterAll(() => {
  const header: Record<keyof Row, string> = {
    provider: 'provider',
    fault: 'fault',
    injected: 'faults injected',
    created: 'jobs created',
    delivered: 'results delivered',
    duplicates: 'duplicate jobs',
    lost: 'results lost',
    outcome: 'outcome'
  }
  const columns = Object.keys(header) as (keyof Row)[]
  const cells = [header, ...rows].map((row) => columns.map((column) => String(row[column])))
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)))
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i])).join(' | ')} |`
  console.log(['', line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n'))
})
