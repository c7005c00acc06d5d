// Soak: 1000 requests through the real relay to a host on loopback, a third of them abandoned by the
// client while the host holds the answer, 50 at a time. Every slot must come back: the relay's own
// /health count of requests in flight ends at 0. Deterministic: each abandon waits until the host has
// the request (an event), and the end waits for /health with a bound on attempts, not on time.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { relayConfig, relayFetch, rewriteTo, settledInFlight, startRelay, type RunningRelay } from './relay-harness'

const TOTAL = 1000
const AT_ONCE = 50

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** A host that answers /poll/* at once and holds /hold/* forever, telling the test when each arrives. */
async function startHoldingHost() {
  const arrivals = new Map<string, () => void>()
  const arrived = new Map<string, Promise<void>>()
  const expect = (id: string) => {
    if (!arrived.has(id)) arrived.set(id, new Promise<void>((resolve) => arrivals.set(id, resolve)))
    return arrived.get(id) as Promise<void>
  }
  let answered = 0
  const held: ServerResponse[] = []
  const server = createServer((req, res) => {
    const [, kind, id] = (req.url ?? '').split('/')
    if (kind === 'hold') {
      held.push(res)
      void expect(id)
      arrivals.get(id)?.()
      return
    }
    answered += 1
    res.setHeader('Content-Type', 'application/json')
    res.end(`{"id":"${id}","status":"processing"}`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    arrivalOf: expect,
    answered: () => answered,
    held: () => held.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

async function oneRequest(relay: RunningRelay, host: Awaited<ReturnType<typeof startHoldingHost>>, i: number): Promise<'answered' | 'abandoned'> {
  if (i % 3 !== 0) {
    const response = await relayFetch(relay, `https://api.eachlabs.ai/poll/${i}`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: String(i), status: 'processing' })
    return 'answered'
  }
  const controller = new AbortController()
  const pending = relayFetch(relay, `https://api.eachlabs.ai/hold/${i}`, { signal: controller.signal })
  await host.arrivalOf(String(i))
  controller.abort()
  await expect(pending).rejects.toThrow()
  return 'abandoned'
}

it(`ends ${TOTAL} requests, a third abandoned mid-flight, with every concurrency slot given back`, { timeout: 120_000 }, async () => {
  const host = await startHoldingHost()
  const relay = await startRelay(relayConfig({ RELAY_MAX_CONCURRENT: String(AT_ONCE * 2), RELAY_RATE_PER_MINUTE: '1000000' }), {
    testOnlyUpstreamRewrite: rewriteTo(host)
  })
  closers.push(host.close, relay.close)

  const started = performance.now()
  const outcomes: Array<'answered' | 'abandoned'> = []
  let next = 0
  const worker = async () => {
    while (next < TOTAL) outcomes.push(await oneRequest(relay, host, next++))
  }
  await Promise.all(Array.from({ length: AT_ONCE }, worker))
  const inFlightAfter = await settledInFlight(relay, 0)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const abandoned = outcomes.filter((outcome) => outcome === 'abandoned').length

  console.log(`relay soak: ${outcomes.length} requests, ${abandoned} abandoned, in flight after: ${inFlightAfter}, ${seconds} s`)
  expect(outcomes).toHaveLength(TOTAL)
  expect(abandoned).toBe(Math.ceil(TOTAL / 3))
  expect(host.answered()).toBe(TOTAL - abandoned)
  expect(host.held()).toBe(abandoned)
  expect(inFlightAfter).toBe(0)
})
