// The one retry policy of the providers: which failures are worth asking again, for how long, and how
// long to wait first (exponential backoff with jitter, or the host's own Retry-After). Nothing else
// decides this. Four modes, by what a request is for:
// - `once`: a key check, a cancel: never asked twice.
// - `bounded`: uploads: transient failures retried up to `attempts` times in all.
// - `create`: the request that starts a paid job: retried (bounded) only when the host certainly did
//   not start it; when it may have, reported as 'uncertain' and never sent again.
// - `until-deadline`: polls and the result download of a job the host has accepted: transient failures
//   retried until the job's deadline, so a brief outage never loses a job that is paid for.
import { ReframeError } from '../../core/reframe-error'
import { RELAY_ERROR_CODES, type RelayErrorCode } from '../../protocol/relay-protocol'
import type { RetryTuning } from './http-tuning'
import type { RequestFailure } from './request-failure'

export type RetryMode = 'once' | 'bounded' | 'create' | 'until-deadline'


// As the hosts' own SDKs do (reframe-apis.md, "What a careful client does"): timeouts, conflicts,
// rate limits and server errors may go away; 400/401/402/403/404/422 will not.
const TRANSIENT_STATUSES = new Set([408, 409, 425, 429])

// A gateway that timed out waiting for the host (504, Cloudflare's 524) had passed the request on:
// for a create, that is "sent, no answer". Every other status is the host (or its front door) saying
// it failed or refused, and the hosts' SDKs send a create again after those.
const GATEWAY_TIMEOUTS = new Set([504, 524])

/** Refusals by the team relay worth asking again: it was busy, or could not reach the host this time. */
const TRANSIENT_RELAY_CODES: ReadonlySet<RelayErrorCode> = new Set(['busy', 'upstream-unreachable'])

/** Refusals the relay makes before forwarding anything: the host never saw the request. */
const UNFORWARDED_RELAY_CODES: ReadonlySet<RelayErrorCode> = new Set(['bad-token', 'origin-refused', 'no-key', 'bad-target', 'too-large', 'busy', 'not-found'])

/** The relay's words when its own connection to the host was never made (Node's error codes). */
const RELAY_NEVER_CONNECTED = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|getaddrinfo/

function isKnownRelayCode(code: string): code is RelayErrorCode {
  return (RELAY_ERROR_CODES as readonly string[]).includes(code)
}

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status) || status >= 500
}

/** Whether a refusal by the relay is worth retrying (unknown codes from a newer relay: by status, like a host's answer). */
export function isRetryableRelayRefusal(code: string, status: number | undefined): boolean {
  if (isKnownRelayCode(code)) return TRANSIENT_RELAY_CODES.has(code)
  return status !== undefined && (status === 429 || status >= 500)
}

/** Whether asking again may get another answer: a connection problem, or a status or relay refusal that passes. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ReframeError)) return false
  if (error.relayCode !== undefined) return isRetryableRelayRefusal(error.relayCode, error.status)
  if (error.kind === 'network') return true
  return error.status !== undefined && isTransientStatus(error.status)
}

/** Whether a failed create may nevertheless have started a job on the host. */
export function mayHaveStarted(failure: RequestFailure): boolean {
  if (failure.reach === 'unsent') return false
  if (failure.reach !== 'refused') return true
  const { relayCode, status, hostMessage } = failure.error
  if (relayCode === undefined) return status === undefined || GATEWAY_TIMEOUTS.has(status)
  if (relayCode === 'upstream-unreachable') return !RELAY_NEVER_CONNECTED.test(hostMessage ?? '')
  return !(isKnownRelayCode(relayCode) && UNFORWARDED_RELAY_CODES.has(relayCode))
}

/** The error for a create that may have started a job: said plainly, never sent again. */
export function uncertainCreate(error: ReframeError, host: string): ReframeError {
  const why = error.message.replace(/\.$/, '')
  return new ReframeError('uncertain', `${why}. The job may have started on ${host}; it was not sent again so it is not paid twice.`, {
    cause: error,
    status: error.status,
    hostMessage: error.hostMessage
  })
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; error: ReframeError }

/** What to do after attempt number `attempt` (1 = the first) failed. */
export function decideRetry(mode: RetryMode, failure: RequestFailure, attempt: number, tuning: RetryTuning, host: string): RetryDecision {
  if (mode === 'create' && mayHaveStarted(failure)) return { retry: false, error: uncertainCreate(failure.error, host) }
  const bounded = mode !== 'until-deadline' && attempt >= (mode === 'once' ? 1 : tuning.attempts)
  if (!failure.transient || bounded) return { retry: false, error: failure.error }
  return { retry: true, delayMs: retryDelay(failure.error, attempt, tuning) }
}

/** How long to wait before attempt `attempt + 1`: the host's Retry-After, else backoff with jitter. */
export function retryDelay(error: ReframeError, attempt: number, tuning: RetryTuning): number {
  const { baseDelayMs, maxDelayMs, retryAfterFallbackMs } = tuning
  if (error.retryAfterMs !== undefined) return error.retryAfterMs
  // 2 ** attempt overflows to Infinity after ~1000 attempts; min() keeps it at the ceiling
  const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30))
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
