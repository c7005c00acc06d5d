// Forwards one checked request to its provider host and streams the answer back: key added for API
// hosts only, body capped while streaming, redirects followed by hand through the same target check.
import { BodyTooLargeError, capBody } from './capped-body'
import { describeUpstreamFailure } from './describe-upstream-failure'
import { providerAuthHeaders } from './provider-auth'
import type { ListedHost } from '../protocol/provider-hosts'
import { relayErrorResponse } from './relay-error'
import { resolvePublicHost, type ResolveHost, type ResolvedAddress } from './resolve-public-host'
import { createSecretScrubber, scrubText, type SecretPatterns } from './secret-scrubber'
import { checkTarget } from './target'
import { createUpstreamClock, timeRequestBody, timeResponseBody, type UpstreamTimeoutError, type UpstreamTimeouts } from './upstream-clock'

export type UpstreamInit = RequestInit & {
  /**
   * The addresses the relay checked for this URL's host: connect to these and nothing else (Node's
   * fetch, node-upstream-fetch.ts). A fetch without a hook for it (Workers') ignores the field.
   */
  connectTo?: readonly ResolvedAddress[]
}

export type UpstreamFetch = (url: string, init: UpstreamInit) => Promise<Response>

export type ForwardOptions = {
  fetch: UpstreamFetch
  keys: Partial<Record<string, string>>
  /** Every form of every key, compiled once (secretPatterns), scrubbed from whatever a host sends back. */
  secrets: SecretPatterns
  maxBodyBytes: number
  timeouts: UpstreamTimeouts
  /** Resolves a host before each connection, refusing private addresses; absent where no DNS API exists (Workers). */
  resolveHost?: ResolveHost
  /** Test-only: where a checked public URL is really fetched (a fake on loopback). */
  rewrite?: (url: URL) => URL
}

const MAX_REDIRECTS = 5
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
// Never forwarded upstream: hop-by-hop, the caller's identity and credentials, the relay's own headers.
// `expect: 100-continue` (curl's default above 1 MB) is between the client and the relay, which has
// already answered it (Node's server sends 100 Continue); upstream, undici refuses the header outright.
const DROPPED_REQUEST_HEADERS = new Set([
  'host', 'connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding',
  'upgrade', 'expect', 'origin', 'referer', 'cookie', 'authorization', 'x-api-key', 'accept-encoding', 'forwarded', 'x-real-ip'
])
const DROPPED_REQUEST_PREFIXES = ['x-relay-', 'x-forwarded-', 'cf-', 'sec-', 'access-control-']
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade', 'set-cookie', 'content-encoding',
  'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'vary'
])

function upstreamRequestHeaders(incoming: Headers, host: ListedHost, key: string | undefined, hasBody: boolean): Headers {
  const out = new Headers()
  incoming.forEach((value, name) => {
    if (DROPPED_REQUEST_HEADERS.has(name) || DROPPED_REQUEST_PREFIXES.some((prefix) => name.startsWith(prefix))) return
    out.set(name, value)
  })
  if (!hasBody) out.delete('content-length')
  if (key) for (const [name, value] of Object.entries(providerAuthHeaders(host, key))) out.set(name, value)
  return out
}

function downstreamHeaders(upstream: Response, secrets: SecretPatterns, scrubbing: boolean): Headers {
  const out = new Headers()
  upstream.headers.forEach((value, name) => {
    // x-relay-*: only the relay's own refusals may carry X-Relay-Error, never a host's answer
    if (DROPPED_RESPONSE_HEADERS.has(name) || name.startsWith('x-relay-')) return
    // fetch decodes gzip/br, and a scrubbed body may change length: the old length would be a lie
    if (name === 'content-length' && (scrubbing || upstream.headers.has('content-encoding'))) return
    out.set(name, scrubText(value, secrets))
  })
  return out
}

function timeoutResponse(hostname: string, timeout: UpstreamTimeoutError): Response {
  const seconds = timeout.ms / 1000
  const message =
    timeout.waitedFor === 'upload' ? `the upload to ${hostname} stood still for ${seconds} s.` : `${hostname} did not answer within ${seconds} s.`
  return relayErrorResponse(504, 'upstream-unreachable', message)
}

/** The refusal for a host whose name resolves to a private address; the addresses themselves stay unsaid. */
function privateAddressRefusal(hostname: string, redirectedFrom: string | undefined): Response {
  if (redirectedFrom === undefined) return relayErrorResponse(403, 'bad-target', `${hostname} resolves to a private address; refused.`)
  return relayErrorResponse(502, 'bad-redirect', `${redirectedFrom} redirected to ${hostname}, which resolves to a private address; refused.`)
}

