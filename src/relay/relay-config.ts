// The relay's whole configuration, read once from environment variables and validated, so a typo
// stops the start with a clear message instead of running open or half-configured.
import { z } from 'zod'
import { hostedProvidersOf, PROVIDERS, type ProviderDescriptor } from '../protocol/provider-list'

const MB = 1024 * 1024

const intFrom = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback
      const parsed = Number(value)
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` })
        return z.NEVER
      }
      return parsed
    })

const list = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== ''))

const OriginSchema = z.string().refine((origin) => {
  if (origin === 'null') return true
  try {
    const url = new URL(origin)
    return url.origin === origin && (url.protocol === 'https:' || url.protocol === 'http:')
  } catch {
    return false
  }
}, 'each allowed origin must look like https://host[:port] with nothing after it')

const RelayEnvSchema = z.object({
  RELAY_TEAM_TOKENS: list.pipe(
    z
      .array(z.string().min(16, 'each team token must be at least 16 characters'))
      .min(1, 'set at least one team token (comma-separated); the relay never runs without one')
  ),
  /** Origins besides `null` (Figma's plugin iframe) allowed to call the relay from a browser. */
  RELAY_ALLOWED_ORIGINS: list.pipe(z.array(OriginSchema)),
  RELAY_MAX_BODY_BYTES: intFrom(50 * MB, 1, 1024 * MB),
  /** Requests in flight at once per team token. */
  RELAY_MAX_CONCURRENT: intFrom(24, 1, 10_000),
  /** Requests per minute per team token. */
  RELAY_RATE_PER_MINUTE: intFrom(600, 1, 1_000_000),
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
      port: e.PORT
    }
  }
}
