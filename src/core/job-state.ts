// The one job-state machine: every source x size goes through these states in this order and never
// back (a host that says "queued" again after "running" changes only the detail), and ends once.
// The plugin window and the command line render the same states, each in its own words.

export const JOB_STATES = ['waiting', 'uploading', 'queued', 'generating', 'downloading', 'finishing', 'delivering', 'done', 'failed', 'cancelled'] as const
export type JobState = (typeof JOB_STATES)[number]

export const FINAL_STATES: readonly JobState[] = ['done', 'failed', 'cancelled']

export type JobStatus = {
  state: JobState
  /** The host's own words for the moment (a queue position), or what the step is doing. */
  detail?: string
  /** Why it failed and what to do, for a person. Set with `failed`. */
  error?: string
  /** The kind of failure, for machines (a ReframeError kind, `io`, `unexpected`). */
  errorKind?: string
  /** Whether Retry could help (a damaged file or a refused key cannot be fixed by retrying). */
  retryable?: boolean
  /** Something true of the result a person should know ("upscaled 1.6x", "from the original photo"). */
  note?: string
  /** When the job started and ended (ms since the epoch), for elapsed times. */
  startedAt: number
  endedAt?: number
}

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.includes(state)
}

/**
 * The status after `next` is reported: a later state replaces an earlier one, the same state may
 * change its detail or note, an earlier state or anything after a final state is ignored.
 */
export function advance(current: JobStatus, next: Partial<JobStatus> & { state: JobState }, now: number): JobStatus {
  if (isFinal(current.state)) return current
  const from = JOB_STATES.indexOf(current.state)
  const to = JOB_STATES.indexOf(next.state)
  if (to < from) return current
  const status: JobStatus = { ...current, ...next }
  // a detail belongs to the state it was said in
  if (to > from && next.detail === undefined) delete status.detail
  if (isFinal(next.state)) status.endedAt = now
  return status
}

export function startStatus(now: number): JobStatus {
  return { state: 'waiting', startedAt: now }
}
