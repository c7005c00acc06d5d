// One run as the plugin window makes it, without the window: every frame made at once with its
// preview, then the pipeline fills them as results arrive (marking failures), and main ends the batch
// (one undo step; unfinished frames go when it was cancelled). The hook keeps only the state.
import type { JobStatus } from '../../src/core/job-state'
import type { Size } from '../../src/core/ratios'
import type { ImageBackend } from '../../src/imaging/render-recipe'
import { describeFailure } from '../../src/pipeline/describe-failure'
import { newBatchId, startBatch, type BatchHandle, type BatchJob, type BatchSummary } from '../../src/pipeline/run-batch'
import type { UploadCache } from '../../src/pipeline/upload-cache'
import type { Channel } from '../../src/protocol/channel'
import type { PlannedFrame } from '../../src/protocol/messages'
import type { Settings } from '../../src/protocol/settings'
import type { JobTicket, ReframeProvider } from '../../src/providers/provider'
import { planFramesAsync } from './frame-previews'
import { pluginDelivery } from './plugin-delivery'

/** The frame made for a job, kept across Retry failed so a retry fills the same node. */
export type FrameRef = { frameId: string; planned: Omit<PlannedFrame, 'preview'> }

/** The offline engine runs on this computer's CPU: more than two at once only makes the window stutter. */
export const LOCAL_CONCURRENCY = 2

export type FigmaRunOptions = {
  main: Pick<Channel, 'request'>
  backend: ImageBackend
  provider: ReframeProvider
  settings: Settings
  jobs: readonly BatchJob[]
  /** Layer sizes by source id (the frames' sizes depend on them alone). */
  layers: ReadonlyMap<string, Size>
  /** A retry fills the frames of the first run; a new run makes its own. */
  retry: boolean
  frames: Map<string, FrameRef>
  tickets: Map<string, JobTicket>
  uploads: UploadCache
  redact?: readonly string[]
  now?: () => number
  onStatus?(job: BatchJob, status: JobStatus): void
}

export type FigmaRun = BatchHandle & {
  /** Resolves once main has ended the batch; `finishError` when it could not be told. */
  finished: Promise<BatchSummary & { finishError?: string }>
}

export async function startFigmaRunAsync(options: FigmaRunOptions): Promise<FigmaRun> {
  const { main, backend, provider, settings, frames, tickets } = options
  const batchId = newBatchId()
  if (!options.retry) {
    const planned = await planFramesAsync(main, backend, { jobs: options.jobs, layers: options.layers, settings, frameMode: settings.frameMode })
    const { placement, frameMode, localMode, localFill } = settings
    const created = await main.request('create-frames', {
      batchId,
      provider: provider.id,
      prompt: settings.prompt,
      namePattern: settings.namePattern,
      frames: planned,
      // recorded on the frames, for Reframe again
      run: { placement, frameMode, localMode, localFill }
    })
    frames.clear()
    created.frames.forEach((made, i) => {
      const { preview: _preview, ...planned_ } = planned[i]
      frames.set(made.key, { frameId: made.frameId, planned: planned_ })
    })
  }
  const delivery = pluginDelivery({ main, backend, batchId, exportMaxEdge: settings.exportMaxEdge, frames, namePattern: settings.namePattern })
  const handle = startBatch(
    {
      batchId,
      jobs: options.jobs.map((job) => ({ ...job, ticket: tickets.get(job.key) })),
      prompt: settings.prompt,
      placement: settings.placement,
      frameMode: settings.frameMode,
      exportMaxEdge: settings.exportMaxEdge
    },
    {
      provider,
      engine: provider.id === 'local' ? settings.localMode : 'hosted',
      concurrency: provider.id === 'local' ? LOCAL_CONCURRENCY : settings.concurrency,
      uploads: options.uploads,
      redact: options.redact,
      now: options.now,
      ...delivery,
      onStatus(job, status) {
        options.onStatus?.(job, status)
        delivery.reportFailure(job, status)
      }
    }
  )
  const finished = handle.done.then(async (summary) => {
    tickets.clear()
    for (const [key, ticket] of summary.tickets) tickets.set(key, ticket)
    try {
      await main.request('finish-batch', { batchId, failed: summary.failed, cancelled: summary.cancelled })
      return summary
    } catch (error) {
      return { ...summary, finishError: describeFailure(error) }
    }
  })
  return { ...handle, finished }
}
