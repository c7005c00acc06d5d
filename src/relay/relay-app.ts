// The relay as a Hono app, independent of the runtime: Node (node.ts) and Workers-style hosts
// (worker.ts) both serve `createRelayApp(config).fetch`.
import { Hono, type Context } from 'hono'
import { HOSTED_PROVIDER_IDS } from '../protocol/provider-list'
import { decideCors, preflightHeaders } from './cors-policy'
import { createFailedTokenLimit } from './failed-token-limit'
import { forwardRequest, type UpstreamFetch } from './forward-request'
import type { RelayConfig } from './relay-config'
import { relayErrorResponse } from './relay-error'
import { FORWARD_PATH, RELAY_ERROR_HEADER, TARGET_HEADER, TOKEN_HEADER } from '../protocol/relay-protocol'
import type { ResolveHost } from './resolve-public-host'
import { secretPatterns } from './secret-scrubber'
import { checkTarget } from './target'
import { createTeamTokenCheck } from './team-token'
import { createTokenLimits } from './token-limits'

export type RelayAppOptions = {
  /**
   * Outbound fetch (tests pass a counting one). Defaults to the global fetch; the Node relay passes
   * createNodeUpstreamFetch(), which connects only to the addresses `resolveHost` checked.
   */
  fetch?: UpstreamFetch
  /**
   * Resolves each target host before connecting and refuses private addresses (Node: resolveHostWithDns).
   * Without it no address is checked: only the host-name allowlist applies (Workers, which have no DNS API).
   */
  resolveHost?: ResolveHost
  /** One line per request; never given bodies, tokens or keys. Defaults to console.log. */
  log?: (line: string) => void
  /**
   * TEST ONLY. Maps a URL that already passed every check to the loopback fake that plays that host.
   * Deliberately not reachable from any environment variable: only code that builds the app can set it.
   */
  testOnlyUpstreamRewrite?: (url: URL) => URL
  /**
   * The client's address as the runtime knows it (Node: the socket's peer; Workers: CF-Connecting-IP),
   * used when no RELAY_CLIENT_IP_HEADER is set. Without either, all clients share one allowance.
   */
  clientAddress?: (request: Request, runtimeEnv: unknown) => string | undefined
}

type Env = { Variables: { targetHost: string } }

/** Hands the body through and calls `done` once when it ends, fails or the client goes away. */
function onBodyEnd(response: Response, done: () => void): Response {
  if (!response.body) {
    done()
    return response
  }
  const reader = response.body.getReader()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: finished, value } = await reader.read()
        if (finished) {
          done()
          controller.close()
        } else controller.enqueue(value)
      } catch (error) {
        done()
        controller.error(error)
      }
    },
    cancel(reason) {
      done()
      return reader.cancel(reason)
    }
  })
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
}

/**
 * Gives the slot back as soon as the client goes away (a cancelled run, an aborted upload), not only
 * when the answer has been read: a client gone before the answer never reads it, and its slot would
 * otherwise be taken until restart. Returns the one release to call on every other ending.
 */
function releaseOnClientGone(signal: AbortSignal, release: () => void): () => void {
  const once = () => {
    signal.removeEventListener('abort', once)
    release()
  }
  if (signal.aborted) once()
  else signal.addEventListener('abort', once)
  return once
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value)
  return response
}

