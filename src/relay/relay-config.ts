// The relay's whole configuration, read once from environment variables and validated, so a typo
// stops the start with a clear message instead of running open or half-configured.
import * as z from 'zod/mini'
import '../protocol/zod-english'
import { hostedProvidersOf, PROVIDERS, type ProviderDescriptor } from '../protocol/provider-list'

const MB = 1024 * 1024

const intFrom = (fallback: number, min: number, max: number) =>
  z.pipe(
    z.optional(z.string().check(z.trim())),
    z.transform((value: string | undefined, ctx) => {
      if (value === undefined || value === '') return fallback
      const parsed = Number(value)
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        ctx.issues.push({ code: 'custom', message: `must be a whole number from ${min} to ${max}`, input: value })
        return z.NEVER
      }
      return parsed
    })
  )

const list = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== ''))
)

const OriginSchema = z.string().check(
  z.refine((origin) => {
    if (origin === 'null') return true
    try {
      const url = new URL(origin)
      return url.origin === origin && (url.protocol === 'https:' || url.protocol === 'http:')
    } catch {
      return false
    }
  }, 'each allowed origin must look like https://host[:port] with nothing after it')
)

const RelayEnvSchema = z.object({
  RELAY_TEAM_TOKENS: z.pipe(
    list,
    z
      .array(z.string().check(z.minLength(16, 'each team token must be at least 16 characters')))
      .check(z.minLength(1, 'set at least one team token (comma-separated); the relay never runs without one'))
  ),
  /** Origins besides `null` (Figma's plugin iframe) allowed to call the relay from a browser. */
  RELAY_ALLOWED_ORIGINS: z.pipe(list, z.array(OriginSchema)),
  RELAY_MAX_BODY_BYTES: intFrom(50 * MB, 1, 1024 * MB),
  /** Requests in flight at once per team token. */
  RELAY_MAX_CONCURRENT: intFrom(24, 1, 10_000),
  /** Requests per minute per team token. */
  RELAY_RATE_PER_MINUTE: intFrom(600, 1, 1_000_000),
  /** Wrong or missing team tokens per minute per client address, before it is answered 429. */
  RELAY_UNAUTH_RATE_PER_MINUTE: intFrom(30, 1, 1_000_000),
  /**
   * The header a reverse proxy in front of the relay sets to the client's address (X-Forwarded-For,
   * X-Real-IP...). Only for a proxy that sets it: otherwise clients could write it themselves.
   */
  RELAY_CLIENT_IP_HEADER: z.pipe(
    z.pipe(
      z.optional(z.string().check(z.trim(), z.toLowerCase())),
      z.transform((value: string | undefined) => (value === '' ? undefined : value))
    ),
    z.optional(z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be a header name such as X-Forwarded-For')))
  ),
  /** Seconds a host has to start its answer once the request is sent in full. */
  RELAY_UPSTREAM_FIRST_BYTE_SECONDS: intFrom(30, 1, 600),
  /** Seconds an upload or a download may stand still before the relay lets go of the host. */
  RELAY_UPSTREAM_IDLE_SECONDS: intFrom(30, 1, 600),
  PORT: intFrom(8787, 1, 65_535)
})

export type RelayConfig = {
  /** Provider id -> its key, for every hosted provider whose key variable is set. */
  keys: Partial<Record<string, string>>
  teamTokens: string[]
  allowedOrigins: string[]
  maxBodyBytes: number
  maxConcurrent: number
  ratePerMinute: number
  /** Wrong or missing team tokens a client address may send per minute. */
  unauthRatePerMinute: number
  /** Where a reverse proxy puts the client's address; unset: the socket's peer (Node) or CF-Connecting-IP (Workers). */
  clientIpHeader: string | undefined
  /** A host that has not started its answer this long after the request was sent is let go (504). */
  upstreamFirstByteMs: number
  /** An upload or download standing still this long is cut: big files take as long as they keep moving. */
  upstreamIdleMs: number
  port: number
}

export type RelayConfigResult = { ok: true; config: RelayConfig } | { ok: false; message: string }

/** Reads the relay's settings from an environment (process.env on Node, bindings on Workers). */
export function readRelayConfig(env: Record<string, string | undefined>, list: readonly ProviderDescriptor[] = PROVIDERS): RelayConfigResult {
  // one optional variable per hosted provider's key (EACHLABS_API_KEY, FAL_KEY, ...)
  const hosted = hostedProvidersOf(list)
  const parsed = RelayEnvSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`)
    return { ok: false, message: `The relay is not configured correctly:\n  ${lines.join('\n  ')}` }
  }
  const e = parsed.data
  return {
    ok: true,
    config: {
      keys: Object.fromEntries(hosted.map((entry) => [entry.id, env[entry.key.env]?.trim() || undefined])),
      teamTokens: e.RELAY_TEAM_TOKENS,
      allowedOrigins: ['null', ...e.RELAY_ALLOWED_ORIGINS.filter((origin) => origin !== 'null')],
      maxBodyBytes: e.RELAY_MAX_BODY_BYTES,
      maxConcurrent: e.RELAY_MAX_CONCURRENT,
      ratePerMinute: e.RELAY_RATE_PER_MINUTE,
      unauthRatePerMinute: e.RELAY_UNAUTH_RATE_PER_MINUTE,
      clientIpHeader: e.RELAY_CLIENT_IP_HEADER,
      upstreamFirstByteMs: e.RELAY_UPSTREAM_FIRST_BYTE_SECONDS * 1000,
      upstreamIdleMs: e.RELAY_UPSTREAM_IDLE_SECONDS * 1000,
      port: e.PORT
    }
  }
}
