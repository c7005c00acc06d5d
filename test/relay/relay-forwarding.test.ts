// What the relay does to a request it accepts: the right key for the right host only, bodies streamed
// both ways, redirects checked, caps and limits answered, and no key or token in any answer or log.
import { describe, expect, it } from 'vitest'
import { listedHosts } from '../../src/protocol/provider-hosts'
import { closedAfterEach, KEYS, TEAM_TOKEN, relayConfig, relayFetch, rewriteTo, startRelay, startUpstream } from './relay-harness'

const open = closedAfterEach()

async function setUp(env: Record<string, string> = {}, answer?: Parameters<typeof startUpstream>[0]) {
  const upstream = await startUpstream(
    answer ??
      ((hit, res) => {
        res.setHeader('Content-Type', 'application/json')
        res.end(JSON.stringify({ method: hit.method, path: hit.path, bytes: hit.body.length }))
      })
  )
  const relay = await startRelay(relayConfig(env), { testOnlyUpstreamRewrite: rewriteTo(upstream) })
  open.push(upstream, relay)
  return { upstream, relay }
}

describe('provider keys', () => {
  it.each([
    ['eachlabs', 'https://api.eachlabs.ai/v1/prediction', { authorization: `Bearer ${KEYS.EACHLABS_API_KEY}`, 'x-api-key': KEYS.EACHLABS_API_KEY }],
    ['fal', 'https://queue.fal.run/fal-ai/luma-photon/flash/reframe', { authorization: `Key ${KEYS.FAL_KEY}` }],
    ['fal storage API', 'https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3', { authorization: `Key ${KEYS.FAL_KEY}` }],
    ['replicate', 'https://api.replicate.com/v1/models/luma/reframe-image/predictions', { authorization: `Bearer ${KEYS.REPLICATE_API_TOKEN}` }]
  ])('adds the %s key the way its API expects and replaces whatever the caller sent', async (_name, target, expected) => {
    const { upstream, relay } = await setUp()
    const response = await relayFetch(relay, target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer designer-guess', 'X-API-Key': 'designer-guess' },
      body: JSON.stringify({ input: { aspect_ratio: '16:9' } })
    })
    expect(response.status).toBe(200)
    const hit = upstream.hits[0]
    expect(hit.path).toBe(new URL(target).pathname + new URL(target).search)
    for (const [name, value] of Object.entries(expected)) expect(hit.headers[name]).toBe(value)
    if (!('x-api-key' in expected)) expect(hit.headers['x-api-key']).toBeUndefined()
    expect(JSON.parse(hit.body.toString())).toEqual({ input: { aspect_ratio: '16:9' } })
    // nothing of the caller's or the relay's own headers leaks upstream
    expect(hit.headers['x-relay-token']).toBeUndefined()
    expect(hit.headers['x-relay-target']).toBeUndefined()
  })

  it('never sends a key to presigned upload or result hosts', async () => {
    const { upstream, relay } = await setUp()
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251)
    const put = await relayFetch(relay, 'https://eachlabs-storage.s3.amazonaws.com/uploads/a.png?X-Amz-Signature=abc', {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png', 'x-amz-meta-file-id': 'file-1', Authorization: 'Bearer designer-guess' },
      body: bytes
    })
    expect(put.status).toBe(200)
    // every storage host of the one list (a wildcard at one and two levels deep, as Figma's CSP allows)
    const results = listedHosts().filter((entry) => entry.role === 'storage').flatMap((entry) =>
      (entry.host.startsWith('*.') ? [entry.host.replace('*.', 'v3.'), entry.host.replace('*.', 'a.b.')] : [entry.host]).map(
        (host) => `https://${host}${entry.pathPrefix ?? '/'}out/1.png`
      )
    )
    for (const target of results) expect({ target, status: (await relayFetch(relay, target)).status }).toEqual({ target, status: 200 })
    expect(upstream.hits).toHaveLength(1 + results.length)
    for (const hit of upstream.hits) {
      expect(hit.headers.authorization).toBeUndefined()
      expect(hit.headers['x-api-key']).toBeUndefined()
    }
    const upload = upstream.hits[0]
    expect(upload.headers['x-amz-meta-file-id']).toBe('file-1')
    expect(upload.headers['content-type']).toBe('image/png')
    expect(upload.headers['content-length']).toBe(String(bytes.length))
    expect(Buffer.compare(upload.body, Buffer.from(bytes))).toBe(0)
  })

  it('answers 503 with a clear message when the relay has no key for that provider', async () => {
    const { upstream, relay } = await setUp({ REPLICATE_API_TOKEN: '' })
    const response = await relayFetch(relay, 'https://api.replicate.com/v1/predictions/p1')
    expect(response.status).toBe(503)
    expect(((await response.json()) as { detail: string }).detail).toMatch(/no replicate key/)
    expect(upstream.hits).toHaveLength(0)
  })
})

