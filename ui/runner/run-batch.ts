// The job runner: per source, export from main and upload once; then every size in parallel, bounded
// by the provider's concurrency; each result made Figma-safe and handed to main the moment it is ready.
// One failure never stops the others; Cancel aborts all traffic at once and keeps what is placed.
// DOM-free: it needs a provider, a channel to main and an ImageProcessor, so it runs in Node tests.
import { nativeRatioFor, type NativeRatio, type Placement, type RatioId } from '../../src/core/ratios'
import type { Channel } from '../../src/protocol/channel'
import { isReframeError, ReframeError } from '../../src/core/reframe-error'
import type { ImageCodec } from '../../src/imaging/codec'
import { abortReason } from '../../src/providers/http'
import type { ProgressEvent, ReframeProvider } from '../../src/providers/provider'
import { createLimiter } from '../../src/providers/run-with-concurrency'
import { isFinal, rowKey, type JobRow, type RowState } from './job-row'
import { prepareResult } from '../../src/imaging/prepare-result'
import { UploadCache, type CachedUpload } from './upload-cache'

export type BatchJob = { sourceNodeId: string; sourceName: string; ratio: RatioId }

export type BatchRequest = {
  batchId: string
  jobs: BatchJob[]
  prompt: string
  placement: Placement
  exportMaxEdge: number
}

export type RunnerDeps = {
  provider: ReframeProvider
  main: Pick<Channel, 'request'>
  /** Decodes and encodes results that need cropping, converting or scaling. */
  codec: ImageCodec
  /** Reframe jobs in flight at once for this provider. */
  concurrency: number
  /** Sources exported and uploaded at once (uploads are not predictions; a few overlap the jobs). */
  uploadConcurrency?: number
  /** Shared between batches so Retry failed reuses uploads. */
  uploads?: UploadCache
  /** Strings that must never appear in a row's error (the user's key, the team token). */
  redact?: string[]
  now?: () => number
  onRow?: (row: JobRow) => void
}

export type BatchSummary = {
  batchId: string
  placed: number
  failed: number
  cancelled: boolean
  rows: JobRow[]
  /** Set when main could not be told the batch ended (the plugin was closing). */
  finishError?: string
}

export type BatchHandle = {
  batchId: string
  rows(): JobRow[]
  cancel(): void
  done: Promise<BatchSummary>
}

