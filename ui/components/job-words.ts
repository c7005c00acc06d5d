// The words a progress row says for a job's state, true to the engine that runs it. The offline
// engine uploads nothing and waits on no host: its jobs wait, render and are placed. A hosted job
// waits, is uploaded, queued for a slot, run by the host, downloaded and placed. (README's "The plugin
// window" lists these words; the state machine itself is core/job-state.)
import type { JobState, JobStatus } from '../../src/core/job-state'
import { plural } from '../sizes/plan-preview'

export type Engine = 'local' | 'hosted'

const ENDINGS = { done: 'Placed', failed: 'Failed', cancelled: 'Cancelled' } as const

export const STATE_WORDS: Record<Engine, Record<JobState, string>> = {
  local: { waiting: 'Waiting', uploading: 'Waiting', queued: 'Waiting', generating: 'Rendering', downloading: 'Rendering', finishing: 'Rendering', delivering: 'Placing', ...ENDINGS },
  hosted: { waiting: 'Waiting', uploading: 'Uploading', queued: 'Queued', generating: 'Running', downloading: 'Downloading', finishing: 'Placing', delivering: 'Placing', ...ENDINGS }
}

/** The pipeline's own stand-ins for a host's words, said already by the state's word. */
const PLAIN_DETAILS = new Set(['running', 'in the queue'])

/** "Running", or with a host's own words about it: "Running (position 3 in the queue)". */
export function stateWords(engine: Engine, status: Pick<JobStatus, 'state' | 'detail'>): string {
  const word = STATE_WORDS[engine][status.state]
  const detail = engine === 'hosted' && status.state === 'generating' ? status.detail : undefined
  return detail === undefined || PLAIN_DETAILS.has(detail) ? word : `${word} (${detail})`
}

/** "Reframing 2 images × 3 sizes"; "Reframing 4 frames" when the jobs are not every image × every size. */
export function runHeading(jobs: ReadonlyArray<{ sourceId: string; size: string }>): string {
  const images = new Set(jobs.map((job) => job.sourceId)).size
  const sizes = new Set(jobs.map((job) => job.size)).size
  if (images * sizes === jobs.length) return `Reframing ${plural(images, 'image')} × ${plural(sizes, 'size')}`
  return `Reframing ${plural(jobs.length, 'frame')}`
}
