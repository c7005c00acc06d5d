// The limiter keeps at most N tasks running, starts the next as soon as one ends, and isolates failures.
import { describe, expect, it } from 'vitest'
import { createLimiter, runWithConcurrency } from '../../src/core/limiter'

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('createLimiter', () => {
  it('runs at most `limit` at once and starts waiting tasks in order as slots free', async () => {
    const limiter = createLimiter(2)
    const gates = [deferred(), deferred(), deferred(), deferred()]
    const started: number[] = []
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i)
        await gate.promise
        return i
      })
    )
    await Promise.resolve()
    await Promise.resolve()
    expect(started).toEqual([0, 1])
    expect(limiter.waiting).toBe(2)
    gates[1].resolve()
    await runs[1]
    await new Promise((r) => setTimeout(r, 0))
    expect(started).toEqual([0, 1, 2])
    gates[0].resolve()
    gates[2].resolve()
    gates[3].resolve()
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3])
    expect(limiter.active).toBe(0)
  })

  it('frees the slot of a task that throws, synchronously or not', async () => {
    const limiter = createLimiter(1)
    await expect(limiter.run(() => { throw new Error('sync') })).rejects.toThrow('sync')
    await expect(limiter.run(async () => { throw new Error('async') })).rejects.toThrow('async')
    expect(await limiter.run(async () => 'next')).toBe('next')
  })

  it('lets a task give its slot back early, once', async () => {
    const limiter = createLimiter(1)
    const gate = deferred()
    let secondStarted = false
    const first = limiter.run(async (release) => {
      release()
      release() // a second call must not free a slot it no longer holds
      await gate.promise
    })
    const second = limiter.run(async () => {
      secondStarted = true
    })
    await second
    expect(secondStarted).toBe(true)
    const third = limiter.run(async () => 'third')
    expect(limiter.active).toBe(1)
    gate.resolve()
    await first
    expect(await third).toBe('third')
    expect(limiter.active).toBe(0)
  })

  it('refuses a limit below 1', () => {
    expect(() => createLimiter(0)).toThrow(/at least 1/)
  })
})

describe('runWithConcurrency', () => {
  it('keeps the order of results, and one failure does not stop the rest', async () => {
    let running = 0
    let most = 0
    const results = await runWithConcurrency([1, 2, 3, 4, 5, 6], 3, async (n) => {
      running += 1
      most = Math.max(most, running)
      await new Promise((r) => setTimeout(r, 5))
      running -= 1
      if (n === 4) throw new Error('four')
      return n * 10
    })
    expect(most).toBe(3)
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 30, 'four', 50, 60])
  })
})
