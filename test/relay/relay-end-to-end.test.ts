// The whole job through the team relay, over real HTTP: the plugin's own provider module with the relay
// transport -> relay -> a fake of the host. The fake plays the real host names (the relay's test-only
// rewrite points them at loopback), so the relay applies its production allowlist and key rules.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ReframeError } from '../../src/core/reframe-error'
import { DEFAULT_TUNING } from '../../src/providers/http/http-tuning'
import { createEachlabsProvider } from '../../src/providers/eachlabs'
import { createFalProvider } from '../../src/providers/fal'
import { createReplicateProvider } from '../../src/providers/replicate'
import { encodedImageOf } from '../../src/core/image-header'
import type { HostedProviderConfig, JobState, ReframeProvider } from '../../src/providers/provider'
import type { EncodedImage } from '../../src/core/image-header'
import { createRelayTransport } from '../../src/providers/transport-relay'
import { startFakeEachlabs, startFakeFal, startFakeReplicate, type FakeHostHandle } from '../../preview/fakes/providers'
import { rejectionOf } from '../providers/support'
import { TEAM_TOKEN, relayConfig, startRelay, type RunningRelay } from './relay-harness'

const FAST = { poll: { firstDelayMs: 10, ceilingMs: 30 }, retry: { baseDelayMs: 5, maxDelayMs: 20 } }

function fixture(name: string): EncodedImage {
  const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '../../../shared/fixtures/images', name)))
  const image = encodedImageOf(bytes)
  if (image === null) throw new Error(`${name} is not an image`)
  return image
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

})

