// The contract every hosted provider keeps, run over real HTTP against each host's fake.
import { describe, expect, it } from 'vitest'
import { NATIVE_RATIOS } from '../../src/core/ratios'
import { ReframeError } from '../../src/core/reframe-error'
import type { HostedProviderConfig } from '../../src/providers/provider'
import { ticketOf } from '../../src/providers/job-error'
import { createProvider } from '../../src/providers/registry'
import {
  colourDistance,
  closedPort,
  FAST_TUNING,
  harnessPerTest,
  HOSTED_IDS,
  loadSource,
  pixelAt,
  recorder,
  rejectionOf
} from './support'

const FILL: [number, number, number] = [255, 0, 255]
const HOST_NAMES = { eachlabs: 'each::labs', fal: 'fal', replicate: 'Replicate' } as const

/** The request that starts a job, on any of the three hosts. */
function isCreate(url: string, init: RequestInit): boolean {
  return init.method === 'POST' && /\/v1\/prediction\/?$|\/v1\/models\/.+\/predictions$|\/flash\/reframe$/.test(new URL(url).pathname)
}

describe.each(HOSTED_IDS)('%s provider', (id) => {
  const startHarness = harnessPerTest()
  const start = (config: HostedProviderConfig = {}, options = {}) => startHarness(id, options, config)

  it('reframes one source to all 7 native ratios, each result the ratio output size with the source letterboxed on the fill', async () => {
    const { fake, provider } = await start()
    const source = loadSource('chelsea.png')
    const uploaded = await provider.upload(source)
    const results = await Promise.all(NATIVE_RATIOS.map((ratio) => provider.reframe(uploaded, ratio)))
    const sourceCentre = await pixelAt(source.bytes, Math.floor(source.width / 2), Math.floor(source.height / 2))
    for (const [i, ratio] of NATIVE_RATIOS.entries()) {
      const result = results[i]
      const expected = fake.outputSize(ratio)
      expect({ ratio, width: result.width, height: result.height, format: result.format }).toEqual({ ratio, ...expected, format: 'jpeg' })
      const centre = await pixelAt(result.bytes, Math.floor(result.width / 2), Math.floor(result.height / 2))
      expect(colourDistance(centre, sourceCentre)).toBeLessThan(60)
      expect(colourDistance(await pixelAt(result.bytes, 0, 0), FILL)).toBeLessThan(40)
    }
    expect(fake.stats.creates).toBe(7)
    expect(fake.stats.downloads).toBe(7)
  })

  it('sends each source to the host once, however many ratios use it', async () => {
    const { fake, provider } = await start()
    const sources = [loadSource('chelsea.png'), loadSource('rocket.jpg')]
    for (const source of sources) {
      const uploaded = await provider.upload(source)
      await Promise.all((['1:1', '16:9', '9:16', '4:3'] as const).map((ratio) => provider.reframe(uploaded, ratio)))
    }
    const sent = sources.reduce((sum, s) => sum + s.bytes.length, 0)
    if (id === 'replicate') {
      // small sources travel inline as data URIs, which is Replicate's own upload path under 1 MB
      expect(fake.stats.uploads).toBe(0)
      expect(fake.stats.inlineBytes).toBe(4 * sent)
    } else {
      expect(fake.stats.uploads).toBe(2)
      expect(fake.stats.bytesUploaded).toBe(sent)
    }
    expect(fake.stats.creates).toBe(8)
  })

  it('reports uploading once, then queued, downloading and done for each job', async () => {
    const { provider } = await start()
    const upload = recorder()
    const uploaded = await provider.upload(loadSource('rocket.jpg'), { onProgress: upload.onProgress })
    expect(upload.events.map((e) => e.state)).toEqual(['uploading'])
    const job = recorder()
    await provider.reframe(uploaded, '9:16', { onProgress: job.onProgress })
    const states = job.events.map((e) => e.state)
    expect(states[0]).toBe('queued')
    expect(states.slice(-2)).toEqual(['downloading', 'done'])
    expect(states.filter((s) => s === 'failed')).toEqual([])
    expect(job.events.every((e) => typeof e.jobId === 'string' && e.jobId.length > 0)).toBe(true)
  })

  it('reaches the storage host (uploads, results) on its own origin, never with the key', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    await provider.reframe(uploaded, '16:9')
    const storage = fake.stats.requests.filter((r) => r.listener === 'storage')
    // Replicate sends small sources inline: only its result lives on the CDN
    const expected = id === 'replicate' ? ['download'] : ['put', 'download']
    expect(storage.map((r) => r.route).sort()).toEqual(expected.sort())
    expect(fake.stats.requests.filter((r) => r.listener === 'api' && (r.route === 'put' || r.route === 'download'))).toEqual([])
    expect(fake.stats.storageLeaks).toEqual([])
  })

  it("sends the plan's sourceBox as whole x_start..y_end for every job, centred ones included", async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    await provider.reframe(uploaded, '1:1', { sourceBox: { x: 0, y: 255.6, width: 1536, height: 1021.4 }, placement: 'start' })
    await provider.reframe(uploaded, '16:9', { sourceBox: { x: 290.2, y: 0, width: 1467.5, height: 1152 }, placement: 'center' })
    const inputs = [...fake.jobs.jobs.values()].map((job) => job.input as Record<string, unknown>)
    expect(inputs[0]).toMatchObject({ x_start: 0, x_end: 1536, y_start: 256, y_end: 1277 })
    expect(inputs[1]).toMatchObject({ x_start: 290, x_end: 1758, y_start: 0, y_end: 1152 })
  })

  it('requests the native ratio a preset is made from', async () => {
    const { fake, provider } = await start()
    const source = loadSource('chelsea.png') // wider than 4:5: generate taller (3:4), crop later
    const result = await provider.reframe(await provider.upload(source), '4:5')
    expect({ width: result.width, height: result.height }).toEqual(fake.outputSize('3:4'))
  })

  it('rejects a bad key as an auth error with the host message, without retrying and without the key', async () => {
    const { fake, provider } = await start({ apiKey: 'wrong-key-123456' })
    // Replicate sends small sources inline, so its first request is the create
    const error = await rejectionOf(provider.upload(loadSource('chelsea.png')).then((uploaded) => provider.reframe(uploaded, '1:1')))
    expect(error).toBeInstanceOf(ReframeError)
    expect(error.kind).toBe('auth')
    expect(error.status).toBe(401)
    expect(error.hostMessage).toBeTruthy()
    expect(fake.stats.requests.filter((r) => r.route !== 'preflight')).toHaveLength(1)
    expect(JSON.stringify({ m: error.message, h: error.hostMessage, u: (error as unknown as ReframeError).userMessage })).not.toContain('wrong-key-123456')
  })

  it.each([
    [402, 'balance'],
    [422, 'invalid-input'],
    [400, 'invalid-input'],
    [403, 'auth']
  ] as const)('maps a %i on create to %s, carrying the host message, without retrying', async (status, kind) => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const create = id === 'fal' ? 'submit' : 'create'
    fake.faults.inject(create, { kind: 'status', status, message: `host says no (${status})` })
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect(error.kind).toBe(kind)
    expect(error.hostMessage).toBe(`host says no (${status})`)
    expect(error.message).toContain(`host says no (${status})`)
    expect(fake.stats.requests.filter((r) => r.route === create)).toHaveLength(1)
  })

  it('names the job failure with the host reason', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.failJobs('NSFW content detected in the input')
    const events = recorder()
    const error = await rejectionOf(provider.reframe(uploaded, '16:9', { onProgress: events.onProgress }))
    expect(error.kind).toBe('job-failed')
    expect(error.message).toContain('NSFW content detected in the input')
    expect(events.events.at(-1)?.state).toBe('failed')
  })

  it('one failed ratio does not stop the others', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.failJobs('generation failed', 1)
    const outcomes = await Promise.allSettled((['1:1', '16:9', '9:16'] as const).map((r) => provider.reframe(uploaded, r)))
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected'])
  })

  it.each([500, 502, 503, 408, 409])('retries a %i on poll, then succeeds', async (status) => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const poll = id === 'fal' ? 'status' : 'poll'
    fake.faults.inject(poll, { kind: 'status', status }, { times: 2 })
    const result = await provider.reframe(uploaded, '1:1')
    expect(result.width).toBe(fake.outputSize('1:1').width)
    expect(fake.stats.requests.filter((r) => r.route === poll).length).toBeGreaterThanOrEqual(3)
  })

  it('gives up on a persistent 5xx after the bounded attempts, as a host error', async () => {
    const { fake, provider, config } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const create = id === 'fal' ? 'submit' : 'create'
    fake.faults.inject(create, { kind: 'status', status: 500, message: 'database on fire' }, { times: 100 })
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect(error.kind).toBe('host')
    expect(error.message).toContain('database on fire')
    expect(fake.stats.requests.filter((r) => r.route === create)).toHaveLength(config.tuning?.retry?.attempts ?? -1)
  })

  it('waits the Retry-After of a 429 before trying again, then succeeds', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const create = id === 'fal' ? 'submit' : 'create'
    fake.faults.inject(create, { kind: 'status', status: 429, retryAfter: '0.25' })
    await provider.reframe(uploaded, '1:1')
    const attempts = fake.stats.requests.filter((r) => r.route === create)
    expect(attempts).toHaveLength(2)
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(240)
  })

  it('reports a persistent 429 as a rate limit', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject(id === 'fal' ? 'submit' : 'create', { kind: 'status', status: 429, retryAfter: '0' }, { times: 10 })
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect(error.kind).toBe('rate-limit')
  })

  it('retries a dropped connection, then succeeds', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject('download', { kind: 'drop' })
    const result = await provider.reframe(uploaded, '4:3')
    expect(result.height).toBe(fake.outputSize('4:3').height)
    expect(fake.stats.requests.filter((r) => r.route === 'download')).toHaveLength(2)
  })

  it('rides out a connection that keeps dropping on polls: the job the host accepted is finished, not lost', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject(id === 'fal' ? 'status' : 'poll', { kind: 'drop' }, { times: 12 })
    const result = await provider.reframe(uploaded, '4:3')
    expect(result.height).toBe(fake.outputSize('4:3').height)
    expect(fake.faults.injected()).toBe(12)
    expect(fake.stats.creates).toBe(1)
  })

  it('polls through failures until the job deadline, then says it timed out, what kept failing, and leaves the ticket', async () => {
    const { fake, provider } = await start({ tuning: { jobDeadlineMs: 3_000 } })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject(id === 'fal' ? 'status' : 'poll', { kind: 'status', status: 503, message: 'down for maintenance' }, { times: Infinity })
    const error = await rejectionOf(provider.reframe(uploaded, '4:3'))
    expect(error.kind).toBe('timeout')
    expect(error.message).toMatch(/did not finish within 3 s; the last try: .*down for maintenance/)
    expect(ticketOf(error)?.jobId).toBe([...fake.jobs.jobs.keys()][0])
    expect(fake.stats.creates).toBe(1)
  })

  it.each([
    ['its connection broke after sending', 'drop', `may have started on ${HOST_NAMES[id]}; it was not sent again so it is not paid twice`],
    ['it was answered with malformed JSON', 'malformed', 'not JSON. The job may have started']
  ] as const)('never sends a create again when %s: one job on the host, reported as uncertain', async (_when, kind, says) => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const create = id === 'fal' ? 'submit' : 'create'
    fake.faults.inject(create, { kind })
    const error = await rejectionOf(provider.reframe(uploaded, '4:3'))
    expect(error.kind).toBe('uncertain')
    expect(error.message).toContain(says)
    expect(fake.stats.requests.filter((r) => r.route === create)).toHaveLength(1)
  })

  it('sends a create again when the connection was refused before anything was sent', async () => {
    const { fake, provider, config } = await start({ tuning: { requestTimeoutMs: 5_000 } })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    // the first attempt goes to a closed port (refused), the next to the fake
    const closed = `http://127.0.0.1:${await closedPort()}`
    let refusedOnce = false
    const transport = (url: string, init: RequestInit) => {
      if (refusedOnce || !isCreate(url, init)) return fetch(url, init)
      refusedOnce = true
      return fetch(url.replace(new URL(fake.url).origin, closed), init)
    }
    const again = createProvider(id, { ...config, transport })
    const result = await again.reframe(uploaded, '1:1')
    expect(result.width).toBe(fake.outputSize('1:1').width)
    expect({ refusedOnce, creates: fake.stats.creates }).toEqual({ refusedOnce: true, creates: 1 })
  })

  it('treats a request that hangs past the request timeout as a connection error and retries it', async () => {
    const { fake, provider: uploader, config } = await start()
    const uploaded = await uploader.upload(loadSource('chelsea.png'))
    // short enough to see the hung poll let go, long enough for the create on a loaded machine
    const provider = createProvider(id, { ...config, tuning: { ...config.tuning, requestTimeoutMs: 1_000 } })
    fake.faults.inject(id === 'fal' ? 'status' : 'poll', { kind: 'hang' })
    const result = await provider.reframe(uploaded, '3:4')
    expect(result.width).toBe(fake.outputSize('3:4').width)
  })

  it('polls again after malformed JSON, not a crash and not a lost job', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject(id === 'fal' ? 'status' : 'poll', { kind: 'malformed' })
    const result = await provider.reframe(uploaded, '1:1')
    expect(result.width).toBe(fake.outputSize('1:1').width)
    expect(fake.faults.injected()).toBe(1)
  })

  it('stops reading a 20 MB result at the size cap', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject('download', { kind: 'huge' })
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect(error.kind).toBe('not-image')
    expect(error.message).toMatch(/larger than 16 MB/)
  })

  it('asks again for a result answered with an HTML page until the deadline, then keeps its URL for Retry', async () => {
    const { fake, provider } = await start({ tuning: { jobDeadlineMs: 2_000 } })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject('download', { kind: 'html' }, { times: Infinity })
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect(error.kind).toBe('timeout')
    expect(error.message).toMatch(/the last try: .*returned text\/html instead of an image/)
    expect(typeof ticketOf(error)?.resultUrl).toBe('string')
    expect(fake.stats.requests.filter((r) => r.route === 'download').length).toBeGreaterThan(1)
    expect(fake.stats.creates).toBe(1)
  })

  it('hangs up on an oversized result instead of reading it to the end', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const huge = 200 * 1024 * 1024 // more than loopback socket buffers can swallow
    fake.faults.inject('download', { kind: 'huge', bytes: huge })
    expect((await rejectionOf(provider.reframe(uploaded, '1:1'))).kind).toBe('not-image')
    await fake.stats.until(() => fake.stats.hugeClosed)
    expect(fake.stats.hugeBytesSent).toBeLessThan(huge / 2)
  })

  it('downloads a slowly dribbled result whole', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('rocket.jpg'))
    fake.faults.inject('download', { kind: 'slow', chunks: 6, chunkDelayMs: 40 })
    const events = recorder()
    const result = await provider.reframe(uploaded, '21:9', { onProgress: events.onProgress })
    expect({ width: result.width, height: result.height }).toEqual(fake.outputSize('21:9'))
    expect(events.events.map((e) => e.state)).toContain('downloading')
  })

  it('times out a slow download that passes the job deadline', async () => {
    const { fake, provider } = await start({ tuning: { jobDeadlineMs: 400 } })
    const uploaded = await provider.upload(loadSource('rocket.jpg'))
    fake.faults.inject('download', { kind: 'slow', chunks: 20, chunkDelayMs: 100 })
    expect((await rejectionOf(provider.reframe(uploaded, '1:1'))).kind).toBe('timeout')
  })

  it('stops polling at the deadline and says so', async () => {
    const { fake, provider, config } = await start({ tuning: { jobDeadlineMs: 250 } }, { runningMs: 60_000 })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect(error.kind).toBe('timeout')
    const jobId = ticketOf(error)?.jobId ?? ''
    const after = fake.stats.forJob(jobId).length
    // time passes for the timed-out job while another one runs to its end (polling every few ms)
    fake.timing.runningMs = 40
    await createProvider(id, { ...config, tuning: FAST_TUNING }).reframe(uploaded, '1:1')
    // a poll already on the wire when the deadline struck may still land; a loop still polling would add several
    expect(fake.stats.forJob(jobId).length - after).toBeLessThanOrEqual(1)
    expect(fake.stats.cancels).toBe(0)
  })

  it('cancel mid-poll rejects as cancelled, stops polling, and cancels the job on the host once', async () => {
    const { fake, provider } = await start({}, { runningMs: 60_000 })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const controller = new AbortController()
    let jobId = ''
    const job = provider.reframe(uploaded, '16:9', {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.state === 'running' && e.jobId) {
          jobId = e.jobId
          controller.abort()
        }
      }
    })
    const error = await rejectionOf(job)
    expect(error.kind).toBe('cancelled')
    await fake.stats.until(() => fake.stats.cancels === 1)
    // time passes for the cancelled job while another one runs to its end
    fake.timing.runningMs = 40
    await provider.reframe(uploaded, '1:1')
    const afterCancel = fake.stats.forJob(jobId).slice(fake.stats.forJob(jobId).findIndex((r) => r.route === 'cancel'))
    expect(afterCancel.map((r) => r.route)).toEqual(['cancel'])
    expect(fake.stats.cancels).toBe(1)
  })

  it('a cancel the host refuses is logged, never thrown, and never sent twice', async () => {
    const warnings: string[] = []
    const { fake, provider } = await start({ logger: { warn: (message) => warnings.push(message) } }, { runningMs: 60_000 })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject('cancel', { kind: 'status', status: 503, message: 'cancel service down' }, { times: 10 })
    const controller = new AbortController()
    const error = await rejectionOf(provider.reframe(uploaded, '1:1', { signal: controller.signal, onProgress: (e) => e.state === 'running' && controller.abort() }))
    expect(error.kind).toBe('cancelled')
    expect(fake.stats.requests.filter((r) => r.route === 'cancel')).toHaveLength(1)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^Could not cancel the .+ job .+; it may still run and be paid for\. .*cancel service down/)
  })

  it('cancel during a hung request rejects at once', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.inject(id === 'fal' ? 'status' : 'poll', { kind: 'hang' })
    const controller = new AbortController()
    const job = provider.reframe(uploaded, '1:1', { signal: controller.signal })
    await fake.stats.until(() => fake.stats.requests.some((r) => r.route === (id === 'fal' ? 'status' : 'poll')))
    controller.abort()
    expect((await rejectionOf(job)).kind).toBe('cancelled')
  })

  it('a signal aborted before the call sends nothing', async () => {
    const { fake, provider } = await start()
    const controller = new AbortController()
    controller.abort()
    expect((await rejectionOf(provider.upload(loadSource('chelsea.png'), { signal: controller.signal }))).kind).toBe('cancelled')
    expect(fake.stats.requests).toHaveLength(0)
  })

  it('never lets the key reach an error message, even when the host echoes it', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const create = id === 'fal' ? 'submit' : 'create'
    fake.faults.inject(create, { kind: 'status', status: 401, message: `Key ${fake.key} is not valid; header was Bearer ${fake.key}` })
    const error = (await rejectionOf(provider.reframe(uploaded, '1:1'))) as unknown as ReframeError
    const everything = JSON.stringify({ message: error.message, host: error.hostMessage, user: error.userMessage, stack: error.stack })
    expect(everything).not.toContain(fake.key)
    expect(error.hostMessage).toBe('Key [redacted] is not valid; header was Bearer [redacted]')
  })

  it("keeps the host's words whole when they only mention a token or key", async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const create = id === 'fal' ? 'submit' : 'create'
    const words = 'Token expired or team token missing; Bearer authentication required (Key features: none)'
    fake.faults.inject(create, { kind: 'status', status: 401, message: words })
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect(error.hostMessage).toBe(words)
  })

  it('sends the key only to the API, never to storage or the result CDN', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    await provider.reframe(uploaded, '1:1')
    const keyed = fake.stats.requests.filter((r) => Object.values(r.headers).some((v) => v.includes(fake.key)))
    expect(keyed.length).toBeGreaterThan(0)
    expect(keyed.map((r) => r.route).filter((route) => route === 'put' || route === 'download' || route === 'file')).toEqual([])
  })

  it('passes a CORS preflight from origin null for every request it makes', async () => {
    const { fake, provider } = await start()
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    // a job cancelled as soon as the host accepts it (and still running), for the cancel request
    fake.timing.runningMs = 60_000
    const controller = new AbortController()
    await rejectionOf(provider.reframe(uploaded, '1:1', { signal: controller.signal, onTicket: () => controller.abort() }))
    await fake.stats.until(() => fake.stats.cancels === 1)
    fake.timing.runningMs = 40
    await provider.reframe(uploaded, '9:21', { prompt: 'a sunny meadow' })
    const made = fake.stats.requests.filter((r) => r.route !== 'preflight')
    // Replicate sends small sources inline: no upload requests
    expect(new Set(made.map((r) => r.route))).toEqual(new Set(id === 'replicate' ? ['create', 'poll', 'download', 'cancel'] : id === 'fal' ? ['initiate', 'put', 'submit', 'status', 'response', 'download', 'cancel'] : ['presign', 'put', 'create', 'poll', 'download', 'cancel']))
    for (const request of made) {
      const needed = headersNeedingPreflight(request.headers)
      const response = await fetch(`${fake.url}${request.path}`, {
        method: 'OPTIONS',
        headers: { Origin: 'null', 'Access-Control-Request-Method': request.method, ...(needed.length ? { 'Access-Control-Request-Headers': needed.join(',') } : {}) }
      })
      const allowOrigin = response.headers.get('access-control-allow-origin')
      const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/)
      const methods = (response.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/)
      expect({ route: request.route, ok: response.ok, origin: allowOrigin === '*' || allowOrigin === 'null' }).toEqual({ route: request.route, ok: true, origin: true })
      expect({ route: request.route, method: methods.includes(request.method) || ['GET', 'POST'].includes(request.method) }).toEqual({ route: request.route, method: true })
      expect({ route: request.route, missing: needed.filter((h) => !allowed.includes(h)) }).toEqual({ route: request.route, missing: [] })
    }
  })
})

// Headers fetch adds itself, and those a browser sends cross-origin without asking (CORS-safelisted).
const AUTOMATIC = new Set(['host', 'connection', 'content-length', 'accept', 'accept-language', 'accept-encoding', 'user-agent', 'sec-fetch-mode', 'origin', 'transfer-encoding'])
const SAFE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']

function headersNeedingPreflight(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name, value]) => {
      if (AUTOMATIC.has(name)) return false
      if (name === 'content-type') return !SAFE_CONTENT_TYPES.some((t) => value.toLowerCase().startsWith(t))
      return true
    })
    .map(([name]) => name)
    .sort()
}
