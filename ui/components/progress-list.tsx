// One row per source x size while a batch runs: its state, the time since it started, and for a
// failure the reason and what to do.
import type { JobState } from '../../src/core/job-state'
import { sizeName } from '../../src/core/sizes'
import type { JobRow } from '../hooks/use-batch'

export const STATE_LABELS: Record<JobState, string> = {
  waiting: 'Waiting',
  uploading: 'Uploading',
  queued: 'Queued',
  generating: 'Generating',
  downloading: 'Downloading',
  finishing: 'Finishing',
  delivering: 'Placing',
  done: 'Placed',
  failed: 'Failed',
  cancelled: 'Cancelled'
}

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

export function ProgressList({ rows, now }: { rows: JobRow[]; now: number }) {
  if (rows.length === 0) return null
  return (
    <section class="section" aria-labelledby="progress-heading">
      <h2 id="progress-heading" class="heading">
        Progress
      </h2>
      <ul class="progress" aria-label="Reframe jobs">
        {rows.map(({ job, status }) => (
          <li key={job.key} class={`job job-${status.state}`} data-state={status.state}>
            <span class={`dot dot-${status.state}`} aria-hidden="true" />
            <span class="job-name" title={job.sourceName}>
              {job.sourceName} · {sizeName(job.size)}
            </span>
            <span class="job-state">{STATE_LABELS[status.state]}</span>
            <span class="muted job-time">{formatElapsed((status.endedAt ?? now) - status.startedAt)}</span>
            {status.error !== undefined && <span class="job-error">{status.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}
