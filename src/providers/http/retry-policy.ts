// The one retry policy of the providers: which failures are worth asking again, and how long to wait
// first (exponential backoff with jitter, or the host's own Retry-After). Nothing else decides this.
import { ReframeError } from '../../core/reframe-error'
import { RELAY_ERROR_CODES, type RelayErrorCode } from '../../protocol/relay-protocol'
import type { RetryTuning } from './http-tuning'

/**
 * When a 429 (or 503) has no readable Retry-After: each::labs' cap is on predictions in flight (~60 s
 * each), so waiting a few seconds before asking again is sensible. In a browser, Retry-After is only
 * readable when the host lists it in Access-Control-Expose-Headers, which no host documents. [?]
 */
export const RETRY_AFTER_FALLBACK_MS = 3_000

/** Longest Retry-After honoured; a host asking for more is treated as this. */
export const RETRY_AFTER_MAX_MS = 60_000

// As the hosts' own SDKs do (reframe-apis.md, "What a careful client does"): timeouts, conflicts,
// rate limits and server errors may go away; 400/401/402/403/404/422 will not.
const TRANSIENT_STATUSES = new Set([408, 409, 425, 429])

/** Refusals by the team relay worth asking again: it was busy, or could not reach the host this time. */
const TRANSIENT_RELAY_CODES: ReadonlySet<RelayErrorCode> = new Set(['busy', 'upstream-unreachable'])

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status) || status >= 500
}

/** Whether a refusal by the relay is worth retrying (unknown codes from a newer relay: by status, like a host's answer). */
export function isRetryableRelayRefusal(code: string, status: number | undefined): boolean {
  if ((RELAY_ERROR_CODES as readonly string[]).includes(code)) return TRANSIENT_RELAY_CODES.has(code as RelayErrorCode)
  return status !== undefined && (status === 429 || status >= 500)
}

/** Whether asking again may get another answer: a connection problem, or a status or relay refusal that passes. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ReframeError)) return false
  if (error.relayCode !== undefined) return isRetryableRelayRefusal(error.relayCode, error.status)
  if (error.kind === 'network') return true
  return error.status !== undefined && isTransientStatus(error.status)
}

/** How long to wait before attempt `attempt + 1`: the host's Retry-After, else backoff with jitter. */
export function retryDelay(error: ReframeError, attempt: number, tuning: RetryTuning): number {
  const { baseDelayMs, maxDelayMs, retryAfterFallbackMs } = tuning
  if (error.retryAfterMs !== undefined) return error.retryAfterMs
  const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
  const jittered = backoff / 2 + Math.random() * (backoff / 2)
  const busy = error.status === 429 || error.status === 503
  return busy ? Math.max(jittered, retryAfterFallbackMs) : jittered
}

/** Retry-After as seconds (fractions accepted) or an HTTP date; capped. */
export function parseRetryAfter(value: string | null, maxMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const secondsValue = Number(value)
  const ms = Number.isFinite(secondsValue) ? secondsValue * 1000 : Date.parse(value) - Date.now()
  if (!Number.isFinite(ms)) return undefined
  return Math.min(maxMs, Math.max(0, ms))
}
