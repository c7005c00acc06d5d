// A small first-in first-out limiter: at most `limit` tasks run at once, the rest wait their turn.
// Used to keep jobs in flight under a host's cap (each::labs: 10) while starting each as early as possible.

export type Limiter = {
  /**
   * Runs `task` when a slot is free; resolves or rejects with the task's own outcome. The task may
   * call `release()` to give its slot back early: a reframe job stops counting against the host's
   * cap once the host reports success, so its download need not hold the slot.
   */
  run<T>(task: (release: () => void) => Promise<T>): Promise<T>
  readonly active: number
  readonly waiting: number
}

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Concurrency must be a whole number of at least 1 (got ${limit}).`)
  let active = 0
  const queue: (() => void)[] = []

  return {
    run<T>(task: (release: () => void) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          active += 1
          let released = false
          const release = () => {
            if (released) return
            released = true
            active -= 1
            queue.shift()?.()
          }
          // the slot is free before the caller hears the outcome; a task that throws synchronously frees it too
          Promise.resolve()
            .then(() => task(release))
            .then(
              (value) => {
                release()
                resolve(value)
              },
              (error: unknown) => {
                release()
                reject(error)
              }
            )
        }
        if (active < limit) start()
        else queue.push(start)
      })
    },
    get active() {
      return active
    },
    get waiting() {
      return queue.length
    }
  }
}

/**
 * Runs `worker` over every item with at most `limit` in flight; one failure never stops the others.
 * Results keep the items' order.
 */
export async function runWithConcurrency<I, R>(
  items: readonly I[],
  limit: number,
  worker: (item: I, index: number) => Promise<R>
): Promise<PromiseSettledResult<R>[]> {
  const limiter = createLimiter(limit)
  return Promise.allSettled(items.map((item, index) => limiter.run(() => worker(item, index))))
}
