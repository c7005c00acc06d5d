// The whole job through the team relay, over real HTTP: the plugin's own provider module with the relay
// transport -> relay -> a fake of the host. The fake plays the real host names (the relay's test-only
// rewrite points them at loopback), so the relay applies its production allowlist and key rules.
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { createEachlabsProvider } from '../../src/providers/eachlabs'
import { sniffImage } from '../../src/providers/image-sniff'
import type { EncodedImage, JobState } from '../../src/providers/provider'
import { createRelayTransport } from '../../src/providers/transport-relay'
import { startFakeEachlabs } from '../fakes/providers/eachlabs-server'
import { TEAM_TOKEN, relayConfig, startRelay, type RunningRelay } from './relay-harness'

const FAST = { poll: { firstDelayMs: 10, ceilingMs: 30 }, retry: { baseDelayMs: 5, maxDelayMs: 20 } }

function fixture(name: string): EncodedImage {
  const bytes = new Uint8Array(readFileSync(`/work/shared/fixtures/images/${name}`))
  const sniffed = sniffImage(bytes)
  if (!sniffed) throw new Error(`${name} is not an image`)
  return { bytes, ...sniffed }
}

/** Sends every checked request for `hosts` to `fakeUrl`, keeping path and query. */
function playHosts(hosts: string[], fakeUrl: string): (url: URL) => URL {
  return (url) => {
    if (!hosts.includes(url.hostname)) throw new Error(`test relay asked to reach ${url.hostname}`)
    return new URL(`${url.pathname}${url.search}`, fakeUrl)
  }
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

function expectNoSecrets(relay: RunningRelay, secrets: string[], seen: string[]) {
  const everything = relay.logs.join('\n') + seen.join('\n')
  for (const secret of [...secrets, TEAM_TOKEN]) expect(everything).not.toContain(secret)
}

/** A relay transport that also keeps every response body and header the plugin saw. */
function recordingTransport(relay: RunningRelay, seen: string[]) {
  return createRelayTransport({
    relayUrl: relay.url,
    teamToken: TEAM_TOKEN,
    fetch: async (url, init) => {
      const response = await fetch(url, init)
      const copy = response.clone()
      seen.push(JSON.stringify([...copy.headers]))
      const type = copy.headers.get('content-type') ?? ''
      if (!type.startsWith('image/')) seen.push(await copy.text())
      return response
    }
  })
}

describe('through the team relay', () => {
  it('each::labs: upload, create, poll and download, with the key added only on the API host', async () => {
    const fake = await startFakeEachlabs({ publicUrl: 'https://eachlabs-storage.s3.amazonaws.com', queuedMs: 20, runningMs: 40 })
    const relay = await startRelay(relayConfig({ EACHLABS_API_KEY: fake.key }), {
      testOnlyUpstreamRewrite: playHosts(['api.eachlabs.ai', 'eachlabs-storage.s3.amazonaws.com'], fake.url)
    })
    closers.push(fake.close, relay.close)
    const seen: string[] = []
    // no apiKey: the designer has only the team token
    const provider = createEachlabsProvider({ transport: recordingTransport(relay, seen), tuning: FAST })
    const source = fixture('coffee.png')
    const states: JobState[] = []

    const uploaded = await provider.upload(source)
    const result = await provider.reframe(uploaded, '16:9', { onProgress: (event) => states.push(event.state) })

    expect(result.format).toBe('jpeg')
    expect({ width: result.width, height: result.height }).toEqual(fake.outputSize('16:9'))
    expect(states).toContain('downloading')
    expect(fake.stats.uploads).toBe(1)
    expect(fake.stats.bytesUploaded).toBe(source.bytes.length)
    expect(fake.stats.downloads).toBe(1)
    const routes = fake.stats.requests.map((r) => r.route)
    expect(routes).toEqual(expect.arrayContaining(['presign', 'put', 'create', 'poll', 'download']))
    for (const request of fake.stats.requests) {
      const api = ['presign', 'create', 'poll'].includes(request.route)
      expect(request.headers.authorization).toBe(api ? `Bearer ${fake.key}` : undefined)
      expect(request.headers['x-relay-token']).toBeUndefined()
    }
    expect(relay.logs.length).toBe(fake.stats.requests.length)
    expectNoSecrets(relay, [fake.key], seen)
  })

  it('a wrong team token stops the job with a message about the token, before any host is reached', async () => {
    const fake = await startFakeEachlabs({ publicUrl: 'https://eachlabs-storage.s3.amazonaws.com' })
    const relay = await startRelay(relayConfig({ EACHLABS_API_KEY: fake.key }), {
      testOnlyUpstreamRewrite: playHosts(['api.eachlabs.ai', 'eachlabs-storage.s3.amazonaws.com'], fake.url)
    })
    closers.push(fake.close, relay.close)
    const provider = createEachlabsProvider({
      transport: createRelayTransport({ relayUrl: relay.url, teamToken: 'not-the-team-token-000000' }),
      tuning: FAST
    })
    await expect(provider.upload(fixture('coffee.png'))).rejects.toThrow(/wrong or missing team token; check it in Settings/)
    expect(fake.stats.requests).toHaveLength(0)
    expect(relay.outbound).toHaveLength(0)
  })
})
