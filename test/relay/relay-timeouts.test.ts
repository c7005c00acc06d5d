// A hung host is let go: the relay answers its own `upstream-unreachable` instead of holding the request
// (and the team token's slot) for undici's five minutes. The timeouts come from the config object, so
// these tests set them short; each waits for the relay's answer (an event), never for a time to pass.
import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import type { RelayConfig } from '../../src/relay/relay-config'
import { closedAfterEach, TEAM_TOKEN, relayConfig, relayFetch, rewriteTo, settledInFlight, startRelay, startStalledUpstream, startUpstream } from './relay-harness'

const open = closedAfterEach()

/** Short timeouts for a host that will never meet them; defaults (30 s) for everything else. */
function shortTimeouts(timeouts: Partial<Pick<RelayConfig, 'upstreamFirstByteMs' | 'upstreamIdleMs'>>): RelayConfig {
  return { ...relayConfig(), ...timeouts }
}

async function relayErrorOf(response: Response) {
  const body = (await response.json()) as { error: string; code: string }
  return { status: response.status, header: response.headers.get('x-relay-error'), code: body.code, error: body.error }
}

describe('upstream timeouts', () => {
  it('answers 504 upstream-unreachable when an API host sends nothing, and gives the slot back', async () => {
    const host = await startStalledUpstream()
    const relay = await startRelay(shortTimeouts({ upstreamFirstByteMs: 100 }), { testOnlyUpstreamRewrite: rewriteTo(host) })
    open.push(host, relay)

    const answer = await relayErrorOf(await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/p1'))

    expect(answer).toEqual({
      status: 504,
      header: 'upstream-unreachable',
      code: 'upstream-unreachable',
      error: 'Team relay: api.eachlabs.ai did not answer within 0.1 s.'
    })
    expect(await settledInFlight(relay, 0)).toBe(0)
    await host.hungUp(1)
  })

  it('counts the time to the first byte from when the upload has been sent in full', async () => {
    const host = await startStalledUpstream()
    const relay = await startRelay(shortTimeouts({ upstreamFirstByteMs: 100 }), { testOnlyUpstreamRewrite: rewriteTo(host) })
    open.push(host, relay)

    const response = await relayFetch(relay, 'https://eachlabs-storage.s3.amazonaws.com/uploads/a.png?X-Amz-Signature=abc', {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png' },
      body: new Uint8Array(512 * 1024)
    })

    expect(await relayErrorOf(response)).toMatchObject({ status: 504, code: 'upstream-unreachable', error: expect.stringMatching(/did not answer within 0\.1 s/) })
    expect(await settledInFlight(relay, 0)).toBe(0)
  })

  it('lets go of an upload the host stops taking', async () => {
    // a host that reads nothing: once the socket buffers are full the upload cannot move
    const host = await startStalledUpstream({ reads: false })
    const relay = await startRelay(shortTimeouts({ upstreamIdleMs: 100 }), { testOnlyUpstreamRewrite: rewriteTo(host) })
    open.push(host, relay)
    const size = 32 * 1024 * 1024
    const req = httpRequest(`${relay.url}/forward`, {
      method: 'PUT',
      headers: {
        'X-Relay-Target': 'https://eachlabs-storage.s3.amazonaws.com/uploads/a.png',
        'X-Relay-Token': TEAM_TOKEN,
        'Content-Type': 'image/png',
        'Content-Length': String(size)
      }
    })
    const status = new Promise<{ status: number; code: string | undefined }>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume()
        resolve({ status: res.statusCode ?? 0, code: res.headers['x-relay-error'] as string | undefined })
      })
      req.on('error', reject)
    })
    // the client keeps offering bytes as fast as the relay takes them; only the host is stuck
    const chunk = Buffer.alloc(256 * 1024)
    let sent = 0
    const pump = () => {
      while (sent < size && req.write(chunk)) sent += chunk.length
      if (sent < size) req.once('drain', pump)
    }
    pump()

    expect(await status).toEqual({ status: 504, code: 'upstream-unreachable' })
    req.destroy()
    expect(await settledInFlight(relay, 0)).toBe(0)
  })

  it('cuts a download that stops halfway, and gives the slot back', async () => {
    const upstream = await startUpstream((_hit, res) => {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': '1000000' })
      res.write(Buffer.alloc(1000, 1))
      // ... and nothing more
    })
    const relay = await startRelay(shortTimeouts({ upstreamIdleMs: 100 }), { testOnlyUpstreamRewrite: rewriteTo(upstream) })
    open.push(upstream, relay)

    const response = await relayFetch(relay, 'https://replicate.delivery/pbxt/a.png')
    expect(response.status).toBe(200)
    await expect(response.arrayBuffer()).rejects.toThrow()
    expect(await settledInFlight(relay, 0)).toBe(0)
  })
})
