// The fakes' storage listener is as strict as a CDN bucket, so tests that rely on it (no key ever
// reaches upload and result hosts) can fail: credentials are refused and recorded, API routes unknown.
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeHostHandle, startFakeHost } from '../../preview/fakes/providers'
import { HOSTED_IDS, loadSource, startHarness } from './support'

describe.each(HOSTED_IDS)('%s fake storage listener', (id) => {
  let fake: FakeHostHandle | undefined
  afterEach(async () => {
    await fake?.close()
    fake = undefined
  })

  async function finishedResultUrl(): Promise<string> {
    const harness = await startHarness(id)
    fake = harness.fake
    const { provider } = harness
    await provider.reframe(await provider.upload(loadSource('rocket.jpg')), '1:1')
    const download = fake.stats.requests.find((r) => r.route === 'download')
    if (!download) throw new Error('no download was made')
    return `${fake.storageUrl}${download.path}`
  }

  it('serves a result without credentials and refuses it with an Authorization or X-API-Key header, recording each', async () => {
    const url = await finishedResultUrl()
    expect((await fetch(url)).status).toBe(200)
    expect(fake!.stats.storageLeaks).toEqual([])
    expect((await fetch(url, { headers: { Authorization: `Bearer ${fake!.key}` } })).status).toBe(400)
    expect((await fetch(url, { headers: { 'X-API-Key': 'anything' } })).status).toBe(400)
    expect(fake!.stats.storageLeaks.map((leak) => leak.found)).toEqual(['authorization header', 'x-api-key header'])
  })

  it('records the key when it arrives in a URL, another header or the body', async () => {
    const url = await finishedResultUrl()
    const key = fake!.key
    await fetch(`${url}?k=${encodeURIComponent(key)}`)
    await fetch(url, { headers: { 'X-Debug': `seen ${key}` } })
    expect(fake!.stats.storageLeaks.map((leak) => leak.found)).toEqual(['key in the URL', 'key in the x-debug header'])
  })

  it('knows no API route, like a CDN host', async () => {
    fake = await startFakeHost(id)
    const create = { eachlabs: '/v1/prediction', fal: '/fal-ai/luma-photon/flash/reframe', replicate: '/v1/models/luma/reframe-image/predictions' }[id]
    const response = await fetch(`${fake.storageUrl}${create}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })
    expect(response.status).toBe(404)
    expect(fake.stats.creates).toBe(0)
  })
})