/** Sends the request on, following redirects only to targets that pass the same check. */
export async function forwardRequest(request: Request, target: { url: URL; host: ListedHost }, options: ForwardOptions): Promise<Response> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > options.maxBodyBytes) {
    return relayErrorResponse(413, 'too-large', `the request body (${declared} bytes) is larger than the limit of ${options.maxBodyBytes} bytes.`)
  }
  const key = options.keys[target.host.provider]
  if (target.host.role === 'api' && !key) {
    return relayErrorResponse(503, 'no-key', `no ${target.host.provider} key is configured on the relay; ask whoever runs it, or pick another provider.`)
  }
  let tooLarge: BodyTooLargeError | undefined
  let body: ReadableStream<Uint8Array> | null = request.body ? capBody(request.body, options.maxBodyBytes, (error) => (tooLarge = error)) : null
  let method = request.method
  let current = target
  const secrets = options.secrets
  let redirectedFrom: string | undefined

  for (let hop = 0; ; hop++) {
    // a redirect never carries one provider's key to another provider's host
    const currentKey = current.host.role === 'api' && current.host.provider === target.host.provider ? options.keys[current.host.provider] : undefined
    let connectTo: readonly ResolvedAddress[] | undefined
    if (options.resolveHost) {
      const resolved = await resolvePublicHost(current.url.hostname, options.resolveHost)
      if (!resolved.ok && resolved.reason === 'private') return privateAddressRefusal(current.url.hostname, redirectedFrom)
      if (!resolved.ok) return relayErrorResponse(502, 'upstream-unreachable', `could not reach ${current.url.hostname} (its name does not resolve).`)
      connectTo = resolved.addresses
    }
    // a test's rewrite points at a loopback literal, which is connected to as it is whatever connectTo says
    const url = options.rewrite ? options.rewrite(current.url) : current.url
    const clock = createUpstreamClock(request.signal, options.timeouts)
    if (body) clock.sending()
    else clock.sent()
    let upstream: Response
    try {
      upstream = await options.fetch(url.href, {
        method,
        headers: upstreamRequestHeaders(request.headers, current.host, currentKey, body !== null),
        body: body ? timeRequestBody(body, clock) : null,
        redirect: 'manual',
        signal: clock.signal,
        connectTo,
        // streaming a request body from Node's fetch needs half duplex
        ...(body ? { duplex: 'half' } : {})
      } as UpstreamInit)
    } catch (error) {
      clock.stop()
      if (tooLarge) return relayErrorResponse(413, 'too-large', `the request body is larger than the limit of ${tooLarge.limit} bytes.`)
      const timedOut = clock.timedOut()
      if (timedOut) return timeoutResponse(current.url.hostname, timedOut)
      return relayErrorResponse(502, 'upstream-unreachable', `could not reach ${current.url.hostname} (${describeUpstreamFailure(error)}).`)
    }
    clock.answered()

    const location = upstream.headers.get('location')
    if (!REDIRECT_STATUSES.has(upstream.status) || location === null) {
      const scrubbing = currentKey !== undefined
      const timed = upstream.body ? timeResponseBody(upstream.body, clock) : null
      const stream = timed && scrubbing ? timed.pipeThrough(createSecretScrubber(secrets)) : timed
      return new Response(stream, { status: upstream.status, statusText: upstream.statusText, headers: downstreamHeaders(upstream, secrets, scrubbing) })
    }

    await upstream.body?.cancel()
    let next: string
    try {
      next = new URL(location, current.url).href
    } catch {
      return relayErrorResponse(502, 'bad-redirect', `${current.url.hostname} sent an unreadable redirect.`)
    }
    const checked = checkTarget(next)
    if (!checked.ok) return relayErrorResponse(502, 'bad-redirect', `${current.url.hostname} redirected to a target the relay refuses: ${checked.message}`)
    if (hop + 1 >= MAX_REDIRECTS) return relayErrorResponse(502, 'bad-redirect', `too many redirects from ${target.url.hostname}.`)
    if (upstream.status === 303 || ((upstream.status === 301 || upstream.status === 302) && method === 'POST')) {
      method = 'GET'
      body = null
    } else if (body) {
      // a streamed body has been sent already and cannot be replayed
      return relayErrorResponse(502, 'bad-redirect', `${current.url.hostname} redirected a request with a body; the relay does not replay bodies.`)
    }
    redirectedFrom = current.url.hostname
    current = checked
  }
}
