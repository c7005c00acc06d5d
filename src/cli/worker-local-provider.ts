// The offline engine for the command line: the same engine as the plugin's (providers/local.ts), run
// in pixel workers. A source is decoded once in one worker, its ratios are made there, and its pixels
// are freed after the last one; here only its size is kept.
import type { RatioId } from '../core/ratios'
import type { ReframeProvider, UploadedSource } from '../providers/provider'
import type { PixelWorkers } from './pixel-workers'
import { transferablesOf } from './pixel-protocol'

type Placed = { worker: number; handle: number; left: number }

/** `jobsPerSource`: how many ratios each source is reframed to (its pixels are freed after that many). */
export function createWorkerLocalProvider(workers: PixelWorkers, jobsPerSource: number): ReframeProvider {
  const placed = new WeakMap<UploadedSource, Placed>()

  function doneWith(where: Placed) {
    where.left -= 1
    if (where.left > 0) return
    workers.run('local-release', { handle: where.handle }, { worker: where.worker }).catch(() => {
      // the worker is gone (closed after Cancel): so are the pixels
    })
  }

  return {
    id: 'local',

    supportsRatio: (_ratio: RatioId) => true,

    async upload(source, options = {}) {
      options.onProgress?.({ state: 'uploading' })
      // the file's bytes move to the worker; nothing here needs them again
      const { result, worker } = await workers.run('local-upload', { source }, { signal: options.signal, transfer: transferablesOf(source.bytes) })
      const uploaded: UploadedSource = { provider: 'local', url: '', source: { ...source, bytes: new Uint8Array(0) } }
      placed.set(uploaded, { worker, handle: result.handle, left: jobsPerSource })
      return uploaded
    },

    async reframe(uploaded, size, options = {}) {
      const where = placed.get(uploaded)
      if (where === undefined) throw new Error('Internal: reframe of a source this engine did not prepare.')
      try {
        const { result } = await workers.run(
          'local-reframe',
          { handle: where.handle, size, placement: options.placement, plan: options.plan },
          { signal: options.signal, worker: where.worker, onProgress: options.onProgress }
        )
        return result
      } finally {
        doneWith(where)
      }
    }
  }
}
