// At most `limit` tasks at once, like core's limiter, but a waiting task of a more urgent class goes
// first (first come, first served within a class): the Node backend decodes before it renders, so
// that every picture's analysis can run on the main thread while native work goes on.

export type PriorityLimiter<Class extends string> = {
  run<T>(kind: Class, task: () => Promise<T>): Promise<T>
}

/** `order` lists the classes, most urgent first. */
export function createPriorityLimiter<Class extends string>(limit: number, order: readonly Class[]): PriorityLimiter<Class> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Concurrency must be a whole number of at least 1 (got ${limit}).`)
  let active = 0
  const queues = new Map<Class, Array<() => void>>(order.map((kind) => [kind, []]))

  function next(): void {
    for (const kind of order) {
      const start = queues.get(kind)!.shift()
      if (start !== undefined) return start()
    }
  }

  return {
    run<T>(kind: Class, task: () => Promise<T>): Promise<T> {
      const queue = queues.get(kind)
      if (queue === undefined) throw new Error(`unknown task class "${kind}"`)
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          active += 1
          // the slot is free before the caller hears the outcome; a task that throws synchronously frees it too
          Promise.resolve()
            .then(task)
            .finally(() => {
              active -= 1
              next()
            })
            .then(resolve, reject)
        }
        if (active < limit) start()
        else queue.push(start)
      })
    }
  }
}
