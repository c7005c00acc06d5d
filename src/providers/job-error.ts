// A job the host had accepted fails with its ticket attached, so a caller that did not keep what
// onTicket said can still resume it (poll again, or download its known result) without a new paid job.
import { ReframeError } from '../core/reframe-error'
import type { JobTicket } from './provider'

export class JobError extends ReframeError {
  /** The job as far as it got: resume it with `reframe(uploaded, ratio, { resume: error.ticket })`. */
  readonly ticket: JobTicket

  constructor(error: ReframeError, ticket: JobTicket) {
    super(error.kind, error.message, {
      status: error.status,
      hostMessage: error.hostMessage,
      retryAfterMs: error.retryAfterMs,
      relayCode: error.relayCode,
      action: error.action,
      cause: error.cause
    })
    this.ticket = ticket
    if (error.stack) this.stack = error.stack
  }
}

/** The ticket a failed reframe left, if the host had accepted its job. */
export function ticketOf(error: unknown): JobTicket | undefined {
  return error instanceof JobError ? error.ticket : undefined
}
