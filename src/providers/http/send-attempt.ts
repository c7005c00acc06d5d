// One attempt at one request: the transport call and the reading of its answer under a per-request
// timeout, an error status read into a ReframeError, and nothing left open when it fails. Every
// failure but the caller's own abort comes out as a RequestFailure saying how far the request got.
import { ReframeError } from '../../core/reframe-error'
import type { Transport } from '../provider'
import { abortReason, linkAbort, raceAbort, secondsText } from './deadline'
import { RequestFailure } from './request-failure'
import { isRetryable } from './retry-policy'

export type AttemptContext = {
  transport: Transport
  host: string
  timeoutMs: number
  /** Reads an answer whose status is not 2xx into the error to throw. */
  statusError: (response: Response) => Promise<ReframeError>
  scrub: (text: string) => string
}

// Failures of the connection itself, before any byte of the request left (Node's fetch names them in
// `cause.code`; a browser's fetch says only "Failed to fetch", which therefore counts as maybe sent).
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT'])

/** Whether a transport error shows the connection was never made (an AggregateError when every address failed). */
export function neverConnected(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false
  const { code, errors, cause } = error as { code?: unknown; errors?: unknown; cause?: unknown }
  if (typeof code === 'string' && NEVER_CONNECTED.has(code)) return true
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => neverConnected(e, depth + 1))) return true
  return neverConnected(cause, depth + 1)
}

export async function sendAttempt<T>(
  url: string,
  init: RequestInit,
  signal: AbortSignal,
  read: (response: Response) => Promise<T>,
  context: AttemptContext
): Promise<T> {
  const { host, timeoutMs, scrub } = context
  const attempt = new AbortController()
  const stop = linkAbort(signal, attempt)
  const timeout = new ReframeError('network', `${host} did not answer within ${secondsText(timeoutMs)} s.`)
  const timer = setTimeout(() => attempt.abort(timeout), timeoutMs)
  let answered = false
  let done = false
  try {
    const work = (async () => {
      let response: Response
      try {
        response = await context.transport(url, { ...init, signal: attempt.signal })
      } catch (cause) {
        if (attempt.signal.aborted) throw abortReason(attempt.signal)
        const error = new ReframeError('network', `Could not reach ${host}.`, { cause: scrubbedCause(cause, scrub) })
        throw new RequestFailure(error, neverConnected(cause) ? 'unsent' : 'unanswered', true)
      }
      answered = true
      if (!response.ok) {
        const error = await context.statusError(response)
        throw new RequestFailure(error, 'refused', isRetryable(error))
      }
      try {
        return await read(response)
      } catch (error) {
        if (error instanceof RequestFailure || attempt.signal.aborted) throw error
        // not-image, a body of the wrong shape: the answer itself is wrong, and will be again
        if (error instanceof ReframeError) throw new RequestFailure(error, 'accepted', false)
        // the stream broke off halfway (undici: "TypeError: terminated")
        const broken = new ReframeError('network', `The connection to ${host} broke off while its answer was being read.`, { cause: scrubbedCause(error, scrub) })
        throw new RequestFailure(broken, 'accepted', true)
      }
    })()
    const result = await raceAbort(work, attempt.signal)
    done = true
    return result
  } catch (error) {
    // our own timeout (not the caller's abort) is a failure of this attempt, retried like a lost connection
    if (attempt.signal.reason === timeout && !signal.aborted) throw new RequestFailure(timeout, answered ? 'accepted' : 'unanswered', true)
    throw error
  } finally {
    clearTimeout(timer)
    stop()
    // a failed or abandoned attempt must not keep its connection (or a half-read body) open
    if (!done) attempt.abort(new ReframeError('cancelled', 'Cancelled.'))
  }
}

function scrubbedCause(cause: unknown, scrub: (text: string) => string): unknown {
  return cause instanceof Error ? new Error(scrub(cause.message)) : undefined
}
