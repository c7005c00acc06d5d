// A few worker threads for the CLI's pixel work (see pixel-protocol.ts), started on first use. A call
// rejects the moment its signal aborts; close() stops the threads at once, even in the middle of a
// long synchronous loop, which is what lets Ctrl+C end a run within a second or two.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { abortReason } from '../providers/http'
import type { ProgressEvent } from '../providers/provider'
import { deserializeError, type PixelJobs, type PixelOp, type PixelResponse, type PixelWorkerConfig } from './pixel-protocol'

export type PixelCallOptions = {
  signal?: AbortSignal
  /** The worker that must do it (one holding a source's pixels); otherwise the least busy one. */
  worker?: number
  onProgress?: (event: ProgressEvent) => void
  /** Buffers handed over to the worker instead of copied; unusable here afterwards. */
  transfer?: ArrayBuffer[]
}

export type PixelWorkers = {
  run<O extends PixelOp>(op: O, params: PixelJobs[O]['params'], options?: PixelCallOptions): Promise<{ result: PixelJobs[O]['result']; worker: number }>
  /** Stops every worker; calls still waiting reject as cancelled. */
  close(): Promise<void>
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; onProgress?: (event: ProgressEvent) => void }
type Slot = { worker: Worker; pending: Map<number, Pending> }

/** One per core, at most one per job in flight: more threads than cores only share the same cores. */
export function pixelWorkerCount(concurrency: number): number {
  return Math.max(1, Math.min(concurrency, availableParallelism()))
}

/**
 * The worker runs TypeScript like the rest of the CLI: through tsx's API, resolved from here so it is
 * the same tsx the bin uses.
 */
function workerSource(): string {
  const strip = (url: string) => {
    const clean = new URL(url)
    clean.search = ''
    clean.hash = ''
    return clean.href
  }
  const api = strip(import.meta.resolve('tsx/esm/api'))
  const entry = strip(new URL('./pixel-worker.ts', import.meta.url).href)
  return `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`
}

export function createPixelWorkers(options: { size: number; config: PixelWorkerConfig }): PixelWorkers {
  const slots: Array<Slot | undefined> = Array.from({ length: Math.max(1, options.size) }, () => undefined)
  let nextId = 1
  let closed = false

  function failAll(slot: Slot, error: Error) {
    for (const pending of slot.pending.values()) pending.reject(error)
    slot.pending.clear()
  }

  function spawn(index: number): Slot {
    const worker = new Worker(workerSource(), { eval: true, workerData: options.config })
    const slot: Slot = { worker, pending: new Map() }
    worker.on('message', (message: PixelResponse) => {
      const pending = slot.pending.get(message.id)
      if (pending === undefined) return
      if ('progress' in message) {
        pending.onProgress?.(message.progress)
        return
      }
      slot.pending.delete(message.id)
      if (message.ok) pending.resolve(message.result)
      else pending.reject(deserializeError(message.error))
    })
    worker.on('error', (error) => {
      // an uncaught error ends the worker: what it held is lost, the next call starts a new one
      if (slots[index] === slot) slots[index] = undefined
      failAll(slot, new Error(`The image worker failed: ${error.message}`))
    })
    worker.on('exit', (code) => {
      if (slots[index] === slot) slots[index] = undefined
      if (!closed) failAll(slot, new Error(`The image worker stopped (exit code ${code}); run again.`))
    })
    slots[index] = slot
    return slot
  }

  /** An idle started worker, else a worker not started yet, else the least busy one. */
  function pick(): number {
    let best = -1
    let bestLoad = Infinity
    for (let index = 0; index < slots.length; index++) {
      const slot = slots[index]
      // a worker not started yet costs its start-up, so it only beats a busy one
      const load = slot === undefined ? 0.5 : slot.pending.size
      if (load < bestLoad) {
        best = index
        bestLoad = load
      }
    }
    return best
  }

  return {
    run(op, params, callOptions = {}) {
      const { signal } = callOptions
      if (closed) return Promise.reject(new Error('The image workers are closed.'))
      if (signal?.aborted) return Promise.reject(abortReason(signal))
      const index = callOptions.worker ?? pick()
      const slot = slots[index] ?? spawn(index)
      const id = nextId++
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          slot.pending.delete(id)
          reject(abortReason(signal!))
        }
        const settle = <T>(finish: (value: T) => void) => (value: T) => {
          signal?.removeEventListener('abort', onAbort)
          finish(value)
        }
        slot.pending.set(id, {
          resolve: settle((result: unknown) => resolve({ result: result as never, worker: index })),
          reject: settle(reject),
          onProgress: callOptions.onProgress
        })
        signal?.addEventListener('abort', onAbort, { once: true })
        try {
          slot.worker.postMessage({ id, op, params }, callOptions.transfer ?? [])
        } catch (error) {
          slot.pending.get(id)?.reject(error instanceof Error ? error : new Error(String(error)))
          slot.pending.delete(id)
        }
      })
    },
    async close() {
      if (closed) return
      closed = true
      const running = slots.filter((slot): slot is Slot => slot !== undefined)
      for (const slot of running) failAll(slot, new Error('The image workers are closed.'))
      await Promise.all(running.map((slot) => slot.worker.terminate()))
    }
  }
}
