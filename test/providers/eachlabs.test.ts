// each::labs specifics: the undocumented output shapes, `error` vs `failed`, the 10-in-flight cap,
// the signed upload headers, a 200 that starts nothing.
import { describe, expect, it } from 'vitest'
import { createEachlabsProvider } from '../../src/providers/eachlabs'
import { eachlabsOutputUrl } from '../../src/providers/eachlabs-output-url'
import type { EachlabsOutputShape } from '../../preview/fakes/providers/eachlabs-server'
import { FAST_TUNING, harnessPerTest, loadSource, rejectionOf } from './support'

describe('each::labs provider', () => {
  const startHarness = harnessPerTest()

  it.each<EachlabsOutputShape>(['string', 'array', 'array-object', 'object-url', 'object-image', 'object-images'])(
    'finds the result in an output shaped as %s',
    async (outputShape) => {
      const { provider, fake } = await startHarness('eachlabs', { outputShape })
      const result = await provider.reframe(await provider.upload(loadSource('rocket.jpg')), '16:9')
      expect({ width: result.width, height: result.height }).toEqual(fake.outputSize('16:9'))
    }
  )

  it('treats the older `failed` status like `error`', async () => {
    const { provider, fake } = await startHarness('eachlabs', { failureStatus: 'failed' })
    const uploaded = await provider.upload(loadSource('rocket.jpg'))
    fake.faults.failJobs('out of memory')
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect({ kind: error.kind, message: error.message }).toEqual({ kind: 'job-failed', message: 'The each::labs job failed: out of memory' })
  })

  it('fails a job whose input is not an image, in the host words', async () => {
    const { provider } = await startHarness('eachlabs')
    const notAnImage = { bytes: new TextEncoder().encode('GIF89a but not really'), format: 'gif' as const, width: 10, height: 10 }
    const error = await rejectionOf(provider.reframe(await provider.upload(notAnImage), '1:1'))
    expect(error.kind).toBe('job-failed')
    expect(error.message).toContain('cannot identify image file')
  })

  it('rides out the 10-in-flight cap: 14 parallel jobs all finish, never more than 10 on the host at once', async () => {
    // the jobs run until the test lets them finish, so the last creates surely meet ten in flight
    const { provider, fake } = await startHarness('eachlabs', { runningMs: 60_000, retryAfter: '0.05' }, { tuning: { retry: { ...FAST_TUNING.retry, attempts: 1000 } } })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const all = Promise.all(Array.from({ length: 14 }, () => provider.reframe(uploaded, '1:1')))
    const createRequests = () => fake.stats.requests.filter((r) => r.route === 'create').length
    // ten running, and the other four refused with 429 and sent again (a 429 starts nothing)
    await fake.stats.until(() => fake.stats.creates === 10 && createRequests() >= 18)
    fake.timing.runningMs = 40
    const results = await all
    expect(results).toHaveLength(14)
    expect(fake.stats.maxInFlight).toBe(10)
    expect(fake.stats.creates).toBe(14)
  })

  it('PUTs the upload with every required header verbatim and without the key', async () => {
    const { provider, fake } = await startHarness('eachlabs')
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const put = fake.stats.requests.find((r) => r.route === 'put')
    expect(put?.headers['x-goog-content-length-range']).toBe('0,104857600')
    expect(put?.headers['content-type']).toBe('image/png')
    expect(put?.headers.authorization).toBeUndefined()
    expect(uploaded.url.startsWith(`${fake.storageUrl}/storage/files/`)).toBe(true)
  })

  it('sends the documented create body', async () => {
    const { provider, fake } = await startHarness('eachlabs')
    await provider.reframe(await provider.upload(loadSource('chelsea.png')), '9:16', { prompt: 'a beach' })
    const job = [...fake.jobs.jobs.values()][0]
    expect(job.input).toEqual({ image_url: expect.stringContaining('/storage/files/'), aspect_ratio: '9:16', prompt: 'a beach' })
  })

  it('sends x_start..y_end for a source pinned to the start, nothing for centre', async () => {
    const { provider, fake } = await startHarness('eachlabs')
    const uploaded = await provider.upload(loadSource('chelsea.png')) // 451x300, wider than 1:1
    await provider.reframe(uploaded, '1:1', { placement: 'start' })
    await provider.reframe(uploaded, '1:1', { placement: 'center' })
    const [pinned, centred] = [...fake.jobs.jobs.values()].map((j) => j.input as Record<string, unknown>)
    expect(pinned).toMatchObject({ x_start: 0, x_end: 1536, y_start: 0, y_end: Math.round(1536 * (300 / 451)) })
    expect(centred.x_start).toBeUndefined()
  })
})

describe('eachlabsOutputUrl', () => {
  it('rejects shapes without an http(s) URL', () => {
    expect(eachlabsOutputUrl(null)).toBeUndefined()
    expect(eachlabsOutputUrl(42)).toBeUndefined()
    expect(eachlabsOutputUrl('not a url')).toBeUndefined()
    expect(eachlabsOutputUrl({ images: [] })).toBeUndefined()
    expect(eachlabsOutputUrl(['javascript:alert(1)'])).toBeUndefined()
    expect(eachlabsOutputUrl({ images: ['https://cdn.example/a.jpg'] })).toBe('https://cdn.example/a.jpg')
  })

  it('reports a finished prediction without a URL as malformed', async () => {
    const { createServer } = await import('node:http')
    const server = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json')
      if (req.method === 'POST') return res.end(JSON.stringify({ status: 'success', message: 'ok', predictionID: 'p1' }))
      res.end(JSON.stringify({ id: 'p1', status: 'success', output: { something: 'else' } }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    const provider = createEachlabsProvider({ apiKey: 'k-12345', baseUrl: `http://127.0.0.1:${port}`, tuning: { poll: { firstDelayMs: 1 } } })
    const source = loadSource('chelsea.png')
    const error = await rejectionOf(provider.reframe({ provider: 'eachlabs', url: 'https://x/y.png', source }, '1:1'))
    server.close()
    expect(error.kind).toBe('malformed')
    expect(error.message).toContain('no image URL')
  })
})
