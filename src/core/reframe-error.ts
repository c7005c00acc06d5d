// Typed errors with the host's own message and what a person should do about it. The message never
// contains a key: callers build it from the host's response body, which is scrubbed of the key.

export type ReframeErrorKind =
  | 'auth' // 401 / 403
  | 'balance' // 402
  | 'invalid-input' // 400 / 422
  | 'rate-limit' // 429
  | 'host' // 5xx and other unexpected statuses
  | 'network' // connection refused / reset / DNS
  | 'job-failed' // the job reached a failed state
  | 'timeout' // overall deadline passed
  | 'cancelled' // AbortSignal fired
  | 'malformed' // response body did not match the schema
  | 'not-image' // result is not PNG/JPEG/WebP/GIF, or too large
  | 'decode' // local engine could not decode the bytes
  | 'uncertain' // a job may have started on the host, but it never confirmed it (not sent again)

export const ACTIONS: Record<ReframeErrorKind, string> = {
  auth: 'Check the API key in Settings.',
  balance: "Add credit to the provider account, then retry.",
  'invalid-input': 'Check the image and prompt, then retry.',
  'rate-limit': 'The provider is busy; retry in a moment or lower the concurrency.',
  host: 'The provider had a problem; retry later.',
  network: 'Check the connection, then retry.',
  'job-failed': 'Retry, or change the prompt.',
  timeout: 'The provider took too long; retry.',
  cancelled: 'Cancelled.',
  malformed: 'The provider answered in an unexpected way; retry, and report it if it persists.',
  'not-image': 'The provider returned something that is not a usable image; retry.',
  decode: 'Use a PNG, JPEG, WebP or GIF image.',
  uncertain: "Look for the job in the provider's dashboard before retrying: a retry starts a new job, which is paid again."
}

export class ReframeError extends Error {
  readonly kind: ReframeErrorKind
  readonly status?: number
  /** The host's own words (error body), when it gave any. */
  readonly hostMessage?: string
  /** What a person can do about it. */
  readonly action: string
  /** Milliseconds the host asked us to wait (Retry-After). */
  readonly retryAfterMs?: number
  /** Set when the team relay itself refused the request (its X-Relay-Error code), not the provider. */
  readonly relayCode?: string

  constructor(
    kind: ReframeErrorKind,
    message: string,
    extra: { status?: number; hostMessage?: string; retryAfterMs?: number; cause?: unknown; action?: string; relayCode?: string } = {}
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause })
    this.name = 'ReframeError'
    this.kind = kind
    this.status = extra.status
    this.hostMessage = extra.hostMessage
    this.retryAfterMs = extra.retryAfterMs
    this.relayCode = extra.relayCode
    // the kind's usual advice, unless the cause needs its own (a team token is not an API key)
    this.action = extra.action ?? ACTIONS[kind]
  }

  /** One line for a person: what happened and what to do. */
  get userMessage(): string {
    if (this.kind === 'cancelled') return this.message
    // host reasons often end without punctuation: keep the two sentences apart
    const text = this.message.trim()
    const sentence = /[.!?]$/.test(text) ? text : `${text}.`
    return `${sentence} ${this.action}`
  }
}

export function isReframeError(error: unknown): error is ReframeError {
  return error instanceof ReframeError
}
