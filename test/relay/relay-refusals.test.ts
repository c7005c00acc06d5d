// The relay is not an open proxy: everything it must refuse is refused before any outbound request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { relayConfig, relayFetch, startRelay, type RunningRelay } from './relay-harness'

let relay: RunningRelay

beforeAll(async () => {
  // production rules: no test rewrite, so anything that got through would really leave the machine
  relay = await startRelay(relayConfig({ RELAY_ALLOWED_ORIGINS: 'https://admin.example.com' }))
})
afterAll(() => relay.close())

async function errorOf(response: Response): Promise<{ error: string; code: string }> {
  return (await response.json()) as { error: string; code: string }
}

describe('team token', () => {
  it('answers 401 without a token and with a wrong one, and forwards nothing', async () => {
    const before = relay.outbound.length
    const missing = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/abc', { token: null })
    const wrong = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/abc', { token: 'team-token-for-tests-0123456788' })
    const prefix = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/abc', { token: 'team-token-for-tests' })
    for (const response of [missing, wrong, prefix]) {
      expect(response.status).toBe(401)
      expect((await errorOf(response)).error).toMatch(/team token/)
    }
    expect(relay.outbound.length).toBe(before)
  })
})

describe('targets', () => {
  const refused: Array<[string, string | null]> = [
    ['a host that is not a provider', 'https://example.com/v1/prediction'],
    ['a look-alike host', 'https://api.eachlabs.ai.attacker.example/v1/prediction'],
    ['the bare domain of a storage wildcard', 'https://eachlabs.ai/files/x.png'],
    ['another bucket on a shared storage host', 'https://storage.googleapis.com/another-bucket/x.png'],
    ['a public IP literal', 'https://93.184.216.34/'],
    ['loopback', 'https://127.0.0.1/v1/prediction'],
    ['loopback spelled as a number', 'https://2130706433/'],
    ['loopback IPv6', 'https://[::1]/'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['the cloud metadata address over http', 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', 'https://10.0.0.5/'],
    ['localhost', 'https://localhost/'],
    ['a file URL', 'file:///etc/passwd'],
    ['plain http to a provider host', 'http://api.eachlabs.ai/v1/prediction'],
    ['a provider host on another port', 'https://api.eachlabs.ai:8443/v1/prediction'],
    ['credentials in the URL', 'https://user:pass@api.replicate.com/v1/predictions'],
    ['a relative URL', '/v1/prediction'],
    ['no target at all', null]
  ]

  it.each(refused)('refuses %s with 403 and makes no outbound request', async (_label, target) => {
    const before = relay.outbound.length
    const response = target === null
      ? await fetch(`${relay.url}/forward`, { headers: { 'X-Relay-Token': 'team-token-for-tests-0123456789' } })
      : await relayFetch(relay, target)
    expect(response.status).toBe(403)
    const body = await errorOf(response)
    expect(body.code).toBe('bad-target')
    expect(body.error.length).toBeGreaterThan(20)
    expect(relay.outbound.length).toBe(before)
  })
})

describe('CORS', () => {
  function preflight(origin: string): Promise<Response> {
    return fetch(`${relay.url}/forward`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-relay-target, x-relay-token, content-type' }
    })
  }

  it('answers a preflight from the Figma plugin iframe (origin null)', async () => {
    const response = await preflight('null')
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('null')
    expect(response.headers.get('access-control-allow-headers')).toContain('x-relay-token')
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT')
  })

  it('answers a preflight from a configured origin', async () => {
    const response = await preflight('https://admin.example.com')
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://admin.example.com')
  })

  it('refuses a preflight and a request from any other origin', async () => {
    const before = relay.outbound.length
    const response = await preflight('https://evil.example')
    expect(response.status).toBe(403)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    const direct = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/x', { headers: { Origin: 'https://evil.example' } })
    expect(direct.status).toBe(403)
    expect(direct.headers.get('access-control-allow-origin')).toBeNull()
    expect(relay.outbound.length).toBe(before)
  })

  it('adds the CORS headers to the relay\'s own errors so the plugin can read them', async () => {
    const response = await relayFetch(relay, 'https://example.com/', { headers: { Origin: 'null' } })
    expect(response.status).toBe(403)
    expect(response.headers.get('access-control-allow-origin')).toBe('null')
    expect(response.headers.get('access-control-expose-headers')).toContain('Retry-After')
  })
})

describe('health', () => {
  it('says which providers have keys, as booleans only, and how many requests are in flight', async () => {
    const partial = await startRelay(relayConfig({ FAL_KEY: '' }))
    try {
      const response = await fetch(`${partial.url}/health`)
      expect(response.status).toBe(200)
      const text = await response.text()
      expect(JSON.parse(text)).toEqual({ ok: true, providers: { eachlabs: true, fal: false, replicate: true }, inFlight: 0 })
      expect(text).not.toContain('secret')
    } finally {
      await partial.close()
    }
  })
})