export function createRelayApp(config: RelayConfig, options: RelayAppOptions = {}): Hono<Env> {
  const app = new Hono<Env>()
  const log = options.log ?? ((line: string) => console.log(line))
  const upstreamFetch = options.fetch ?? ((url, init) => fetch(url, init))
  const tokenIdOf = createTeamTokenCheck(config.teamTokens)
  const limits = createTokenLimits(config)
  const secrets = secretPatterns(Object.values(config.keys).filter((key): key is string => Boolean(key)))
  const failedTokens = createFailedTokenLimit({ perMinute: config.unauthRatePerMinute })

  function clientAddressOf(c: Context<Env>): string | undefined {
    if (config.clientIpHeader === undefined) return options.clientAddress?.(c.req.raw, c.env)
    // a proxy appends the address it saw: the last entry is the one it vouches for, earlier ones the client wrote
    return c.req.header(config.clientIpHeader)?.split(',').pop()?.trim()
  }

  app.use('*', async (c, next) => {
    const started = performance.now()
    c.set('targetHost', '-')
    await next()
    const gone = c.req.raw.signal.aborted ? ' (client gone)' : ''
    log(`${c.req.method} ${c.get('targetHost')} ${c.res.status} ${Math.round(performance.now() - started)}ms${gone}`)
  })

  app.use('*', async (c, next) => {
    const cors = decideCors(c.req.header('origin'), config.allowedOrigins)
    if (!cors.allowed) {
      c.res = relayErrorResponse(403, 'origin-refused', 'this origin may not call the relay.')
      return
    }
    if (c.req.method === 'OPTIONS') {
      c.res = new Response(null, { status: 204, headers: { ...cors.headers, ...preflightHeaders(c.req.header('access-control-request-headers')) } })
      return
    }
    await next()
    // c.res may hold immutable upstream headers: rebuild it before adding ours (browser calls only)
    if (Object.keys(cors.headers).length > 0) c.res = withHeaders(new Response(c.res.body, c.res), cors.headers)
  })

  // which providers have a key (booleans, never the keys) and how many requests are in flight over all
  // tokens (one number, no token named), so an operator can see a stuck relay before users do
  app.get('/health', (c) =>
    c.json({
      ok: true,
      providers: Object.fromEntries(HOSTED_PROVIDER_IDS.map((id) => [id, Boolean(config.keys[id])])),
      inFlight: limits.inFlight()
    })
  )

  app.all(FORWARD_PATH, async (c) => {
    const client = clientAddressOf(c)
    // checked before the token, so a right guess waits as long as a wrong one
    const guessing = failedTokens.check(client)
    if (!guessing.ok) {
      const retry = guessing.retryAfterSeconds
      return relayErrorResponse(429, 'busy', `too many requests with a wrong or missing team token from this address; retry in ${retry} s.`, {
        'Retry-After': String(retry)
      })
    }
    const tokenId = tokenIdOf(c.req.header(TOKEN_HEADER))
    if (!tokenId) {
      failedTokens.failed(client)
      // worded so client-side scrubbers of "Token <value>" patterns leave the sentence readable
      return relayErrorResponse(401, 'bad-token', 'wrong or missing team token; check it in Settings.')
    }
    const target = checkTarget(c.req.header(TARGET_HEADER))
    if (!target.ok) return relayErrorResponse(403, 'bad-target', target.message)
    c.set('targetHost', target.url.hostname)
    const admission = limits.admit(tokenId)
    if (!admission.ok) {
      return relayErrorResponse(429, 'busy', `${admission.reason}; retry shortly.`, { 'Retry-After': String(admission.retryAfterSeconds) })
    }
    const release = releaseOnClientGone(c.req.raw.signal, admission.release)
    try {
      const response = await forwardRequest(c.req.raw, target, {
        fetch: upstreamFetch,
        keys: config.keys,
        secrets,
        maxBodyBytes: config.maxBodyBytes,
        timeouts: { firstByteMs: config.upstreamFirstByteMs, idleMs: config.upstreamIdleMs },
        resolveHost: options.resolveHost,
        rewrite: options.testOnlyUpstreamRewrite
      })
      // the relay's own answer (host unreachable, refused redirect): nothing upstream is held any more
      if (response.headers.has(RELAY_ERROR_HEADER)) {
        release()
        return response
      }
      return onBodyEnd(response, release)
    } catch (error) {
      release()
      throw error
    }
  })

  app.notFound(() => relayErrorResponse(404, 'not-found', `use ${FORWARD_PATH} with the ${TARGET_HEADER} header, or GET /health.`))
  app.onError((error, c) => {
    log(`relay error on ${c.req.method} ${c.get('targetHost')}: ${error.name}`)
    return relayErrorResponse(500, 'upstream-unreachable', 'the relay failed on this request.')
  })
  return app
}
