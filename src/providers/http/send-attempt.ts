// One attempt at one request: the transport call and the reading of its answer under a per-request
// timeout, an error status read into a ReframeError, and nothing left open when it fails.
import { ReframeError } from '../../core/reframe-error'
import type { Transport } from '../provider'
import { abortReason, linkAbort, raceAbort, secondsText } from './deadline'

export type AttemptContext = {
  transport: Transport
  host: string
  timeoutMs: number
  /** Reads an answer whose status is not 2xx into the error to throw. */
  statusError: (response: Response) => Promise<ReframeError>
  scrub: (text: string) => string
}

export async function sendAttempt<T>(
  url: string,
  init: RequestInit,
  signal: AbortSignal,
  read: (response: Response) => Promise<T>,
  context: AttemptContext
): Promise<T> {
  const { host, timeoutMs } = context
  const attempt = new AbortController()
  const stop = linkAbort(signal, attempt)
  const timer = setTimeout(() => attempt.abort(new ReframeError('network', `${host} did not answer within ${secondsText(timeoutMs)} s.`)), timeoutMs)
  let done = false
  try {
    const work = (async () => {
      let response: Response
      try {
        response = await context.transport(url, { ...init, signal: attempt.signal })
      } catch (cause) {
        if (attempt.signal.aborted) throw abortReason(attempt.signal)
        throw new ReframeError('network', `Could not reach ${host}.`, { cause: scrubbedCause(cause, context.scrub) })
      }
      if (!response.ok) throw await context.statusError(response)
      return read(response)
    })()
    const result = await raceAbort(work, attempt.signal)
    done = true
    return result
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