export function newBatchId(): string {
  return `batch-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

/** The jobs of a batch: every source x every ratio, in the order the designer sees them. */
export function jobsFor(sources: Array<{ nodeId: string; name: string }>, ratios: RatioId[]): BatchJob[] {
  return sources.flatMap((source) =>
    ratios.map((ratio) => ({ sourceNodeId: source.nodeId, sourceName: source.name, ratio }))
  )
}

/** The failed rows of a finished batch as jobs for Retry failed. */
export function failedJobs(rows: JobRow[]): BatchJob[] {
  return rows
    .filter((row) => row.state === 'failed')
    .map((row) => ({ sourceNodeId: row.sourceNodeId, sourceName: row.sourceName, ratio: row.ratio }))
}

/** One line for a person; provider errors carry what to do, main's errors say what Figma refused. */
export function describeFailure(error: unknown, redact: string[] = []): string {
  let message: string
  if (isReframeError(error)) message = error.userMessage
  else if (error instanceof Error && error.message !== '') message = error.message
  else message = 'Something went wrong; retry.'
  for (const secret of redact) if (secret.length >= 4) message = message.split(secret).join('•••')
  return message
}

const HOST_STATES: Partial<Record<ProgressEvent['state'], RowState>> = {
  queued: 'queued',
  running: 'running',
  downloading: 'downloading'
}

export function startBatch(request: BatchRequest, deps: RunnerDeps): BatchHandle {
  const { provider, main, codec } = deps
  const now = deps.now ?? Date.now
  const uploads = deps.uploads ?? new UploadCache()
  const controller = new AbortController()
  const { signal } = controller
  const jobLimiter = createLimiter(deps.concurrency)
  const uploadLimiter = createLimiter(deps.uploadConcurrency ?? 2)
  const startedAt = now()
  const rows = new Map<string, JobRow>()

  for (const job of request.jobs) {
    const key = rowKey(job.sourceNodeId, job.ratio)
    rows.set(key, { key, sourceNodeId: job.sourceNodeId, sourceName: job.sourceName, ratio: job.ratio, state: 'queued', startedAt })
  }

  function update(job: BatchJob, patch: Partial<JobRow> & { state: RowState }) {
    const key = rowKey(job.sourceNodeId, job.ratio)
    const current = rows.get(key)
    if (current === undefined || isFinal(current.state)) return
    const next: JobRow = { ...current, ...patch }
    if (isFinal(next.state)) next.endedAt = now()
    rows.set(key, next)
    deps.onRow?.(next)
  }

  function fail(job: BatchJob, error: unknown) {
    if (signal.aborted) update(job, { state: 'cancelled' })
    else update(job, { state: 'failed', error: describeFailure(error, deps.redact) })
  }

  function throwIfCancelled() {
    if (signal.aborted) throw abortReason(signal)
  }

  async function uploadSource(nodeId: string, jobs: BatchJob[]): Promise<CachedUpload> {
    const cached = uploads.get(provider.id, nodeId, request.exportMaxEdge)
    if (cached !== undefined) return cached
    for (const job of jobs) update(job, { state: 'uploading' })
    const exported = await main.request('export-source', { nodeId, maxEdge: request.exportMaxEdge })
    throwIfCancelled()
    const format = exported.mime === 'image/png' ? 'png' : 'jpeg'
    const source = { bytes: exported.bytes, width: exported.width, height: exported.height, format } as const
    const uploaded = await provider.upload(source, { signal })
    const sourceAspect = exported.width / exported.height
    uploads.set(provider.id, nodeId, request.exportMaxEdge, uploaded, sourceAspect)
    for (const job of jobs) update(job, { state: 'queued' })
    return { uploaded, sourceAspect, at: now() }
  }

  async function runJob(job: BatchJob, ready: CachedUpload) {
    try {
      const requested: NativeRatio | RatioId = provider.supportsRatio(job.ratio)
        ? job.ratio
        : nativeRatioFor(job.ratio, ready.sourceAspect)
      const image = await jobLimiter.run(async () => {
        // a job still waiting for a slot when Cancel came starts and stops here, sending nothing
        throwIfCancelled()
        update(job, { state: 'running' })
        return provider.reframe(ready.uploaded, requested, {
          prompt: request.prompt.trim() === '' ? undefined : request.prompt,
          placement: request.placement,
          signal,
          onProgress(event) {
            const state = HOST_STATES[event.state]
            if (state !== undefined && !signal.aborted) update(job, { state })
          }
        })
      })
      throwIfCancelled()
      update(job, { state: 'placing' })
      const plan = { target: job.ratio, requested, sourceAspect: ready.sourceAspect, placement: request.placement }
      const result = await prepareResult(image, plan, codec)
      throwIfCancelled()
      // From here the result goes to main; a Cancel now still lets it land (it is paid for and finished).
      const placed = await main.request('place-result', {
        batchId: request.batchId,
        sourceNodeId: job.sourceNodeId,
        ratio: job.ratio,
        provider: provider.id,
        prompt: request.prompt,
        bytes: result.bytes,
        width: result.width,
        height: result.height
      })
      const key = rowKey(job.sourceNodeId, job.ratio)
      const row = rows.get(key)
      if (row !== undefined) {
        const next: JobRow = { ...row, state: 'placed', frameName: placed.name, endedAt: now(), error: undefined }
        rows.set(key, next)
        deps.onRow?.(next)
      }
    } catch (error) {
      // A rejected upload is not worth reusing on retry.
      if (isReframeError(error) && error.kind === 'invalid-input') {
        uploads.delete(provider.id, job.sourceNodeId, request.exportMaxEdge)
      }
      fail(job, error)
    }
  }

  async function runSource(nodeId: string, jobs: BatchJob[]) {
    let ready: CachedUpload
    try {
      ready = await uploadLimiter.run(async () => {
        throwIfCancelled()
        return uploadSource(nodeId, jobs)
      })
    } catch (error) {
      for (const job of jobs) fail(job, error)
      return
    }
    await Promise.all(jobs.map((job) => runJob(job, ready)))
  }

  const bySource = new Map<string, BatchJob[]>()
  for (const job of request.jobs) bySource.set(job.sourceNodeId, [...(bySource.get(job.sourceNodeId) ?? []), job])

  const done = (async (): Promise<BatchSummary> => {
    await Promise.all([...bySource].map(([nodeId, jobs]) => runSource(nodeId, jobs)))
    const all = [...rows.values()]
    const failed = all.filter((row) => row.state === 'failed').length
    const placed = all.filter((row) => row.state === 'placed').length
    const summary: BatchSummary = { batchId: request.batchId, placed, failed, cancelled: signal.aborted, rows: all }
    try {
      await main.request('finish-batch', { batchId: request.batchId, failed, cancelled: signal.aborted })
    } catch (error) {
      summary.finishError = describeFailure(error)
    }
    return summary
  })()

  return {
    batchId: request.batchId,
    rows: () => [...rows.values()],
    cancel() {
      if (signal.aborted) return
      controller.abort(new ReframeError('cancelled', 'Cancelled.'))
      // Rows already handed to main may still land; everything else stops now.
      for (const row of rows.values()) {
        if (row.state !== 'placing') update(row, { state: 'cancelled' })
      }
    },
    done
  }
}