describe('refusals by the relay itself reach the designer as relay errors, not as the provider key', () => {
  async function eachlabsBehindRelay(env: Record<string, string> = {}, teamToken = TEAM_TOKEN, config: HostedProviderConfig = {}) {
    const fake = await startEachlabsOnItsHosts()
    const relay = await startRelay(relayConfig({ EACHLABS_API_KEY: fake.key, ...env }), { testOnlyUpstreamRewrite: playHosts(EACHLABS_HOSTS, fake) })
    closers.push(fake.close, relay.close)
    const provider = createEachlabsProvider({ transport: createRelayTransport({ relayUrl: relay.url, teamToken }), tuning: FAST, ...config })
    return { fake, relay, provider }
  }

  it('a wrong team token: about the token, not retried, before any host is reached', async () => {
    const { fake, relay, provider } = await eachlabsBehindRelay({}, 'not-the-team-token-000000')
    const error = await rejectionOf(provider.upload(fixture('coffee.png')))
    expect(error).toBeInstanceOf(ReframeError)
    expect({ kind: error.kind, status: error.status, relayCode: error.relayCode, message: error.message, userMessage: error.userMessage }).toEqual({
      kind: 'auth',
      status: 401,
      relayCode: 'bad-token',
      message: 'Team relay: wrong or missing team token.',
      userMessage: 'Team relay: wrong or missing team token. Check the team token in Settings.'
    })
    expect(error.userMessage).not.toMatch(/API key|each::labs/)
    expect(relay.logs).toHaveLength(1)
    expect(fake.stats.requests).toHaveLength(0)
    expect(relay.outbound).toHaveLength(0)
  })

  it('a provider the relay has no key for: says so once, without retrying the 503', async () => {
    const fake = await startFakeFal({ publicUrl: 'https://queue.fal.run' })
    const relay = await startRelay(relayConfig({ FAL_KEY: '' }), { testOnlyUpstreamRewrite: playHosts(cases[1], fake) })
    closers.push(fake.close, relay.close)
    const provider = createFalProvider({ transport: createRelayTransport({ relayUrl: relay.url, teamToken: TEAM_TOKEN }), tuning: FAST })
    const error = await rejectionOf(provider.upload(fixture('coffee.png')))
    expect({ kind: error.kind, status: error.status, relayCode: error.relayCode, message: error.message }).toEqual({
      kind: 'auth',
      status: 503,
      relayCode: 'no-key',
      message: 'Team relay: no fal key is set up on the relay.'
    })
    expect(error.userMessage).toContain('ask whoever runs the team relay to add the key')
    expect(relay.logs).toHaveLength(1)
    expect(fake.stats.requests).toHaveLength(0)
  })

  it('an upload over the relay body cap: names the limit, not retried', async () => {
    const { fake, relay, provider } = await eachlabsBehindRelay({ RELAY_MAX_BODY_BYTES: '2000' })
    const error = await rejectionOf(provider.upload(fixture('coffee.png')))
    expect({ kind: error.kind, status: error.status, relayCode: error.relayCode }).toEqual({ kind: 'invalid-input', status: 413, relayCode: 'too-large' })
    expect(error.message).toMatch(/^Team relay: the request is larger than the relay accepts \(.*limit of 2000 bytes\)\.$/)
    expect(error.userMessage).toContain('RELAY_MAX_BODY_BYTES')
    // presign went through; the PUT was refused by the relay and not sent again
    expect(fake.stats.requests.map((r) => r.route)).toEqual(['presign'])
    expect(relay.logs).toHaveLength(2)
  })

  it('a host outside the relay allowlist: names the host, no outbound request, not retried', async () => {
    const { relay, provider } = await eachlabsBehindRelay({}, TEAM_TOKEN, { baseUrl: 'https://api.example.com' })
    const error = await rejectionOf(provider.upload(fixture('coffee.png')))
    expect({ kind: error.kind, status: error.status, relayCode: error.relayCode }).toEqual({ kind: 'host', status: 403, relayCode: 'bad-target' })
    expect(error.message).toBe('Team relay: it will not forward this each::labs request (api.example.com is not a provider host this relay serves).')
    expect(relay.outbound).toHaveLength(0)
    expect(relay.logs).toHaveLength(1)
  })

  it('the team token over its rate: a relay rate limit with its Retry-After', async () => {
    const { relay, provider } = await eachlabsBehindRelay({ RELAY_RATE_PER_MINUTE: '1' }, TEAM_TOKEN, { tuning: { ...FAST, retry: { attempts: 1 } } })
    const error = await rejectionOf(provider.upload(fixture('coffee.png')))
    expect({ kind: error.kind, status: error.status, relayCode: error.relayCode }).toEqual({ kind: 'rate-limit', status: 429, relayCode: 'busy' })
    expect(error.message).toBe('Team relay: too many requests for this team token right now.')
    expect(error.retryAfterMs).toBeGreaterThan(0)
    expect(relay.logs.map((line) => line.split(' ')[2])).toEqual(['200', '429'])
  })

  it('a host the relay cannot reach: a relay error naming the provider, retried like a connection error', async () => {
    const relay = await startRelay(relayConfig(), { testOnlyUpstreamRewrite: (url) => new URL(url.pathname, 'http://127.0.0.1:9') })
    closers.push(relay.close)
    const provider = createEachlabsProvider({ transport: createRelayTransport({ relayUrl: relay.url, teamToken: TEAM_TOKEN }), tuning: FAST })
    const error = await rejectionOf(provider.upload(fixture('coffee.png')))
    expect({ kind: error.kind, status: error.status, relayCode: error.relayCode }).toEqual({ kind: 'network', status: 502, relayCode: 'upstream-unreachable' })
    expect(error.message).toMatch(/^Team relay: it could not reach each::labs \(could not reach api\.eachlabs\.ai \(.+\)\)\.$/)
    // every attempt of the default retry policy went to the relay
    expect(relay.logs).toHaveLength(DEFAULT_TUNING.retry.attempts)
  })

  it("the provider's own 401, passed through the relay, still reads as the provider rejecting its key", async () => {
    const { fake, provider } = await eachlabsBehindRelay({ EACHLABS_API_KEY: 'each-wrong-key-on-the-relay-0000' })
    const error = await rejectionOf(provider.upload(fixture('coffee.png')))
    expect({ kind: error.kind, status: error.status, relayCode: error.relayCode }).toEqual({ kind: 'auth', status: 401, relayCode: undefined })
    expect(error.message).toMatch(/^each::labs rejected the API key \(401\)/)
    expect(fake.stats.requests.map((r) => r.route)).toEqual(['presign'])
  })
})
