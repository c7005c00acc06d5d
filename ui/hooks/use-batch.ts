// A run of the plugin window: the jobs in the order the designer sees them, each one's status as the
// pipeline reports it, Cancel, and Retry failed (resuming what a host already accepted, reusing
// uploads). The pipeline does the work; main exports sources and places results.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { JobStatus } from '../../src/core/job-state'
import type { SizeId } from '../../src/core/sizes'
import type { ImageCodec } from '../../src/imaging/codec'
import { describeFailure } from '../../src/pipeline/describe-failure'
import { newBatchId, startBatch, type BatchHandle, type BatchJob, type BatchSummary } from '../../src/pipeline/run-batch'
import { UploadCache } from '../../src/pipeline/upload-cache'
import type { Channel } from '../../src/protocol/channel'
import type { SecretName, Settings } from '../../src/protocol/settings'
import type { JobTicket } from '../../src/providers/provider'
import { pluginDelivery } from '../batch/plugin-delivery'
import { secretNeeded, type ProviderFactory } from '../provider-choice'

/** One row of the progress list: a source x size and where its job stands. */
export type JobRow = { job: BatchJob; status: JobStatus }

/** The offline engine runs on this computer's CPU: more than two at once only makes the window stutter. */
const LOCAL_CONCURRENCY = 2

export type BatchState = {
  rows: JobRow[]
  running: boolean
  summary?: BatchSummary
  /** Ticks every second while running, for elapsed times. */
  clock: number
  run(sources: ReadonlyArray<{ nodeId: string; name: string }>, sizes: readonly SizeId[], settings: Settings): void
  retryFailed(settings: Settings): void
  cancel(): void
}

export type BatchOptions = {
  channel: Channel
  codec: ImageCodec
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

export function useBatch({ channel, codec, createProvider, now, onNotice, onSecretGone }: BatchOptions): BatchState {
  const [rows, setRows] = useState<JobRow[]>([])
  const [handle, setHandle] = useState<BatchHandle | undefined>(undefined)
  const [summary, setSummary] = useState<BatchSummary | undefined>(undefined)
  const [clock, setClock] = useState(now())
  const uploads = useRef(new UploadCache()).current
  const tickets = useRef(new Map<string, JobTicket>()).current

  useEffect(() => {
    if (handle === undefined) return undefined
    const timer = setInterval(() => setClock(now()), 1000)
    return () => clearInterval(timer)
  }, [handle, now])

  const start = useCallback(
    async (jobs: BatchJob[], settings: Settings, retry: boolean) => {
      onNotice(undefined)
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
        const batchId = newBatchId()
        const next = startBatch(
          {
            batchId,
            jobs: jobs.map((job) => ({ ...job, ticket: tickets.get(job.key) })),
            prompt: settings.prompt,
            placement: settings.placement,
            frameMode: 'around',
            exportMaxEdge: settings.exportMaxEdge
          },
          {
            provider,
            engine: provider.id === 'local' ? settings.localMode : 'hosted',
            concurrency: provider.id === 'local' ? LOCAL_CONCURRENCY : settings.concurrency,
            uploads,
            redact: secret === undefined ? [] : [secret],
            now,
            ...pluginDelivery({ main: channel, codec, batchId, provider: provider.id, prompt: settings.prompt, exportMaxEdge: settings.exportMaxEdge }),
            onStatus: (job, status) => setRows((previous) => previous.map((row) => (row.job.key === job.key ? { job: row.job, status } : row)))
          }
        )
        // a new run lists its jobs in order; a retry keeps every row where it was
        const fresh = new Map(jobs.map((job) => [job.key, { job, status: next.status(job.key)! }]))
        setRows((previous) => (retry ? previous.map((row) => fresh.get(row.job.key) ?? row) : [...fresh.values()]))
        setSummary(undefined)
        setClock(now())
        setHandle(next)
        const finished = await next.done
        tickets.clear()
        for (const [key, ticket] of finished.tickets) tickets.set(key, ticket)
        try {
          await channel.request('finish-batch', { batchId, failed: finished.failed, cancelled: finished.cancelled })
        } catch (error) {
          onNotice(describeFailure(error))
        }
        setSummary(finished)
      } catch (error) {
        onNotice(describeFailure(error, secret === undefined ? [] : [secret]))
      } finally {
        setHandle(undefined)
      }
    },
    [channel, codec, createProvider, now, onNotice, onSecretGone, tickets, uploads]
  )

  return {
    rows,
    running: handle !== undefined,
    summary,
    clock,
    run(sources, sizes, settings) {
      if (handle !== undefined) return
      setRows([])
      tickets.clear()
      void start(jobsFor(sources, sizes), settings, false)
    },
    retryFailed(settings) {
      if (handle !== undefined) return
      const failed = rows.filter((row) => row.status.state === 'failed' && row.status.retryable !== false).map((row) => row.job)
      if (failed.length > 0) void start(failed, settings, true)
    },
    cancel() {
      handle?.cancel()
    }
  }
}

