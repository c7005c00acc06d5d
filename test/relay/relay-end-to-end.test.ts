// The whole job through the team relay, over real HTTP: the plugin's own provider module with the relay
// transport -> relay -> a fake of the host. The fake plays the real host names (the relay's test-only
// rewrite points them at loopback), so the relay applies its production allowlist and key rules.
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { createEachlabsProvider } from '../../src/providers/eachlabs'
import { createFalProvider } from '../../src/providers/fal'
import { createReplicateProvider } from '../../src/providers/replicate'
import { sniffImage } from '../../src/providers/image-sniff'
import type { EncodedImage, HostedProviderConfig, JobState, ReframeProvider } from '../../src/providers/provider'
import { createRelayTransport } from '../../src/providers/transport-relay'
import { startFakeEachlabs, startFakeFal, startFakeReplicate, type FakeHostHandle } from '../fakes/providers'
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

type Case = {
  name: string
  start: () => Promise<FakeHostHandle>
  create: (config: HostedProviderConfig) => ReframeProvider
  env: (key: string) => Record<string, string>
  /** Host names the fake plays. */
  hosts: string[]
  /** Routes that are API calls and must carry the key, exactly as the host expects it. */
  apiRoutes: string[]
  /** Routes on storage hosts, which must carry no key; empty where the fake serves storage on its API host. */
  storageRoutes: string[]
  auth: (key: string) => string
}

const cases: Case[] = [
  {
    name: 'each::labs',
    // the fake hands out its presigned, public and result URLs on the S3 storage host, its API on api.eachlabs.ai
    start: () => startFakeEachlabs({ publicUrl: 'https://eachlabs-storage.s3.amazonaws.com' }),
    create: createEachlabsProvider,
    env: (key) => ({ EACHLABS_API_KEY: key }),
    hosts: ['api.eachlabs.ai', 'eachlabs-storage.s3.amazonaws.com'],
    apiRoutes: ['presign', 'create', 'poll'],
    storageRoutes: ['put', 'download'],
    auth: (key) => `Bearer ${key}`
  },
  {
    name: 'fal',
    // the fake serves its queue, CDN upload and results under one base: queue.fal.run
    start: () => startFakeFal({ publicUrl: 'https://queue.fal.run' }),
    create: createFalProvider,
    env: (key) => ({ FAL_KEY: key }),
    hosts: ['queue.fal.run', 'rest.fal.ai'],
    apiRoutes: ['initiate', 'submit', 'status', 'response'],
    storageRoutes: [],
    auth: (key) => `Key ${key}`
  },
  {
    name: 'Replicate',
    start: () => startFakeReplicate({ publicUrl: 'https://api.replicate.com' }),
    create: createReplicateProvider,
    env: (key) => ({ REPLICATE_API_TOKEN: key }),
    hosts: ['api.replicate.com'],
    apiRoutes: ['create', 'poll'],
    storageRoutes: [],
    auth: (key) => `Bearer ${key}`
  }
]

describe('through the team relay', () => {
  it.each(cases)('$name: upload, create, poll and download with only a team token in the plugin', async (c) => {
    const fake = await c.start()
    const relay = await startRelay(relayConfig(c.env(fake.key)), { testOnlyUpstreamRewrite: playHosts(c.hosts, fake.url) })
    closers.push(fake.close, relay.close)
    const seen: string[] = []
    // no apiKey: the designer has only the team token
    const provider = c.create({ transport: recordingTransport(relay, seen), tuning: FAST })
    const source = fixture('coffee.png')
    const states: JobState[] = []

    const uploaded = await provider.upload(source)
    const results = await Promise.all(
      (['16:9', '9:16'] as const).map((ratio) => provider.reframe(uploaded, ratio, { onProgress: (event) => states.push(event.state) }))
    )

    expect(results.map((r) => ({ format: r.format, width: r.width, height: r.height }))).toEqual([
      { format: 'jpeg', ...fake.outputSize('16:9') },
      { format: 'jpeg', ...fake.outputSize('9:16') }
    ])
    expect(states).toContain('downloading')
    expect(fake.stats.creates).toBe(2)
    expect(fake.stats.downloads).toBe(2)
    expect(fake.stats.uploads + fake.stats.inlineBytes > 0).toBe(true)
    const routes = new Set(fake.stats.requests.map((r) => r.route))
    for (const route of [...c.apiRoutes, ...c.storageRoutes]) expect(routes).toContain(route)
    for (const request of fake.stats.requests) {
      if (c.apiRoutes.includes(request.route)) expect(request.headers.authorization).toBe(c.auth(fake.key))
      if (c.storageRoutes.includes(request.route)) expect(request.headers.authorization).toBeUndefined()
      expect(request.headers['x-relay-token']).toBeUndefined()
    }
    // one log line per request the relay forwarded, and nothing secret anywhere the plugin or the logs see
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
