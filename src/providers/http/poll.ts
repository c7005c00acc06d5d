// The poll loop: a short first wait, then a growing interval up to a ceiling, until `check` finds a
// final state. Deadline and cancel come from the signal (see withDeadline).
import { sleep } from './deadline'
import type { PollTuning } from './http-tuning'

export async function poll<T>(check: () => Promise<T | undefined>, tuning: PollTuning, signal: AbortSignal): Promise<T> {
  const { firstDelayMs, growth, ceilingMs } = tuning
  let delay = firstDelayMs
  for (;;) {
    await sleep(delay, signal)
    const result = await check()
    if (result !== undefined) return result
    delay = Math.min(ceilingMs, delay * growth)
  }
}
