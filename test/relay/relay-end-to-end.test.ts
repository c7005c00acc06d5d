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

/**
 * Sends every checked request to the fake listener that plays its host: API hosts to the fake's API
 * listener, upload and result hosts to its storage listener; any other host fails the test.
 */
function playHosts(c: Pick<Case, 'apiHosts' | 'storageHosts'>, fake: FakeHostHandle): (url: URL) => URL {
  return (url) => {
    const listener = c.apiHosts.includes(url.hostname) ? fake.url : c.storageHosts.includes(url.hostname) ? fake.storageUrl : undefined
    if (!listener) throw new Error(`test relay asked to reach ${url.hostname}`)
    return new URL(`${url.pathname}${url.search}`, listener)
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
  /** The fake, handing out URLs on the production host names (API, uploads, results). */
  start: () => Promise<FakeHostHandle>
  create: (config: HostedProviderConfig) => ReframeProvider
  env: (key: string) => Record<string, string>
  /** Host names played by the fake's API listener: the relay adds the key for these. */
  apiHosts: string[]
  /** Upload and result host names, played by its storage listener: the key must never arrive there. */
  storageHosts: string[]
  /** Routes that are API calls and must carry the key, exactly as the host expects it. */
  apiRoutes: string[]
  /** Routes on storage hosts. */
  storageRoutes: string[]
  auth: (key: string) => string
}

const EACHLABS_HOSTS = { apiHosts: ['api.eachlabs.ai'], storageHosts: ['eachlabs-storage.s3.amazonaws.com', 'storage.eachlabs.ai'] }
const startEachlabsOnItsHosts = () =>
  startFakeEachlabs({ publicUrl: 'https://api.eachlabs.ai', storagePublicUrl: 'https://eachlabs-storage.s3.amazonaws.com', resultPublicUrl: 'https://storage.eachlabs.ai' })

const cases: Case[] = [
  {
    name: 'each::labs',
    // presigned PUTs and public files on the S3 bucket, results on its storage host, the API on api.eachlabs.ai
    start: startEachlabsOnItsHosts,
    create: createEachlabsProvider,
    env: (key) => ({ EACHLABS_API_KEY: key }),
    ...EACHLABS_HOSTS,
    apiRoutes: ['presign', 'create', 'poll'],
    storageRoutes: ['put', 'download'],
    auth: (key) => `Bearer ${key}`
  },
  {
    name: 'fal',
    // queue and storage initiate on fal's API hosts; the CDN upload on v3.fal.media, results on fal.media
    start: () => startFakeFal({ publicUrl: 'https://queue.fal.run', storagePublicUrl: 'https://v3.fal.media', resultPublicUrl: 'https://fal.media' }),
    create: createFalProvider,
    env: (key) => ({ FAL_KEY: key }),
    apiHosts: ['queue.fal.run', 'rest.fal.ai'],
    storageHosts: ['v3.fal.media', 'fal.media'],
    apiRoutes: ['initiate', 'submit', 'status', 'response'],
    storageRoutes: ['put', 'download'],
    auth: (key) => `Key ${key}`
  },
  {
    name: 'Replicate',
    // small sources go inline; results on replicate.delivery
    start: () => startFakeReplicate({ publicUrl: 'https://api.replicate.com', resultPublicUrl: 'https://replicate.delivery' }),
    create: createReplicateProvider,
    env: (key) => ({ REPLICATE_API_TOKEN: key }),
    apiHosts: ['api.replicate.com'],
    storageHosts: ['replicate.delivery'],
    apiRoutes: ['create', 'poll'],
    storageRoutes: ['download'],
    auth: (key) => `Bearer ${key}`
  }
]

/** Every request the storage listener saw: a storage route, and no credential of any kind anywhere. */
function expectStorageClean(fake: FakeHostHandle, c: Case) {
  const storage = fake.stats.requests.filter((r) => r.listener === 'storage')
  expect(new Set(storage.map((r) => r.route))).toEqual(new Set(c.storageRoutes))
  for (const request of storage) {
    expect(request.headers.authorization).toBeUndefined()
    expect(request.headers['x-api-key']).toBeUndefined()
    expect(request.headers['x-relay-token']).toBeUndefined()
    const seen = `${request.path}\n${JSON.stringify(request.headers)}`
    for (const secret of [fake.key, encodeURIComponent(fake.key), TEAM_TOKEN]) expect(seen).not.toContain(secret)
  }
  // the fake's own check also covers the bodies (the uploaded bytes)
  expect(fake.stats.storageLeaks).toEqual([])
}

describe('through the team relay', () => {
  it.each(cases)('$name: upload, create, poll and download with only a team token in the plugin', async (c) => {
    const fake = await c.start()
    const relay = await startRelay(relayConfig(c.env(fake.key)), { testOnlyUpstreamRewrite: playHosts(c, fake) })
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
    const api = fake.stats.requests.filter((r) => r.listener === 'api')
    expect(new Set(api.map((r) => r.route))).toEqual(new Set(c.apiRoutes))
    for (const request of api) {
      expect(request.headers.authorization).toBe(c.auth(fake.key))
      expect(request.headers['x-relay-token']).toBeUndefined()
    }
    expectStorageClean(fake, c)
    // one log line per request the relay forwarded, and nothing secret anywhere the plugin or the logs see
    expect(relay.logs.length).toBe(fake.stats.requests.length)
    expectNoSecrets(relay, [fake.key], seen)
  })

  it('a wrong team token stops the job with a message about the token, before any host is reached', async () => {
    const fake = await startEachlabsOnItsHosts()
    const relay = await startRelay(relayConfig({ EACHLABS_API_KEY: fake.key }), { testOnlyUpstreamRewrite: playHosts(EACHLABS_HOSTS, fake) })
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
