// A run of the plugin window: the jobs in the order the designer sees them, each one's status as the
// pipeline reports it, Cancel, and Retry failed (resuming what a host already accepted, reusing
// uploads). The pipeline does the work; main exports sources and places results.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { startStatus, type JobStatus } from '../../src/core/job-state'
import type { Size } from '../../src/core/ratios'
import type { SizeId } from '../../src/core/sizes'
import type { ImageBackend } from '../../src/imaging/render-recipe'
import { describeFailure } from '../../src/pipeline/describe-failure'
import type { BatchHandle, BatchJob, BatchSummary } from '../../src/pipeline/run-batch'
import { UploadCache } from '../../src/pipeline/upload-cache'
import type { Channel } from '../../src/protocol/channel'
import type { SourceInfo } from '../../src/protocol/messages'
import type { SecretName, Settings } from '../../src/protocol/settings'
import type { JobTicket } from '../../src/providers/provider'
import { startFigmaRunAsync, type FrameRef } from '../batch/run-in-figma'
import { secretNeeded, type ProviderFactory } from '../provider-choice'

/** One row of the progress list: a source x size and where its job stands. */
export type JobRow = { job: BatchJob; status: JobStatus }

export type BatchState = {
  rows: JobRow[]
  /** The engine of the latest run: offline, or a hosted provider. */
  engine: 'local' | 'hosted'
  running: boolean
  summary?: BatchSummary
  /** Ticks every second while running, for elapsed times. */
  clock: number
  run(sources: readonly SourceInfo[], sizes: readonly SizeId[], settings: Settings): void
  /** Runs the given jobs of these sources (Reframe again: each result's own size). */
  runJobs(sources: readonly SourceInfo[], jobs: ReadonlyArray<{ sourceNodeId: string; size: SizeId }>, settings: Settings): void
  retryFailed(settings: Settings): void
  cancel(): void
}

export type BatchOptions = {
  channel: Channel
  backend: ImageBackend
  createProvider: ProviderFactory
  now: () => number
  /** A notice for the designer (stable: a state setter). */
  onNotice(notice: string | undefined): void
  /** Main no longer holds this secret. */
  onSecretGone(name: SecretName): void
}

/** The jobs of a batch: every source x every size, in the order the designer sees them. */
export function jobsFor(sources: ReadonlyArray<{ nodeId: string; name: string }>, sizes: readonly SizeId[]): BatchJob[] {
  return sources.flatMap((source) => sizes.map((size) => ({ key: `${source.nodeId}|${size}`, sourceId: source.nodeId, sourceName: source.name, size })))
}

export function useBatch({ channel, backend, createProvider, now, onNotice, onSecretGone }: BatchOptions): BatchState {
  const [rows, setRows] = useState<JobRow[]>([])
  const [engine, setEngine] = useState<BatchState['engine']>('local')
  const [handle, setHandle] = useState<BatchHandle | undefined>(undefined)
  // a run is on from the click: its frames are being made before the pipeline has a handle
  const [starting, setStarting] = useState(false)
  const cancelRequested = useRef(false)
  const [summary, setSummary] = useState<BatchSummary | undefined>(undefined)
  const [clock, setClock] = useState(now())
  const uploads = useRef(new UploadCache()).current
  const tickets = useRef(new Map<string, JobTicket>()).current
  const frames = useRef(new Map<string, FrameRef>()).current
  const sources = useRef(new Map<string, Size>()).current

  useEffect(() => {
    if (handle === undefined && !starting) return undefined
    const timer = setInterval(() => setClock(now()), 1000)
    return () => clearInterval(timer)
  }, [handle, starting, now])

  const start = useCallback(
    async (jobs: BatchJob[], settings: Settings, retry: boolean) => {
      onNotice(undefined)
      setStarting(true)
      cancelRequested.current = false
      // at once: a new run lists its jobs in order; a retry keeps every row where it was
      const waiting = new Map(jobs.map((job) => [job.key, { job, status: startStatus(now()) }]))
      setRows((previous) => (retry ? previous.map((row) => waiting.get(row.job.key) ?? row) : [...waiting.values()]))
      setSummary(undefined)
      setEngine(settings.provider === 'local' ? 'local' : 'hosted')
      const name = secretNeeded(settings)
      let secret: string | undefined
      try {
        if (name !== undefined) {
          secret = (await channel.request('get-secret', { name })).value ?? undefined
          if (secret === undefined) {
            onSecretGone(name)
            onNotice('The saved key is gone; add it again.')
            return
          }
        }
        const provider = createProvider(settings, name === 'relayToken' ? { relayToken: secret } : { apiKey: secret })
        const run = await startFigmaRunAsync({
          main: channel,
          backend,
          provider,
          settings,
          jobs,
          layers: sources,
          retry,
          frames,
          tickets,
          uploads,
          redact: secret === undefined ? [] : [secret],
          now,
          onStatus: (job, status) => setRows((previous) => previous.map((row) => (row.job.key === job.key ? { job: row.job, status } : row)))
        })
        setClock(now())
        setHandle(run)
        setStarting(false)
        if (cancelRequested.current) run.cancel()
        const finished = await run.finished
        if (finished.finishError !== undefined) onNotice(finished.finishError)
        setSummary(finished)
      } catch (error) {
        onNotice(describeFailure(error, secret === undefined ? [] : [secret]))
      } finally {
        setHandle(undefined)
        setStarting(false)
      }
    },
    [channel, backend, createProvider, now, onNotice, onSecretGone, tickets, uploads, frames, sources]
  )

  function runJobs(selected: readonly SourceInfo[], jobs: BatchJob[], settings: Settings) {
    if (handle !== undefined || starting) return
    tickets.clear()
    sources.clear()
    for (const source of selected) sources.set(source.nodeId, { width: source.width, height: source.height })
    void start(jobs, settings, false)
  }

  return {
    rows,
    engine,
    running: handle !== undefined || starting,
    summary,
    clock,
    run(selected, sizes, settings) {
      runJobs(selected, jobsFor(selected, sizes), settings)
    },
    runJobs(selected, jobs, settings) {
      const names = new Map(selected.map((source) => [source.nodeId, source.name]))
      runJobs(
        selected,
        jobs.map(({ sourceNodeId, size }) => ({ key: `${sourceNodeId}|${size}`, sourceId: sourceNodeId, sourceName: names.get(sourceNodeId) ?? sourceNodeId, size })),
        settings
      )
    },
    retryFailed(settings) {
      if (handle !== undefined || starting) return
      const failed = rows.filter((row) => row.status.state === 'failed' && row.status.retryable !== false).map((row) => row.job)
      if (failed.length > 0) void start(failed, settings, true)
    },
    cancel() {
      cancelRequested.current = true
      handle?.cancel()
    }
  }
}

