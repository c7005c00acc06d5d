// The headless batch, the same for the plugin window and the command line: per source, export and
// upload once; then every size under the provider's concurrency, each planned, generated, finished
// and delivered the moment it is ready. One failure never stops the others; Cancel stops all traffic
// at once and keeps what was delivered; a job the host accepted keeps its ticket, so Retry failed
// resumes it rather than paying for a new one. Real pixels come first: a frame the photo around a
// cropped layer covers is cut from it with no job at all, and a job is sent the larger real region.
// The caller injects where results go (a frame in Figma, a file) and renders the status events.
import { advance, isFinal, startStatus, type JobState, type JobStatus } from '../core/job-state'
import type { Size } from '../core/ratios'
import { ReframeError, isReframeError, type ReframeErrorKind } from '../core/reframe-error'
import type { ReframePlan } from '../core/reframe-plan'
import { abortReason } from '../providers/http/deadline'
import type { JobTicket, ProgressEvent, UploadedSource } from '../providers/provider'
import { describeFailure, failureKind, isRetryable } from './describe-failure'
import { createLimiter } from '../core/limiter'
import { sourcePixels, type EngineSource, type ExportedSource, type SourcePixels } from './source-pixels'
import { UploadCache, type CachedUpload } from './upload-cache'

import type { BatchDeps, BatchHandle, BatchJob, BatchRequest, BatchSummary } from './batch-types'

export type { ExportedSource, RealImage } from './source-pixels'
export type { BatchDeps, BatchHandle, BatchJob, BatchRequest, BatchSummary, FinishedResult } from './batch-types'

/** A host's own progress, as the one state machine's states. */
const HOST_STATES: Partial<Record<ProgressEvent['state'], JobState>> = {
  queued: 'generating',
  running: 'generating',
  downloading: 'downloading'
}
const HOST_DETAILS: Partial<Record<ProgressEvent['state'], string>> = { queued: 'in the queue', running: 'running' }

/** Failures after which the host's job is over: retrying means a new job, not resuming this one. */
const ENDED_ON_HOST = new Set<ReframeErrorKind>(['job-failed', 'cancelled', 'not-image', 'invalid-input'])

