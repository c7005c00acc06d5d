// fal specifics: storage upload, the queue URLs it hands back, validation error lists.
import { describe, expect, it } from 'vitest'
import { FAL_HOST } from '../../src/providers/fal'
import { harnessPerTest, loadSource, rejectionOf } from './support'

describe('fal provider', () => {
  const startHarness = harnessPerTest()

  it('uploads through storage initiate + PUT and submits the unwrapped input', async () => {
    const { provider, fake } = await startHarness('fal')
    const uploaded = await provider.upload(loadSource('rocket.jpg'))
    expect(uploaded.url.startsWith(`${fake.storageUrl}/cdn/files/`)).toBe(true)
    await provider.reframe(uploaded, '3:4')
    expect([...fake.jobs.jobs.values()][0].input).toEqual({ image_url: uploaded.url, aspect_ratio: '3:4' })
    expect(fake.stats.requests.find((r) => r.route === 'put')?.headers['content-type']).toBe('image/jpeg')
  })

  it('follows the status and response URLs fal returns', async () => {
    const { provider, fake } = await startHarness('fal')
    await provider.reframe(await provider.upload(loadSource('rocket.jpg')), '1:1')
    const routes = fake.stats.requests.map((r) => r.route)
    expect(routes).toContain('status')
    expect(routes.indexOf('response')).toBeGreaterThan(routes.indexOf('status'))
  })

  it.each([
    [429, 'Too many requests'],
    [503, 'Service unavailable']
  ])('rides out a %i on response_url: the job did not fail, its result was only in the way', async (status, message) => {
    const { provider, fake } = await startHarness('fal')
    const uploaded = await provider.upload(loadSource('rocket.jpg'))
    fake.faults.inject('response', { kind: 'status', status, message, retryAfter: '0.01' }, { times: 5 })
    const result = await provider.reframe(uploaded, '1:1')
    expect({ width: result.width, injected: fake.faults.injected('response'), creates: fake.stats.creates }).toEqual({ width: fake.outputSize('1:1').width, injected: 5, creates: 1 })
  })

  it('reads an error body on response_url as the job failing, in fal\'s words', async () => {
    const { provider, fake } = await startHarness('fal')
    const uploaded = await provider.upload(loadSource('rocket.jpg'))
    fake.faults.inject('response', { kind: 'status', status: 422, message: 'Generation failed: prompt refused' })
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect({ kind: error.kind, message: error.message }).toEqual({ kind: 'job-failed', message: 'The fal job failed: Generation failed: prompt refused' })
  })

  it('cancels with a PUT on the cancel_url it was given', async () => {
    const { provider, fake } = await startHarness('fal', { runningMs: 60_000 })
    const uploaded = await provider.upload(loadSource('rocket.jpg'))
    const controller = new AbortController()
    const job = provider.reframe(uploaded, '1:1', { signal: controller.signal, onTicket: () => controller.abort() })
    expect((await rejectionOf(job)).kind).toBe('cancelled')
    await fake.stats.until(() => fake.stats.cancels === 1)
    const cancel = fake.stats.requests.find((r) => r.route === 'cancel')
    expect({ method: cancel?.method, path: cancel?.path }).toEqual({ method: 'PUT', path: `/fal-ai/luma-photon/requests/${cancel?.jobId}/cancel` })
  })

  it('refuses to send the key to a status URL on another host', async () => {
    const { provider } = await startHarness('fal', { publicUrl: 'http://127.0.0.2:9' })
    const source = loadSource('rocket.jpg')
    const error = await rejectionOf(provider.reframe({ provider: 'fal', url: 'data:image/jpeg;base64,' + Buffer.from(source.bytes).toString('base64'), source }, '1:1'))
    expect(error.kind).toBe('malformed')
    expect(error.message).toContain('unexpected host')
  })

  it('reads validation error lists as one message', () => {
    expect(FAL_HOST.messageOf({ detail: [{ loc: ['body', 'aspect_ratio'], msg: 'bad ratio', type: 'value_error' }] })).toBe('aspect_ratio: bad ratio')
    expect(FAL_HOST.messageOf({ detail: 'Request is still in progress' })).toBe('Request is still in progress')
  })
})
