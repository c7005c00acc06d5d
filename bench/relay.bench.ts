// Team relay overhead: 200 concurrent job polls straight to a fake each::labs vs through the relay on
// loopback (token check, target check, key added, response scrubbed). Prints added latency per request.
import { serve } from '@hono/node-server'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createEachlabsProvider } from '../src/providers/eachlabs'
import { sniffImage } from '../src/providers/image-sniff'
import { createRelayTransport } from '../src/providers/transport-relay'
import { createRelayApp } from '../src/relay/relay-app'
import { readRelayConfig } from '../src/relay/relay-config'
import { startFakeEachlabs } from '../test/fakes/providers/eachlabs-server'

const CONCURRENT = 200
const ROUNDS = 5
const TEAM_TOKEN = 'bench-team-token-0123456789'

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

async function timedRound(poll: () => Promise<Response>): Promise<number[]> {
  return Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      const started = performance.now()
      const response = await poll()
      await response.arrayBuffer()
      if (!response.ok) throw new Error(`poll answered ${response.status}`)
      return performance.now() - started
    })
  )
}

async function measure(poll: () => Promise<Response>): Promise<number[]> {
  await timedRound(poll) // warm-up: connections, JIT
  const all: number[] = []
  for (let round = 0; round < ROUNDS; round++) all.push(...(await timedRound(poll)))
  return all.sort((a, b) => a - b)
}

export async function run(): Promise<void> {
  const fake = await startFakeEachlabs({ publicUrl: 'https://eachlabs-storage.s3.amazonaws.com', queuedMs: 0, runningMs: 0 })
  const read = readRelayConfig({
    EACHLABS_API_KEY: fake.key,
    RELAY_TEAM_TOKENS: TEAM_TOKEN,
    RELAY_MAX_CONCURRENT: String(CONCURRENT * 2),
    RELAY_RATE_PER_MINUTE: '1000000'
  })
  if (!read.ok) throw new Error(read.message)
  const app = createRelayApp(read.config, {
    log: () => undefined,
    testOnlyUpstreamRewrite: (url) => new URL(`${url.pathname}${url.search}`, fake.url)
  })
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const relayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  try {
    // one real job to poll, made through the relay like the plugin would
    const transport = createRelayTransport({ relayUrl, teamToken: TEAM_TOKEN })
    const provider = createEachlabsProvider({ transport, tuning: { poll: { firstDelayMs: 5, ceilingMs: 10 } } })
    const bytes = new Uint8Array(readFileSync('/work/shared/fixtures/images/coffee.png'))
    const uploaded = await provider.upload({ bytes, ...sniffImage(bytes)! })
    await provider.reframe(uploaded, '16:9')
    const jobId = [...fake.jobs.jobs.keys()][0]
    const path = `/v1/prediction/${jobId}`

    const direct = await measure(() => fetch(`${fake.url}${path}`, { headers: { Authorization: `Bearer ${fake.key}` } }))
    const relayed = await measure(() => transport(`https://api.eachlabs.ai${path}`, { method: 'GET' }))

    const row = (name: string, ms: number[]) =>
      `${name.padEnd(14)} median ${quantile(ms, 0.5).toFixed(2).padStart(7)} ms   p95 ${quantile(ms, 0.95).toFixed(2).padStart(7)} ms`
    console.log(`${CONCURRENT} concurrent polls x ${ROUNDS} rounds on loopback (each request timed from send to last byte)`)
    console.log(row('direct', direct))
    console.log(row('through relay', relayed))
    const addedMedian = quantile(relayed, 0.5) - quantile(direct, 0.5)
    const addedP95 = quantile(relayed, 0.95) - quantile(direct, 0.95)
    console.log(`added by relay  median ${addedMedian.toFixed(2)} ms   p95 ${addedP95.toFixed(2)} ms   (x${(quantile(relayed, 0.5) / quantile(direct, 0.5)).toFixed(2)} median)`)
    console.log(`fake polls served: ${Object.values(fake.stats.polls).reduce((a, b) => a + b, 0)}`)
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await fake.close()
  }
}
