// @vitest-environment happy-dom
// A progress row says what is true of its engine (the offline engine uploads nothing and has no host
// queue), the words are README's list exactly, and the heading counts images × sizes.
import { cleanup, render, screen, within } from '@testing-library/preact'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FINAL_STATES, JOB_STATES, type JobState } from '../../src/core/job-state'
import type { SizeId } from '../../src/core/sizes'
import { runHeading, stateWords, STATE_WORDS, type Engine } from '../../ui/components/job-words'
import { RunView } from '../../ui/components/run-view'
import type { JobRow } from '../../ui/hooks/use-batch'

afterEach(cleanup)

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ')

function row(sourceId: string, size: SizeId, state: JobState, detail?: string): JobRow {
  return { job: { key: `${sourceId}|${size}`, sourceId, sourceName: sourceId, size }, status: { state, detail, startedAt: 0 } }
}

/** The words a run of this engine goes through, in order, each once. */
const wordsOf = (engine: Engine) => [...new Set(JOB_STATES.filter((state) => !FINAL_STATES.includes(state)).map((state) => STATE_WORDS[engine][state]))]

describe('the words of a run', () => {
  it('the offline engine never says it uploads, queues at a host or downloads', () => {
    const said = JOB_STATES.map((state) => stateWords('local', { state, detail: 'running' }))
    expect(said.filter((word) => /Upload|Queue|Download|Generat|running/.test(word))).toEqual([])
    expect(wordsOf('local')).toEqual(['Waiting', 'Rendering', 'Placing'])
  })

  it('a hosted job says the host’s own words only when they add something', () => {
    expect(stateWords('hosted', { state: 'generating', detail: 'running' })).toBe('Running')
    expect(stateWords('hosted', { state: 'generating', detail: 'in the queue' })).toBe('Running')
    expect(stateWords('hosted', { state: 'generating', detail: 'position 3 in the queue' })).toBe('Running (position 3 in the queue)')
    expect(stateWords('hosted', { state: 'uploading' })).toBe('Uploading')
  })

  it('README lists exactly the words each engine says, in their order', () => {
    expect(README).toContain(`with the offline engine: ${wordsOf('local').join(', ')};`)
    expect(README).toContain(`with a hosted provider: ${wordsOf('hosted').join(', ')} (`)
    expect(README).toContain('then Placed, Failed with the reason and what to do, or Cancelled.')
    expect(STATE_WORDS.local.done + STATE_WORDS.local.failed + STATE_WORDS.local.cancelled).toBe('PlacedFailedCancelled')
  })

  it('the heading counts images × sizes, or frames when the jobs are not a full grid', () => {
    const jobs = ['a', 'b'].flatMap((id) => (['1:1', '9:16', '16:9'] as const).map((size) => ({ sourceId: id, size })))
    expect(runHeading(jobs)).toBe('Reframing 2 images × 3 sizes')
    expect(runHeading(jobs.slice(0, 1))).toBe('Reframing 1 image × 1 size')
    expect(runHeading(jobs.slice(0, 4))).toBe('Reframing 4 frames')
  })

  it('an offline run’s rows and heading say so while it runs', () => {
    const rows = [row('coffee', '1:1', 'uploading'), row('coffee', '16:9', 'generating', 'running'), row('tea', '1:1', 'delivering'), row('tea', '16:9', 'waiting')]
    render(<RunView rows={rows} engine="local" running cancelled={false} now={0} onCancel={() => {}} onRetry={() => {}} onDone={() => {}} />)
    expect(screen.getByRole('heading').textContent).toBe('Reframing 2 images × 2 sizes')
    const states = within(screen.getByRole('list', { name: 'Reframe jobs' })).getAllByRole('listitem').map((item) => item.querySelector('.job-state')!.textContent)
    expect(states).toEqual(['Waiting', 'Rendering', 'Placing', 'Waiting'])
  })
})
