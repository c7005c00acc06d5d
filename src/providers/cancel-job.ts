// Cancel tells the host: a job the caller abandoned is cancelled on the host too, once, best effort.
// The caller waits for it only briefly (the cancel deadline), so that once reframe() has settled the
// job sends nothing more (a CLI that exits on Ctrl-C still gets its cancel out); a failure is only
// logged, never thrown: the caller asked to stop, and has.
import { ReframeError } from '../core/reframe-error'
import { withDeadline } from './http/deadline'
import type { JobApi } from './job-api'
import type { JobTicket } from './provider'

export async function cancelOnHost(api: JobApi, ticket: JobTicket, ms = api.http.tuning.cancelDeadlineMs): Promise<void> {
  const host = api.http.host.name
  try {
    await withDeadline(undefined, Math.max(1, ms), `Cancelling the ${host} job`, (signal) => api.cancel(ticket, signal))
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    api.logger?.warn(`Could not cancel the ${host} job ${ticket.jobId}; it may still run and be paid for. ${why}`)
  }
}

/**
 * A create still on the wire when the caller cancelled: the host may start the job all the same, and
 * only its answer names the job to cancel. Waits for that answer at most `ms`, then gives the create
 * up (`giveUp`) and says the job may still run.
 */
export async function createdDespiteCancel(api: JobApi, creating: Promise<JobTicket>, giveUp: AbortController, ms: number): Promise<JobTicket | undefined> {
  const host = api.http.host.name
  const timer = setTimeout(() => giveUp.abort(new ReframeError('cancelled', `${host} did not answer the create within ${ms / 1000} s of the cancel.`)), ms)
  try {
    return await creating
  } catch (error) {
    // a create that failed started nothing to cancel, unless it failed for want of an answer
    const failure = error instanceof ReframeError ? error : undefined
    if (giveUp.signal.aborted || failure?.kind === 'uncertain') {
      api.logger?.warn(`Cancelled while the ${host} job was being created; it may have started and still run. ${failure?.message ?? ''}`.trim())
    }
    return undefined
  } finally {
    clearTimeout(timer)
  }
}
