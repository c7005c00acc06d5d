// Team relay overhead: 200 concurrent job polls straight to a fake each::labs vs through the relay on
// loopback (token check, target check, key added, response scrubbed), the relay in its own process.
// Prints added latency per request.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEachlabsProvider } from '../src/providers/eachlabs'
import { encodedImageOf } from '../src/core/image-header'
import { createRelayTransport } from '../src/providers/transport-relay'
import { startFakeEachlabs } from '../preview/fakes/providers/eachlabs-server'

const CONCURRENT = 200
const ROUNDS = 5
const TEAM_TOKEN = 'bench-team-token-0123456789'

/** The relay in its own process, like a deployment: the bench process plays plugin and host. */
async function startRelayProcess(fakeUrl: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./relay-process.ts', import.meta.url))
  const child = spawn(process.execPath, [...(process.env.RELAY_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof2'] : []), '--import', 'tsx', script, fakeUrl], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`relay process exited with ${code}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /port (\d+)/.exec(chunk.toString())
      if (match) resolve(match[1])
    })
  })
  child.removeAllListeners('exit')
  return { url: `http://127.0.0.1:${port}`, child }
}

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
  const relay = await startRelayProcess(fake.url, {
    EACHLABS_API_KEY: fake.key,
    RELAY_TEAM_TOKENS: TEAM_TOKEN,
    RELAY_MAX_CONCURRENT: String(CONCURRENT * 2),
    RELAY_RATE_PER_MINUTE: '1000000'
  })
  const relayUrl = relay.url

  try {
    // one real job to poll, made through the relay like the plugin would
    const transport = createRelayTransport({ relayUrl, teamToken: TEAM_TOKEN })
    const provider = createEachlabsProvider({ transport, tuning: { poll: { firstDelayMs: 5, ceilingMs: 10 } } })
    const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '../../shared/fixtures/images/coffee.png')))
    const uploaded = await provider.upload(encodedImageOf(bytes)!)
    await provider.reframe(uploaded, '16:9')
    const jobId = [...fake.jobs.jobs.keys()][0]
    const path = `/v1/prediction/${jobId}`

    const direct = await measure(() => fetch(`${fake.url}${path}`, { headers: { Authorization: `Bearer ${fake.key}` } }))
    const relayed = await measure(() => transport(`https://api.eachlabs.ai${path}`, { method: 'GET' }))

    // context: one request at a time, where queueing plays no part
    const one = async (poll: () => Promise<Response>) => {
      const times: number[] = []
      for (let i = 0; i < 100; i++) {
        const started = performance.now()
        await (await poll()).arrayBuffer()
        times.push(performance.now() - started)
      }
      return times.sort((a, b) => a - b)
    }
    const directOne = await one(() => fetch(`${fake.url}${path}`, { headers: { Authorization: `Bearer ${fake.key}` } }))
    const relayedOne = await one(() => transport(`https://api.eachlabs.ai${path}`, { method: 'GET' }))

    const row = (name: string, ms: number[]) =>
      `${name.padEnd(14)} median ${quantile(ms, 0.5).toFixed(2).padStart(7)} ms   p95 ${quantile(ms, 0.95).toFixed(2).padStart(7)} ms`
    console.log(`${CONCURRENT} concurrent polls x ${ROUNDS} rounds on loopback (each request timed from send to last byte)`)
    console.log(row('direct', direct))
    console.log(row('through relay', relayed))
    const addedMedian = quantile(relayed, 0.5) - quantile(direct, 0.5)
    const addedP95 = quantile(relayed, 0.95) - quantile(direct, 0.95)
    console.log(`added by relay  median ${addedMedian.toFixed(2)} ms   p95 ${addedP95.toFixed(2)} ms   (x${(quantile(relayed, 0.5) / quantile(direct, 0.5)).toFixed(2)} median)`)
    console.log(
      `one at a time   direct median ${quantile(directOne, 0.5).toFixed(2)} ms, through relay ${quantile(relayedOne, 0.5).toFixed(2)} ms, added ${(quantile(relayedOne, 0.5) - quantile(directOne, 0.5)).toFixed(2)} ms`
    )
    console.log(`fake polls served: ${Object.values(fake.stats.polls).reduce((a, b) => a + b, 0)}`)
  } finally {
    relay.child.kill('SIGTERM')
    await fake.close()
  }
}
