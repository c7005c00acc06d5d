// How the plugin window's batches reach Figma: main exports each source (with the photo around a
// cropped layer, whose real pixels come before generated ones), and each result fills the frame made
// for it when the run started (or marks it failed). The pipeline takes these as its injected ends;
// the hook only keeps the state.
import type { ImageFormat } from '../../src/core/image-header'
import type { JobStatus } from '../../src/core/job-state'
import { sizePixels } from '../../src/core/sizes'
import type { ImageBackend } from '../../src/imaging/render-recipe'
import { hostedFinisher } from '../../src/imaging/finish-hosted-result'
import type { BatchDeps, BatchJob } from '../../src/pipeline/run-batch'
import type { Channel } from '../../src/protocol/channel'
import type { PlannedFrame } from '../../src/protocol/messages'

const FORMATS: Record<'image/png' | 'image/jpeg' | 'image/gif', ImageFormat> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif' }

export type PluginDelivery = Pick<BatchDeps, 'exportSource' | 'finish' | 'deliver' | 'backend'> & {
  /** Marks a job's frame failed, with the reason (a failed size keeps its frame). */
  reportFailure(job: BatchJob, status: JobStatus): void
}

export function pluginDelivery(options: {
  main: Pick<Channel, 'request'>
  backend: ImageBackend
  batchId: string
  exportMaxEdge: number
  /** The frame of each job (by job key), made when the run started. */
  frames: ReadonlyMap<string, { frameId: string; planned: Omit<PlannedFrame, 'preview'> }>
  namePattern: string
}): PluginDelivery {
  const { main, backend, batchId, exportMaxEdge, frames, namePattern } = options
  const frameOf = (job: BatchJob) => {
    const frame = frames.get(job.key)
    if (frame === undefined) throw new Error(`No frame was made for ${job.sourceName} · ${job.size}`)
    return frame
  }
  return {
    async exportSource(sourceId) {
      const exported = await main.request('export-source', { nodeId: sourceId, maxEdge: exportMaxEdge, real: true })
      const image = { bytes: exported.bytes, width: exported.width, height: exported.height, format: FORMATS[exported.mime] }
      const { real } = exported
      if (real === undefined) return { image, layer: exported.layer }
      return { image, layer: exported.layer, real: { image: { bytes: real.bytes, width: real.width, height: real.height, format: FORMATS[real.mime] }, extent: real.box } }
    },
    finish: hostedFinisher(backend),
    backend,
    async deliver(job, result) {
      const { frameId, planned } = frameOf(job)
      const filled = await main.request('fill-result', {
        batchId,
        frameId,
        planned,
        namePattern,
        image: { bytes: result.image.bytes, width: result.image.width, height: result.image.height },
        // a preset exports at its exact pixels; a ratio at the pixels its image really has
        exported: sizePixels(job.size) ?? { width: result.image.width, height: result.image.height },
        ...(result.note !== undefined ? { note: result.note } : {})
      })
      return { name: filled.name }
    },
    reportFailure(job, status) {
      const frame = frames.get(job.key)
      if (frame === undefined || status.state !== 'failed') return
      // the frame may be gone by now; the row says why either way
      main.request('mark-failed', { batchId, frameId: frame.frameId, reason: status.error ?? 'Failed.' }).catch(() => undefined)
    }
  }
}
