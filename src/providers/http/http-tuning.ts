// Every number the HTTP layer runs on, with defaults that suit the real hosts; tests and benches
// override a few (poll intervals of milliseconds, a job deadline of seconds).

/**
 * When a 429 (or 503) has no readable Retry-After: each::labs' cap is on predictions in flight (~60 s
 * each), so waiting a few seconds before asking again is sensible. In a browser, Retry-After is only
 * readable when the host lists it in Access-Control-Expose-Headers, which no host documents. [?]
 */
export const RETRY_AFTER_FALLBACK_MS = 3_000

/** Longest Retry-After honoured; a host asking for more is treated as this. */
export const RETRY_AFTER_MAX_MS = 60_000

export type RetryTuning = {
  /** Attempts in total, the first included, for a request that is retried a bounded number of times. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Wait after a 429/503 whose Retry-After is missing or unreadable. */
  retryAfterFallbackMs: number
  retryAfterMaxMs: number
}

export type PollTuning = { firstDelayMs: number; growth: number; ceilingMs: number }

export type HttpTuning = {
  retry: RetryTuning
  poll: PollTuning
  /** Overall deadline of one reframe job (create, poll, download). */
  jobDeadlineMs: number
  /** Deadline of one upload (presign + PUT, or the Files API call). */
  uploadDeadlineMs: number
  /** One request without an answer this long counts as a connection error. */
  requestTimeoutMs: number
  /** One result download (headers and body). */
  downloadTimeoutMs: number
  maxResultBytes: number
  /** How long the host's cancel of an abandoned job may take; nobody waits for it. */
  cancelDeadlineMs: number
}

export const DEFAULT_TUNING: HttpTuning = {
  retry: {
    attempts: 4,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    retryAfterFallbackMs: RETRY_AFTER_FALLBACK_MS,
    retryAfterMaxMs: RETRY_AFTER_MAX_MS
  },
  // jobs average 25-60 s: a quick first look, then every 3 s, so a finished job waits ~1.5 s on
  // average to be noticed (a slot held idle longer costs the whole batch; a GET costs nothing)
  poll: { firstDelayMs: 1_000, growth: 1.5, ceilingMs: 3_000 },
  jobDeadlineMs: 10 * 60_000,
  uploadDeadlineMs: 3 * 60_000,
  requestTimeoutMs: 60_000,
  downloadTimeoutMs: 120_000,
  // largest real output is 2432x1024; 16 MB leaves room for a PNG and refuses runaway bodies
  maxResultBytes: 16 * 1024 * 1024,
  cancelDeadlineMs: 5_000
}

export type TuningOverrides = Partial<Omit<HttpTuning, 'retry' | 'poll'>> & {
  retry?: Partial<RetryTuning>
  poll?: Partial<PollTuning>
}

export function resolveTuning(overrides: TuningOverrides = {}): HttpTuning {
  return {
    ...DEFAULT_TUNING,
    ...overrides,
    retry: { ...DEFAULT_TUNING.retry, ...overrides.retry },
    poll: { ...DEFAULT_TUNING.poll, ...overrides.poll }
  }
}
