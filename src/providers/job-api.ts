// What a hosted provider tells the shared job lifecycle (hosted-job.ts) about its host: how to look at
// an accepted job and how to ask the host to stop it.
import type { HostedProviderId } from '../protocol/provider-list'
import type { HostHttp } from './http/host-http'
import type { JobTicket, ProviderLogger } from './provider'

/** What one look at a job found; `urls` are addresses learnt on the way (each::labs' cancel URL). */
export type JobPoll =
  | { state: 'queued' | 'running'; detail?: string; urls?: Record<string, string> }
  | { state: 'succeeded'; resultUrl: string }
  | { state: 'failed'; reason: string }

/** A host's job API as runHostedJob uses it; the create of each call is passed on its own. */
export type JobApi = {
  provider: HostedProviderId
  http: HostHttp
  /** One look at an accepted job. */
  check: (ticket: JobTicket, signal: AbortSignal) => Promise<JobPoll>
  /** Asks the host to stop the job: one request, never retried. */
  cancel: (ticket: JobTicket, signal: AbortSignal) => Promise<void>
  logger?: ProviderLogger
}
