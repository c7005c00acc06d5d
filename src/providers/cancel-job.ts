// Cancel tells the host: a job abandoned by the caller is cancelled on the host too, once, best effort.
// Nobody waits for it (the caller's promise has already rejected as cancelled); it gives up after a
// short deadline, and a failure is only logged: the job was going to be paid for either way.
import { withDeadline } from './http/deadline'
import type { JobApi } from './hosted-job'
import type { JobTicket } from './provider'

export function cancelJobSoon(api: JobApi, ticket: JobTicket): void {
  const host = api.http.host.name
  withDeadline(undefined, api.http.tuning.cancelDeadlineMs, `Cancelling the ${host} job`, (signal) => api.cancel(ticket, signal)).catch((error: unknown) => {
    const why = error instanceof Error ? error.message : String(error)
    api.logger?.warn(`Could not cancel the ${host} job ${ticket.jobId}; it may still run and be paid for. ${why}`)
  })
}
