// What a batch is given and gives back: its jobs and request, what it depends on (the provider, the
// source's pixels, finishing and delivering a result: effects injected by the plugin window and the CLI),
// and its summary and handle.
import type { EncodedImage } from '../core/image-header'
import type { JobStatus } from '../core/job-state'
import type { Placement } from '../core/ratios'
import type { Engine, FrameMode, ReframePlan } from '../core/reframe-plan'
import type { SizeId } from '../core/sizes'
import type { ImageBackend } from '../imaging/render-recipe'
import type { JobTicket, ReframeProvider } from '../providers/provider'
import type { ExportedSource } from './source-pixels'
import type { UploadCache } from './upload-cache'

export type BatchJob = {
  /** Unique in the batch; the caller's handle on this job's row and its result's place. */
  key: string
  sourceId: string
  sourceName: string
  size: SizeId
  /** A job the host already accepted in an earlier run: resumed, never created again. */
  ticket?: JobTicket
}

/** A finished result and anything true of it a person should know. */
export type FinishedResult = { image: EncodedImage; note?: string }

export type BatchRequest = {
  batchId: string
  jobs: readonly BatchJob[]
  prompt: string
  placement: Placement
  frameMode: FrameMode
  /** Part of the upload cache key: a different export size is a different upload. */
  exportMaxEdge: number
}

export type BatchDeps = {
  provider: ReframeProvider
  engine: Engine
  /** The source's pixels; asked once per source and batch (a cached upload skips it). */
  exportSource(sourceId: string, signal: AbortSignal): Promise<ExportedSource>
  /** A host's result made into the planned output (cropped, the original put back, scaled). */
  finish?(result: EncodedImage, source: EncodedImage, plan: ReframePlan): Promise<FinishedResult>
  /**
   * Draws real pixels from the photo around a cropped layer (the export's `real`): without one, that
   * photo is not used and every size is a job, as the CLI's files (which show all of themselves) are.
   */
  backend?: ImageBackend
  /** Puts one result where it belongs (fills its frame in Figma, writes a file); returns its name. */
  deliver(job: BatchJob, result: FinishedResult, plan: ReframePlan): Promise<{ name: string }>
  /** Jobs in flight at once. */
  concurrency: number
  /** Sources exported and uploaded at once. */
  uploadConcurrency?: number
  /** Shared between batches so Retry failed reuses uploads. */
  uploads?: UploadCache
  /** Strings that must never appear in a reason (the user's key, the team token). */
  redact?: readonly string[]
  now?: () => number
  onStatus?(job: BatchJob, status: JobStatus): void
}

export type BatchSummary = {
  batchId: string
  done: number
  failed: number
  cancelled: boolean
  statuses: ReadonlyMap<string, JobStatus>
  /** Jobs a host accepted that did not finish: Retry failed resumes them. */
  tickets: ReadonlyMap<string, JobTicket>
}

export type BatchHandle = {
  batchId: string
  status(key: string): JobStatus | undefined
  cancel(): void
  done: Promise<BatchSummary>
}
