// What one failed attempt at a request tells the retry policy besides its ReframeError: how far the
// request got (which decides whether sending a create again could start a second, paid job) and
// whether asking again may get another answer. Never leaves HostHttp: callers see `error`.
import type { ReframeError } from '../../core/reframe-error'

/**
 * - `unsent`: the connection was never made (refused, DNS, connect timeout): the host saw nothing.
 * - `unanswered`: sent, or maybe sent, and no status came back (timeout, reset): the host may have acted.
 * - `refused`: an error status came back; the host (or the team relay) says what it did not do.
 * - `accepted`: a 2xx came back but its body broke off or could not be read: the host did act.
 */
export type Reach = 'unsent' | 'unanswered' | 'refused' | 'accepted'

export class RequestFailure extends Error {
  constructor(
    readonly error: ReframeError,
    readonly reach: Reach,
    readonly transient: boolean
  ) {
    super(error.message, { cause: error })
    this.name = 'RequestFailure'
  }
}
