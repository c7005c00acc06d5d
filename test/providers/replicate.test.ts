// Replicate specifics: data URI under 1 MB, the Files API above it, the documented input.
import { describe, expect, it } from 'vitest'
import { harnessPerTest, loadSource, noisePng } from './support'

describe('Replicate provider', () => {
  const startHarness = harnessPerTest()

  it('sends a source under 1 MB inline as a data URI with the photon-flash-1 model', async () => {
    const { provider, fake } = await startHarness('replicate')
    const source = loadSource('chelsea.png')
    const uploaded = await provider.upload(source)
    expect(uploaded.url.startsWith('data:image/png;base64,')).toBe(true)
    await provider.reframe(uploaded, '4:3', { prompt: 'sunset' })
    expect([...fake.jobs.jobs.values()][0].input).toEqual({ image: uploaded.url, aspect_ratio: '4:3', model: 'photon-flash-1', prompt: 'sunset' })
    expect(fake.stats.requests.some((r) => r.route === 'files')).toBe(false)
  })

  it('uploads a source over 1 MB once through the Files API and reuses its URL', async () => {
    const { provider, fake } = await startHarness('replicate')
    const source = await noisePng(700, 700)
    expect(source.bytes.length).toBeGreaterThan(1_000_000)
    const uploaded = await provider.upload(source)
    expect(uploaded.url).toMatch(new RegExp(`^${fake.url}/v1/files/`))
    const results = await Promise.all((['1:1', '9:16', '21:9'] as const).map((r) => provider.reframe(uploaded, r)))
    expect(results.map((r) => r.width)).toEqual([fake.outputSize('1:1').width, fake.outputSize('9:16').width, fake.outputSize('21:9').width])
    expect(fake.stats.uploads).toBe(1)
    expect(fake.stats.bytesUploaded).toBe(source.bytes.length)
    expect(fake.stats.inlineBytes).toBe(0)
  })
})
