// Time and cancel for everything the providers do: one AbortSignal carries both the caller's cancel
// and a deadline, and every wait (a request, a backoff, a poll interval) gives up the moment it fires.
import { ReframeError } from '../../core/reframe-error'

/** Milliseconds as seconds with one decimal, for sentences ("within 2.5 s"). */
export function secondsText(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}

function cancelledError(): ReframeError {
  return new ReframeError('cancelled', 'Cancelled.')
}

/** The ReframeError an aborted signal stands for: its reason when it is one, otherwise "cancelled". */
export function abortReason(signal: AbortSignal): ReframeError {
  return signal.reason instanceof ReframeError ? signal.reason : cancelledError()
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal)
}

/** Rejects as soon as `signal` aborts, whatever `work` is waiting on. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined)
    return Promise.reject(abortReason(signal))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}

/** Aborts `target` when `source` aborts; returns the unlink function. */
export function linkAbort(source: AbortSignal | undefined, target: AbortController): () => void {
  if (!source) return () => undefined
  if (source.aborted) {
    target.abort(source.reason)
    return () => undefined
  }
  const onAbort = () => target.abort(source.reason)
  source.addEventListener('abort', onAbort, { once: true })
  return () => source.removeEventListener('abort', onAbort)
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal))
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `work` with a signal that aborts when the caller cancels (-> 'cancelled') or when `ms` pass
 * (-> 'timeout', naming `what`, and what kept failing when `lastFailure` knows). Rejects at once in
 * both cases, even if `work` is stuck.
 */
export async function withDeadline<T>(
  signal: AbortSignal | undefined,
  ms: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
  lastFailure?: (signal: AbortSignal) => ReframeError | undefined
): Promise<T> {
  if (signal?.aborted) throw cancelledError()
  const controller = new AbortController()
  const onCancel = () => controller.abort(cancelledError())
  signal?.addEventListener('abort', onCancel, { once: true })
  const timer = setTimeout(() => controller.abort(timeoutError(what, ms, lastFailure?.(controller.signal))), ms)
  try {
    return await raceAbort(work(controller.signal), controller.signal)
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onCancel)
    // stop anything `work` left running (a poll sleep, a request) once we have an answer
    if (!controller.signal.aborted) controller.abort(cancelledError())
  }
}

/** "did not finish", and what kept failing while retrying, so a person sees more than "too long". */
function timeoutError(what: string, ms: number, last: ReframeError | undefined): ReframeError {
  const late = `${what} did not finish within ${secondsText(ms)} s`
  if (!last) return new ReframeError('timeout', `${late}.`)
  return new ReframeError('timeout', `${late}; the last try: ${last.message}`, { cause: last, status: last.status, hostMessage: last.hostMessage })
}