describe('the relay error header', () => {
  it("is the relay's own: a host answer carrying X-Relay-Error reaches the plugin without it", async () => {
    const { relay } = await setUp({}, (_hit, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json', 'X-Relay-Error': 'bad-token', 'X-Relay-Other': 'x' })
      res.end(JSON.stringify({ error: 'Invalid API key' }))
    })
    const response = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/p1')
    expect(response.status).toBe(401)
    expect(response.headers.get('x-relay-error')).toBeNull()
    expect(response.headers.get('x-relay-other')).toBeNull()
    expect(await response.json()).toEqual({ error: 'Invalid API key' })
  })

  it('is set, and readable from origin null, on its own refusals', async () => {
    const { relay } = await setUp()
    const response = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/p1', { token: 'wrong-token-0000000000', headers: { Origin: 'null' } })
    expect(response.status).toBe(401)
    expect(response.headers.get('x-relay-error')).toBe('bad-token')
    expect(response.headers.get('access-control-expose-headers')).toContain('X-Relay-Error')
  })
})

describe('streaming', () => {
  it('streams a large download back byte for byte', async () => {
    const size = 8 * 1024 * 1024
    const { relay } = await setUp({}, (_hit, res) => {
      res.setHeader('Content-Type', 'image/png')
      res.setHeader('Content-Length', String(size))
      const chunk = Buffer.alloc(64 * 1024, 7)
      for (let sent = 0; sent < size; sent += chunk.length) res.write(chunk)
      res.end()
    })
    const response = await relayFetch(relay, 'https://replicate.delivery/pbxt/big.png')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe(String(size))
    const body = new Uint8Array(await response.arrayBuffer())
    expect(body.length).toBe(size)
    expect(body.every((byte) => byte === 7)).toBe(true)
  })
})

describe('Expect: 100-continue', () => {
  it("answers 100 Continue, forwards the body, and does not pass the header on (curl sends it for bodies over 1 MB)", async () => {
    const { upstream, relay } = await setUp()
    const { request } = await import('node:http')
    const bytes = Buffer.alloc(2 * 1024 * 1024, 3)
    const answer = await new Promise<{ continued: boolean; status: number; body: string }>((resolve, reject) => {
      let continued = false
      const req = request(`${relay.url}/forward`, {
        method: 'PUT',
        headers: {
          'X-Relay-Target': 'https://eachlabs-storage.s3.amazonaws.com/uploads/a.png?X-Amz-Signature=abc',
          'X-Relay-Token': TEAM_TOKEN,
          'Content-Type': 'image/png',
          'Content-Length': String(bytes.length),
          Expect: '100-continue'
        }
      })
      // the body goes only after the relay said Continue, as curl does
      req.on('continue', () => {
        continued = true
        req.end(bytes)
      })
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ continued, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      })
      req.on('error', reject)
    })
    expect(answer).toEqual({ continued: true, status: 200, body: JSON.stringify({ method: 'PUT', path: '/uploads/a.png?X-Amz-Signature=abc', bytes: bytes.length }) })
    expect(upstream.hits).toHaveLength(1)
    expect(upstream.hits[0].headers.expect).toBeUndefined()
    expect(Buffer.compare(upstream.hits[0].body, bytes)).toBe(0)
  })
})

