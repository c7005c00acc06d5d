// One row per source x size while a batch runs: its state in the engine's words, the time since it started, and for a
// failure the reason and what to do.
import { sizeName } from '../../src/core/sizes'
import type { JobRow } from '../hooks/use-batch'
import { stateWords, type Engine } from './job-words'

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

/** `sharedReason`: said once above the list, so rows failing for it only say Failed. */
export function ProgressList({ rows, engine, now, sharedReason }: { rows: JobRow[]; engine: Engine; now: number; sharedReason?: string }) {
  if (rows.length === 0) return null
  return (
    <ul class="progress" aria-label="Reframe jobs">
        {rows.map(({ job, status }) => (
          <li key={job.key} class={`job job-${status.state}`} data-state={status.state}>
            <span class={`dot dot-${status.state}`} aria-hidden="true" />
            <span class="job-name" title={job.sourceName}>
              {job.sourceName} · {sizeName(job.size)}
            </span>
            <span class="job-state">{stateWords(engine, status)}</span>
            <span class="muted job-time">{formatElapsed((status.endedAt ?? now) - status.startedAt)}</span>
            {status.error !== undefined && status.error !== sharedReason && <span class="job-error">{status.error}</span>}
            {status.note !== undefined && status.state === 'done' && <span class="muted job-note">{status.note}</span>}
          </li>
        ))}
    </ul>
  )
}
