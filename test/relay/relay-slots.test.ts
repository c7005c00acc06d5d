// A team token's concurrency slot is given back however a request ends: the client goes away, the host
// fails, the answer is streamed in full or cancelled. A slot lost for good would turn, after
// RELAY_MAX_CONCURRENT such endings, into `429 busy` for the whole team until the relay restarts.
import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { closedAfterEach, TEAM_TOKEN, relayConfig, relayFetch, rewriteTo, settledInFlight, startRelay, startStalledUpstream, startUpstream, type RunningRelay, type StalledUpstream } from './relay-harness'

const open = closedAfterEach()

const POLL = 'https://api.eachlabs.ai/v1/prediction/p1'
const UPLOAD = 'https://eachlabs-storage.s3.amazonaws.com/uploads/a.png?X-Amz-Signature=abc'

async function relayBeforeHungHost(maxConcurrent = 3) {
  const host = await startStalledUpstream()
  const relay = await startRelay(relayConfig({ RELAY_MAX_CONCURRENT: String(maxConcurrent) }), { testOnlyUpstreamRewrite: rewriteTo(host) })
  open.push(host, relay)
  return { host, relay }
}

/** A request the client abandons once the host has it (a cancelled run, a closed plugin). */
async function abandonAfterArrival(relay: RunningRelay, host: StalledUpstream, nth: number): Promise<void> {
  const controller = new AbortController()
  const pending = relayFetch(relay, POLL, { signal: controller.signal })
  await host.arrived(nth)
  controller.abort()
  await expect(pending).rejects.toThrow()
}

describe('concurrency slots', () => {
  it('are given back when the client goes away before the host answers', async () => {
    const { host, relay } = await relayBeforeHungHost(3)
    for (let nth = 1; nth <= 3; nth++) await abandonAfterArrival(relay, host, nth)

    expect(await settledInFlight(relay, 0)).toBe(0)
    // and the relay hung up on the host, so an abandoned request holds nothing there either
    await host.hungUp(3)
    // the slots are really free: three more requests reach the host instead of `429 busy`
    const controllers = [1, 2, 3].map(() => new AbortController())
    const more = controllers.map((controller) => relayFetch(relay, POLL, { signal: controller.signal }))
    await host.arrived(6)
    for (const controller of controllers) controller.abort()
    await Promise.allSettled(more)
    expect(await settledInFlight(relay, 0)).toBe(0)
  })

  it('are given back when the client aborts an upload halfway', async () => {
    const { host, relay } = await relayBeforeHungHost(1)
    const url = new URL(`${relay.url}/forward`)
    const req = httpRequest(url, {
      method: 'PUT',
      headers: { 'X-Relay-Target': UPLOAD, 'X-Relay-Token': TEAM_TOKEN, 'Content-Type': 'image/png', 'Content-Length': '1000000' }
    })
    req.on('error', () => undefined)
    req.write(Buffer.alloc(64 * 1024, 1))
    await host.arrived(1)
    req.destroy()

    expect(await settledInFlight(relay, 0)).toBe(0)
    await host.hungUp(1)
  })

  it('are given back when the answer has been streamed in full, or the client stops reading it', async () => {
    const upstream = await startUpstream((_hit, res) => {
      res.setHeader('Content-Type', 'image/png')
      // more than the sockets buffer, so a reader that stops early leaves the rest unsent
      for (let i = 0; i < 64; i++) res.write(Buffer.alloc(64 * 1024, i))
      res.end()
    })
    const relay = await startRelay(relayConfig({ RELAY_MAX_CONCURRENT: '1' }), { testOnlyUpstreamRewrite: rewriteTo(upstream) })
    open.push(upstream, relay)

    const full = await relayFetch(relay, 'https://replicate.delivery/pbxt/a.png')
    expect((await full.arrayBuffer()).byteLength).toBe(64 * 64 * 1024)
    expect(await settledInFlight(relay, 0)).toBe(0)

    const partial = await relayFetch(relay, 'https://replicate.delivery/pbxt/b.png')
    const reader = partial.body?.getReader()
    await reader?.read()
    await reader?.cancel()
    expect(await settledInFlight(relay, 0)).toBe(0)
  })

  it('are given back when the host drops the connection', async () => {
    const upstream = await startUpstream((_hit, res) => {
      res.socket?.destroy()
    })
    const relay = await startRelay(relayConfig({ RELAY_MAX_CONCURRENT: '1' }), { testOnlyUpstreamRewrite: rewriteTo(upstream) })
    open.push(upstream, relay)
    for (let i = 0; i < 3; i++) {
      const response = await relayFetch(relay, POLL)
      expect({ status: response.status, code: response.headers.get('x-relay-error') }).toEqual({ status: 502, code: 'upstream-unreachable' })
      await response.text()
    }
    expect(await settledInFlight(relay, 0)).toBe(0)
  })
})
