// The plugin side of the relay: what the transport sends, checked over real HTTP through a relay.
import { afterEach, describe, expect, it } from 'vitest'
import { ReframeError } from '../../src/core/reframe-error'
import { checkRelayUrl, createRelayTransport } from '../../src/providers/transport-relay'
import { KEYS, TEAM_TOKEN, relayConfig, rewriteTo, startRelay, startUpstream, type RunningRelay, type Upstream } from './relay-harness'

const open: Array<RunningRelay | Upstream> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()))
})

describe('checkRelayUrl', () => {
  it.each([
    ['https://relay.example.com', 'https://relay.example.com/forward'],
    ['https://relay.example.com/', 'https://relay.example.com/forward'],
    ['  https://tools.example.com/reframe-relay/ ', 'https://tools.example.com/reframe-relay/forward'],
    ['http://localhost:8787', 'http://localhost:8787/forward'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787/forward']
  ])('accepts %s', (input, forwardUrl) => {
    expect(checkRelayUrl(input)).toEqual({ ok: true, forwardUrl })
  })

  it.each([
    ['', /Enter the team relay URL/],
    ['relay.example.com', /is not a URL/],
    ['http://relay.example.com', /must start with https/],
    ['ftp://relay.example.com', /must start with https/],
    ['https://user:pw@relay.example.com', /must not contain/],
    ['https://relay.example.com/?token=x', /must not contain/]
  ])('refuses %j with a message saying what to fix', (input, message) => {
    const result = checkRelayUrl(input)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(message)
  })
})

describe('createRelayTransport', () => {
  it('sends the real URL and the team token to the relay, never a provider key, and keeps method, headers and body', async () => {
    const upstream = await startUpstream((hit, res) => {
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify({ predictionID: 'p-1', got: hit.body.toString() }))
    })
    const relay = await startRelay(relayConfig(), { testOnlyUpstreamRewrite: rewriteTo(upstream) })
    open.push(upstream, relay)
    const seenByRelay: Array<{ url: string; headers: Headers }> = []
    const transport = createRelayTransport({
      relayUrl: `${relay.url}/`,
      teamToken: TEAM_TOKEN,
      fetch: (url, init) => {
        seenByRelay.push({ url, headers: new Headers(init.headers) })
        return fetch(url, init)
      }
    })
    const response = await transport('https://api.eachlabs.ai/v1/prediction?x=1', {
      method: 'POST',
      headers: [['Authorization', 'Bearer typed-by-a-designer'], ['X-API-Key', 'typed-by-a-designer'], ['Content-Type', 'application/json']],
      body: '{"model":"m"}'
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ predictionID: 'p-1', got: '{"model":"m"}' })
    expect(seenByRelay[0].url).toBe(`${relay.url}/forward`)
    expect(seenByRelay[0].headers.get('x-relay-target')).toBe('https://api.eachlabs.ai/v1/prediction?x=1')
    expect(seenByRelay[0].headers.get('x-relay-token')).toBe(TEAM_TOKEN)
    expect(seenByRelay[0].headers.get('authorization')).toBeNull()
    expect(seenByRelay[0].headers.get('x-api-key')).toBeNull()
    const hit = upstream.hits[0]
    expect(hit.path).toBe('/v1/prediction?x=1')
    expect(hit.headers.authorization).toBe(`Bearer ${KEYS.EACHLABS_API_KEY}`)
    expect(hit.headers['content-type']).toBe('application/json')
  })

  it('rejects with a clear error, without any request, when the relay URL or token is unusable', async () => {
    let requests = 0
    const counting = (url: string, init: RequestInit) => {
      requests++
      return fetch(url, init)
    }
    const badUrl = createRelayTransport({ relayUrl: 'http://relay.example.com', teamToken: TEAM_TOKEN, fetch: counting })
    const noToken = createRelayTransport({ relayUrl: 'https://relay.example.com', teamToken: ' ', fetch: counting })
    await expect(badUrl('https://api.eachlabs.ai/v1/prediction', {})).rejects.toSatisfy(
      (error: unknown) => error instanceof ReframeError && /must start with https/.test(error.message)
    )
    await expect(noToken('https://api.eachlabs.ai/v1/prediction', {})).rejects.toSatisfy(
      (error: unknown) => error instanceof ReframeError && error.kind === 'auth' && /no team token/.test(error.message)
    )
    expect(requests).toBe(0)
  })
})
