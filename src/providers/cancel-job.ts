// Cancel tells the host: a job the caller abandoned is cancelled on the host too, once, best effort.
// The caller waits for it only briefly (the cancel deadline), so that once reframe() has settled the
// job sends nothing more (a CLI that exits on Ctrl-C still gets its cancel out); a failure is only
// logged, never thrown: the caller asked to stop, and has.
import { withDeadline } from './http/deadline'
import type { JobApi } from './job-api'
import type { JobTicket } from './provider'

export async function cancelOnHost(api: JobApi, ticket: JobTicket): Promise<void> {
  const host = api.http.host.name
  try {
    await withDeadline(undefined, api.http.tuning.cancelDeadlineMs, `Cancelling the ${host} job`, (signal) => api.cancel(ticket, signal))
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    api.logger?.warn(`Could not cancel the ${host} job ${ticket.jobId}; it may still run and be paid for. ${why}`)
  }
}
