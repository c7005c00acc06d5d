// One progress row per source x size: what the designer sees while a batch runs.
import type { RatioId } from '../../src/core/ratios'

/** `placing` covers the hand-over to main; `cancelled` is a row stopped by Cancel before it finished. */
export type RowState =
  | 'queued'
  | 'uploading'
  | 'running'
  | 'downloading'
  | 'placing'
  | 'placed'
  | 'failed'
  | 'cancelled'

export type JobRow = {
  key: string
  sourceNodeId: string
  sourceName: string
  ratio: RatioId
  state: RowState
  /** Batch start (ms); elapsed time is measured from here. */
  startedAt: number
  /** Set once the row reaches placed, failed or cancelled. */
  endedAt?: number
  /** For a person: why it failed and what to do. */
  error?: string
  /** Name of the frame main created. */
  frameName?: string
}

export function rowKey(sourceNodeId: string, ratio: RatioId): string {
  return `${sourceNodeId}|${ratio}`
}

export function isFinal(state: RowState): boolean {
  return state === 'placed' || state === 'failed' || state === 'cancelled'
}
