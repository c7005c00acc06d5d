// Starts a relay on loopback for a test, with a counting outbound fetch and captured log lines, and
// a tiny upstream server that plays whichever provider host a test needs.
import { serve } from '@hono/node-server'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { nodeClientAddress } from '../../src/relay/node-client-address'
import { createRelayApp, type RelayAppOptions } from '../../src/relay/relay-app'
import { createNodeUpstreamFetch } from '../../src/relay/node-upstream-fetch'
import { readRelayConfig, type RelayConfig } from '../../src/relay/relay-config'
import type { ResolveHost, ResolvedAddress } from '../../src/relay/resolve-public-host'

export const KEYS = {
  EACHLABS_API_KEY: 'each-secret-key-0123456789abcdef',
  FAL_KEY: 'fal-key-id:fal-secret-0123456789abcdef',
  REPLICATE_API_TOKEN: 'r8_replicate-secret-0123456789abcdef'
}
export const TEAM_TOKEN = 'team-token-for-tests-0123456789'

export function relayConfig(env: Record<string, string> = {}): RelayConfig {
  const read = readRelayConfig({ ...KEYS, RELAY_TEAM_TOKENS: `another-team-token-xyz-0001,${TEAM_TOKEN}`, ...env })
  if (!read.ok) throw new Error(read.message)
  return read.config
}

/** Stands in for DNS: every provider name resolves to one public address (the relay never connects to it under a rewrite). */
export const PUBLIC_ADDRESS = { address: '93.184.215.14', family: 4 } as const
export const resolveEverythingPublic: ResolveHost = async () => [PUBLIC_ADDRESS]

export { closedAfterEach } from '../support/closed-after-each'

export type RunningRelay = {
  url: string
  /** Every URL the relay fetched upstream, in order. */
  outbound: string[]
  /** For each of those, the checked addresses the relay told its fetch to connect to. */
  connectTo: Array<readonly ResolvedAddress[] | undefined>
  logs: string[]
  close: () => Promise<void>
}

/**
 * The relay as node.ts runs it (its own Node fetch, every host resolved and checked, clients by socket
 * address), with a stand-in for DNS and the outbound requests recorded.
 */
export async function startRelay(config: RelayConfig, options: Omit<RelayAppOptions, 'fetch' | 'log'> = {}): Promise<RunningRelay> {
  const outbound: string[] = []
  const connectTo: RunningRelay['connectTo'] = []
  const logs: string[] = []
  const upstreamFetch = createNodeUpstreamFetch()
  const app = createRelayApp(config, {
    clientAddress: nodeClientAddress,
    resolveHost: resolveEverythingPublic,
    ...options,
    fetch: (url, init) => {
      outbound.push(url)
      connectTo.push(init.connectTo)
      return upstreamFetch(url, init)
    },
    log: (line) => logs.push(line)
  })
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: { noDelay: true } })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    outbound,
    connectTo,
    logs,
    close: () =>
      new Promise((resolve) => {
        // a refused upload leaves its connection half-read; do not wait for it to time out
        if ('closeAllConnections' in server) server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

export type UpstreamHit = { method: string; path: string; headers: IncomingMessage['headers']; body: Buffer }

export type Upstream = {
  origin: string
  hits: UpstreamHit[]
  close: () => Promise<void>
}

/** A loopback server whose handler sees the whole request; records every hit. */
export async function startUpstream(handle: (hit: UpstreamHit, res: ServerResponse) => void | Promise<void>): Promise<Upstream> {
  const hits: UpstreamHit[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const hit = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
      hits.push(hit)
      void Promise.resolve(handle(hit, res)).catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

export type StalledUpstream = {
  origin: string
  /** Resolves once the host has seen `n` requests arrive (headers, and the first body byte if any). */
  arrived: (n: number) => Promise<void>
  /** Resolves once the relay has closed `n` of the connections it opened to this host. */
  hungUp: (n: number) => Promise<void>
  close: () => Promise<void>
}

/** A count that can be awaited: `reached(n)` resolves once it is at least n. */
function counter(): { add: () => void; reached: (n: number) => Promise<void> } {
  let count = 0
  const waiters: Array<{ n: number; resolve: () => void }> = []
  return {
    add: () => {
      count += 1
      for (const waiter of waiters.filter((w) => w.n <= count)) waiter.resolve()
    },
    reached: (n) => (count >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })))
  }
}

/**
 * A host that takes every request and never answers: a hung provider. With `reads: false` it does
 * not even read request bodies (an upload that cannot move once the socket buffers are full).
 */
export async function startStalledUpstream(options: { reads?: boolean } = {}): Promise<StalledUpstream> {
  const reads = options.reads ?? true
  const arrivals = counter()
  const closes = counter()
  const server = createServer((req) => {
    const arrive = () => arrivals.add()
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? '0') > 0
    if (hasBody && reads) req.once('data', arrive)
    else arrive()
    if (reads) req.resume()
    req.socket.once('close', () => closes.add())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    arrived: arrivals.reached,
    hungUp: closes.reached,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Test-only rewrite: every checked public URL goes to one upstream, path and query kept. */
export function rewriteTo(upstream: Pick<Upstream, 'origin'>, onlyHosts?: string[]): (url: URL) => URL {
  return (url) => {
    if (onlyHosts && !onlyHosts.includes(url.hostname)) return url
    return new URL(`${url.pathname}${url.search}`, upstream.origin)
  }
}

export function relayFetch(relay: RunningRelay, target: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('X-Relay-Target', target)
  if (init.token !== null) headers.set('X-Relay-Token', init.token ?? TEAM_TOKEN)
  return fetch(`${relay.url}/forward`, { ...init, headers })
}

/** The relay's own count of requests in flight over every token, as /health reports it. */
export async function inFlightOf(relay: RunningRelay): Promise<number> {
  const health = (await (await fetch(`${relay.url}/health`)).json()) as { inFlight: number }
  return health.inFlight
}

/**
 * Asks /health until the relay reports `expected` requests in flight, a bounded number of times
 * (a short pause between asks only spaces them out; nothing is asserted on time). The bound is the
 * suite's one generous ceiling (some 60 s): a busy CI machine may take seconds to close sockets, and a
 * count that settles returns at once. Returns the last count.
 */
export async function settledInFlight(relay: RunningRelay, expected = 0, attempts = 6000): Promise<number> {
  let count = await inFlightOf(relay)
  for (let attempt = 1; attempt < attempts && count !== expected; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    count = await inFlightOf(relay)
  }
  return count
}