describe('redirects', () => {
  it.each([
    ['a private address', 'http://10.1.2.3/steal'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['loopback', 'https://127.0.0.1/'],
    ['a host outside the allowlist', 'https://example.com/'],
    ['plain http', 'http://replicate.delivery/x.png']
  ])('refuses a redirect to %s without requesting it', async (_label, location) => {
    const { upstream, relay } = await setUp({}, (_hit, res) => {
      res.writeHead(302, { Location: location })
      res.end()
    })
    const response = await relayFetch(relay, 'https://api.replicate.com/v1/files/f1/download')
    expect(response.status).toBe(502)
    expect(((await response.json()) as { code: string }).code).toBe('bad-redirect')
    expect(relay.outbound).toEqual([`${upstream.origin}/v1/files/f1/download`])
    expect(upstream.hits).toHaveLength(1)
  })

  it('follows a redirect to a provider storage host, without the key', async () => {
    const { upstream, relay } = await setUp({}, (hit, res) => {
      if (hit.path.startsWith('/v1/files')) {
        res.writeHead(302, { Location: 'https://replicate.delivery/pbxt/file.png' })
        res.end()
        return
      }
      res.setHeader('Content-Type', 'image/png')
      res.end(Buffer.from('png-bytes'))
    })
    const response = await relayFetch(relay, 'https://api.replicate.com/v1/files/f1/download')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('png-bytes')
    expect(upstream.hits.map((hit) => hit.path)).toEqual(['/v1/files/f1/download', '/pbxt/file.png'])
    expect(upstream.hits[0].headers.authorization).toBe(`Bearer ${KEYS.REPLICATE_API_TOKEN}`)
    expect(upstream.hits[1].headers.authorization).toBeUndefined()
  })
})

describe('request body cap', () => {
  it('answers 413 to a declared oversize body of the default 50 MB cap, without forwarding', async () => {
    const { upstream, relay } = await setUp()
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${relay.url}/forward`, {
        method: 'PUT',
        headers: {
          'X-Relay-Target': 'https://eachlabs-storage.s3.amazonaws.com/uploads/a.png',
          'X-Relay-Token': TEAM_TOKEN,
          'Content-Type': 'image/png',
          'Content-Length': String(50 * 1024 * 1024 + 1)
        }
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
        req.destroy()
      })
      req.on('error', reject)
      req.write(Buffer.alloc(1024))
    })
    expect(status).toBe(413)
    expect(upstream.hits).toHaveLength(0)
    expect(relay.outbound).toHaveLength(0)
  })

  it('answers 413 when a streamed body without Content-Length passes the cap', async () => {
    const { upstream, relay } = await setUp({ RELAY_MAX_BODY_BYTES: '100000' })
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 300_000) return controller.close()
        sent += 50_000
        controller.enqueue(new Uint8Array(50_000))
      }
    })
    const response = await relayFetch(relay, 'https://eachlabs-storage.s3.amazonaws.com/uploads/a.png', {
      method: 'PUT',
      body,
      duplex: 'half'
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(((await response.json()) as { error: string }).error).toMatch(/larger than the limit of 100000 bytes/)
    // the upstream never received a complete oversize body
    expect(upstream.hits.every((hit) => hit.body.length <= 100_000)).toBe(true)
  })
})

describe('per-token limits', () => {
  it('answers 429 with Retry-After past the concurrency limit, and frees the slot when a response ends', async () => {
    const releases: Array<() => void> = []
    let arrived: () => void = () => {}
    const bothArrived = new Promise<void>((resolve) => (arrived = resolve))
    const { upstream, relay } = await setUp({ RELAY_MAX_CONCURRENT: '2' }, (_hit, res) => {
      releases.push(() => res.end('{"status":"processing"}'))
      if (releases.length === 2) arrived()
    })
    const poll = () => relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/p1')
    const first = poll()
    const second = poll()
    await bothArrived
    const third = await poll()
    expect(third.status).toBe(429)
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(((await third.json()) as { error: string }).error).toMatch(/more than 2 requests in flight/)
    // another team's token has its own allowance
    const otherTeam = relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/p1', { token: 'another-team-token-xyz-0001' })
    await expect.poll(() => releases.length).toBe(3)
    for (const release of releases) release()
    for (const response of await Promise.all([first, second, otherTeam])) {
      expect(response.status).toBe(200)
      await response.text()
    }
    releases.length = 0
    const after = poll()
    await expect.poll(() => releases.length).toBe(1)
    releases[0]()
    expect((await after).status).toBe(200)
    expect(upstream.hits).toHaveLength(4)
  })

  it('answers 429 with Retry-After past the rate limit per minute', async () => {
    const { upstream, relay } = await setUp({ RELAY_RATE_PER_MINUTE: '3' })
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/p1')
      statuses.push(last.status)
      await last.text()
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(upstream.hits).toHaveLength(3)
  })
})

describe('secrets', () => {
  it('scrubs the provider key from bodies and headers a host echoes back, even split across chunks', async () => {
    const { relay } = await setUp({}, (hit, res) => {
      const auth = String(hit.headers.authorization)
      res.writeHead(401, { 'Content-Type': 'application/json', 'X-Debug-Auth': auth })
      // split the echo mid-key to prove the scrubber holds back a partial match
      const text = JSON.stringify({ error: `Invalid key: ${auth}`, again: KEYS.EACHLABS_API_KEY })
      const cut = text.indexOf(KEYS.EACHLABS_API_KEY) + 5
      res.write(text.slice(0, cut))
      setTimeout(() => res.end(text.slice(cut)), 20)
    })
    const response = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction', { method: 'POST', body: '{}' })
    const text = await response.text()
    expect(response.status).toBe(401)
    expect(JSON.parse(text)).toEqual({ error: 'Invalid key: Bearer [redacted]', again: '[redacted]' })
    expect(response.headers.get('x-debug-auth')).toBe('Bearer [redacted]')
    const everything = text + JSON.stringify([...response.headers]) + relay.logs.join('\n')
    for (const secret of [...Object.values(KEYS), TEAM_TOKEN]) expect(everything).not.toContain(secret)
  })

  it('scrubs a key that straddles two chunks of a large streamed body', async () => {
    const filler = 'x'.repeat(100 * 1024)
    const { relay } = await setUp({}, (_hit, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' })
      const text = `${filler}${KEYS.FAL_KEY}${filler}`
      const cut = filler.length + 7
      res.write(text.slice(0, cut))
      setTimeout(() => res.end(text.slice(cut)), 20)
    })
    const response = await relayFetch(relay, 'https://queue.fal.run/fal-ai/luma-photon/requests/r1')
    const text = await response.text()
    expect(text).toBe(`${filler}[redacted]${filler}`)
  })

  it('scrubs the encoded forms a host might echo: base64, case, JSON escapes, and the fal secret on its own', async () => {
    const falSecret = KEYS.FAL_KEY.split(':')[1]
    const { relay } = await setUp({}, (hit, res) => {
      const auth = String(hit.headers.authorization)
      res.writeHead(401, { 'Content-Type': 'application/json', 'X-Debug': Buffer.from(auth).toString('base64') })
      res.end(
        JSON.stringify({
          basic: Buffer.from(`api:${KEYS.FAL_KEY}`).toString('base64'),
          urlSafe: Buffer.from(KEYS.FAL_KEY).toString('base64url'),
          shouted: KEYS.FAL_KEY.toUpperCase(),
          secret: falSecret
        }).replace(KEYS.FAL_KEY.toUpperCase(), [...KEYS.FAL_KEY.toUpperCase()].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''))
      )
    })
    const response = await relayFetch(relay, 'https://queue.fal.run/fal-ai/luma-photon/flash/reframe', { method: 'POST', body: '{}' })
    const text = await response.text()
    const forms = [
      KEYS.FAL_KEY,
      falSecret,
      falSecret.toUpperCase(),
      Buffer.from(`Key ${KEYS.FAL_KEY}`).toString('base64'),
      Buffer.from(`api:${KEYS.FAL_KEY}`).toString('base64'),
      Buffer.from(KEYS.FAL_KEY).toString('base64url')
    ]
    const everything = text + JSON.stringify([...response.headers])
    for (const form of forms) expect(everything).not.toContain(form)
    // what the plugin reads, once decoded, has no key either
    const decoded = JSON.parse(text) as Record<string, string>
    for (const value of Object.values(decoded)) expect(value.toLowerCase()).not.toContain(falSecret)
    expect(decoded.secret).toBe('[redacted]')
  })

  it('logs one line per request with method, host, status and time, and no token, key or body', async () => {
    const { relay } = await setUp()
    await (await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction', { method: 'POST', body: '{"prompt":"a private brief"}' })).text()
    await (await relayFetch(relay, 'https://example.com/')).text()
    await (await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction', { token: 'wrong-token-0123456789abc' })).text()
    expect(relay.logs).toHaveLength(3)
    expect(relay.logs[0]).toMatch(/^POST api\.eachlabs\.ai 200 \d+ms$/)
    expect(relay.logs[1]).toMatch(/^GET - 403 \d+ms$/)
    expect(relay.logs[2]).toMatch(/^GET - 401 \d+ms$/)
    const all = relay.logs.join('\n')
    for (const secret of [...Object.values(KEYS), TEAM_TOKEN, 'wrong-token', 'private brief']) expect(all).not.toContain(secret)
  })
})
