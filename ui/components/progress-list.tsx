// One row per source x size while a batch runs: its state, the time since the batch started, and
// for a failure the reason and what to do.
import type { JobRow, RowState } from '../runner/job-row'

export const STATE_LABELS: Record<RowState, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  running: 'Running',
  downloading: 'Downloading',
  placing: 'Placing',
  placed: 'Placed',
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
        {rows.map((row) => (
          <li key={row.key} class={`job job-${row.state}`} data-state={row.state}>
            <span class={`dot dot-${row.state}`} aria-hidden="true" />
            <span class="job-name" title={row.sourceName}>
              {row.sourceName} · {row.ratio}
            </span>
            <span class="job-state">{STATE_LABELS[row.state]}</span>
            <span class="muted job-time">{formatElapsed((row.endedAt ?? now) - row.startedAt)}</span>
            {row.error !== undefined && <span class="job-error">{row.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}
