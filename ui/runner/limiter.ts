// Bounds how many jobs are in flight at once (each::labs refuses the 11th prediction); the rest wait
// in order. Waiting stops at once when the batch is cancelled.

export type Limiter = {
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>
  /** Jobs holding a slot right now. */
  readonly active: number
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('Cancelled')
}

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`)
  let active = 0
  const waiting: Array<() => void> = []

  function release() {
    active -= 1
    const next = waiting.shift()
    if (next !== undefined) next()
  }

  function acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    if (active < limit) {
      active += 1
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort)
        active += 1
        resolve()
      }
      const onAbort = () => {
        const index = waiting.indexOf(grant)
        if (index >= 0) waiting.splice(index, 1)
        reject(abortReason(signal!))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      waiting.push(grant)
    })
  }

  return {
    async run(task, signal) {
      await acquire(signal)
      try {
        return await task()
      } finally {
        release()
      }
    },
    get active() {
      return active
    }
  }
}