export function newBatchId(): string {
  return `batch-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

export function startBatch(request: BatchRequest, deps: BatchDeps): BatchHandle {
  const { provider } = deps
  const now = deps.now ?? Date.now
  const uploads = deps.uploads ?? new UploadCache()
  const controller = new AbortController()
  const { signal } = controller
  const jobLimiter = createLimiter(deps.concurrency)
  const uploadLimiter = createLimiter(deps.uploadConcurrency ?? 2)
  const statuses = new Map<string, JobStatus>()
  const tickets = new Map<string, JobTicket>()
  const jobsByKey = new Map(request.jobs.map((job) => [job.key, job]))

  for (const job of request.jobs) {
    statuses.set(job.key, startStatus(now()))
    if (job.ticket !== undefined) tickets.set(job.key, job.ticket)
  }

  function report(job: BatchJob, next: Partial<JobStatus> & { state: JobState }) {
    const current = statuses.get(job.key)
    if (current === undefined) return
    const updated = advance(current, next, now())
    if (updated === current) return
    statuses.set(job.key, updated)
    deps.onStatus?.(job, updated)
  }

  function fail(job: BatchJob, error: unknown) {
    const ticket = isReframeError(error) ? (error as ReframeError & { ticket?: JobTicket }).ticket : undefined
    // a job the host still has (or whose result it still holds) is resumed by Retry; one it ended
    // (failed, cancelled, or a result that is not an image) needs a new job
    if (isReframeError(error) && ENDED_ON_HOST.has(error.kind)) tickets.delete(job.key)
    else if (ticket !== undefined) tickets.set(job.key, ticket)
    if (signal.aborted) report(job, { state: 'cancelled' })
    else report(job, { state: 'failed', error: describeFailure(error, deps.redact), errorKind: failureKind(error), retryable: isRetryable(error) })
  }

  function throwIfCancelled() {
    if (signal.aborted) throw abortReason(signal)
  }

  /** What the layer shows and the photo around it: exported once per source (a retry reads it again only when stale). */
  async function exportedOf(sourceId: string, jobs: BatchJob[]): Promise<ExportedSource> {
    const cached = uploads.getExport(provider.id, sourceId, request.exportMaxEdge)
    if (cached !== undefined) return cached
    for (const job of jobs) report(job, { state: 'uploading' })
    const exported = await deps.exportSource(sourceId, signal)
    throwIfCancelled()
    uploads.setExport(provider.id, sourceId, request.exportMaxEdge, exported)
    return exported
  }

  /** The engine's source made available to the provider, once per source and region (shared by the jobs that use it). */
  const uploading = new Map<string, Promise<CachedUpload>>()
  function uploadOnce(job: BatchJob, layer: Size, engineSource: EngineSource): Promise<CachedUpload> {
    const key = uploadKeyOf(job, engineSource)
    const cached = uploads.get(provider.id, key, request.exportMaxEdge)
    if (cached !== undefined) return Promise.resolve(cached)
    report(job, { state: 'uploading' })
    let upload = uploading.get(key)
    if (upload === undefined) {
      upload = uploadLimiter.run(async () => {
        throwIfCancelled()
        const uploaded: UploadedSource = await provider.upload(engineSource.upload, { signal })
        return uploads.set(provider.id, key, request.exportMaxEdge, uploaded, layer)
      })
      uploading.set(key, upload)
      // a failed upload is tried again by the next job that needs it (a retry), not handed out failed
      upload.catch(() => uploading.delete(key))
    }
    return upload
  }

  /** A plan that needs no job: the output cut from the photo, delivered at once. */
  async function runFromPhoto(job: BatchJob, source: SourcePixels, plan: ReframePlan) {
    throwIfCancelled()
    report(job, { state: 'finishing' })
    const image = await source.fromPhoto(plan)
    throwIfCancelled()
    report(job, { state: 'delivering' })
    const note = [FROM_THE_PHOTO_NOTE, upscaleNote(plan)].filter((part) => part !== undefined).join(', ')
    const delivered = await deps.deliver(job, { image, note }, plan)
    tickets.delete(job.key)
    report(job, { state: 'done', detail: delivered.name, note })
  }

  async function runJob(job: BatchJob, source: SourcePixels, layer: Size) {
    let uploadKey = job.sourceId
    try {
      const plan = source.plan(job.size)
      if (plan.job === 'none') return await runFromPhoto(job, source, plan)
      // a larger real region is drawn from the photo before it goes
      if (plan.real !== undefined) report(job, { state: 'uploading' })
      const engineSource = await source.engineSource(plan)
      uploadKey = uploadKeyOf(job, engineSource)
      const ready = await uploadOnce(job, layer, engineSource)
      throwIfCancelled()
      // uploaded: the job now waits for a slot of its own
      report(job, { state: 'queued' })
      const generated = await jobLimiter.run(async () => {
        // a job still waiting for a slot when Cancel came starts and stops here, sending nothing
        throwIfCancelled()
        report(job, { state: 'generating' })
        return provider.reframe(ready.uploaded, plan.hosted?.native ?? job.size, {
          prompt: request.prompt.trim() === '' ? undefined : request.prompt,
          sourceBox: plan.hosted?.sourceBox,
          placement: request.placement,
          plan,
          signal,
          resume: tickets.get(job.key),
          onTicket: (ticket) => tickets.set(job.key, ticket),
          onProgress(event) {
            const state = HOST_STATES[event.state]
            if (state !== undefined && !signal.aborted) report(job, { state, detail: event.detail ?? HOST_DETAILS[event.state] })
          }
        })
      })
      throwIfCancelled()
      report(job, { state: 'finishing' })
      // the original put back is the engine's own source: what the layer shows, or the larger real region
      const finished = deps.finish === undefined || deps.engine !== 'hosted' ? { image: generated } : await deps.finish(generated, engineSource.composite, plan)
      throwIfCancelled()
      // from here the result is delivered even if Cancel comes: it is finished and paid for
      report(job, { state: 'delivering' })
      const delivered = await deps.deliver(job, finished, plan)
      tickets.delete(job.key)
      report(job, { state: 'done', detail: delivered.name, note: finished.note ?? upscaleNote(plan) })
    } catch (error) {
      // a rejected upload is not worth reusing on retry
      if (isReframeError(error) && error.kind === 'invalid-input') uploads.delete(provider.id, uploadKey, request.exportMaxEdge)
      fail(job, error)
    }
  }

  async function runSource(sourceId: string, jobs: BatchJob[]) {
    let exported: ExportedSource
    try {
      exported = await uploadLimiter.run(async () => {
        throwIfCancelled()
        return exportedOf(sourceId, jobs)
      })
    } catch (error) {
      for (const job of jobs) fail(job, error)
      return
    }
    const source = sourcePixels({
      exported,
      engine: deps.engine,
      placement: request.placement,
      frameMode: request.frameMode,
      uploadMaxEdge: request.exportMaxEdge,
      backend: deps.backend
    })
    await Promise.all(jobs.map((job) => runJob(job, source, exported.layer)))
    await source.release()
  }

  const bySource = new Map<string, BatchJob[]>()
  for (const job of request.jobs) bySource.set(job.sourceId, [...(bySource.get(job.sourceId) ?? []), job])

  const done = (async (): Promise<BatchSummary> => {
    await Promise.all([...bySource].map(([sourceId, jobs]) => runSource(sourceId, jobs)))
    const all = [...statuses.values()]
    return {
      batchId: request.batchId,
      done: all.filter((status) => status.state === 'done').length,
      failed: all.filter((status) => status.state === 'failed').length,
      cancelled: signal.aborted,
      statuses,
      tickets
    }
  })()

  return {
    batchId: request.batchId,
    status: (key) => statuses.get(key),
    cancel() {
      if (signal.aborted) return
      controller.abort(new ReframeError('cancelled', 'Cancelled.'))
      // results already being delivered still land; everything else stops now
      for (const [key, status] of statuses) {
        const job = jobsByKey.get(key)
        if (job !== undefined && !isFinal(status.state) && status.state !== 'delivering') report(job, { state: 'cancelled' })
      }
    },
    done
  }
}

/** The upload cache's key of an engine source: the source's id, and the region of its photo when it is one. */
function uploadKeyOf(job: BatchJob, engineSource: EngineSource): string {
  return engineSource.key === '' ? job.sourceId : `${job.sourceId}|${engineSource.key}`
}

/** What a result made from the photo around a cropped layer says on its row and in its frame's data. */
export const FROM_THE_PHOTO_NOTE = 'From the original photo'

/** "upscaled 1.6x" when the source had fewer pixels than the size asks for (a preset from a small photo). */
function upscaleNote(plan: ReframePlan): string | undefined {
  return plan.upscale > 1.05 ? `upscaled ${(Math.round(plan.upscale * 10) / 10).toString()}x` : undefined
}
