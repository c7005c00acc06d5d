// Per-batch state on the main side: the frames placed so far and where each source's row ends.
import type { Box } from './source-memory'

export type SourceRow = { anchor: Box; right: number }
export type Batch = { frames: FrameNode[]; rows: Map<string, SourceRow> }

export function createResultBatches() {
  const batches = new Map<string, Batch>()
  return {
    get(batchId: string): Batch {
      let batch = batches.get(batchId)
      if (batch === undefined) {
        batch = { frames: [], rows: new Map() }
        batches.set(batchId, batch)
      }
      return batch
    },
    /** Ends a batch and forgets it; a batch that placed nothing is empty. */
    take(batchId: string): Batch {
      const batch = batches.get(batchId) ?? { frames: [], rows: new Map() }
      batches.delete(batchId)
      return batch
    }
  }
}

export type ResultBatches = ReturnType<typeof createResultBatches>

function sameBox(a: Box, b: Box): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height
}

/** Where the source's row continues: after its last result, unless the source moved since. */
export function rowEnd(batch: Batch, sourceNodeId: string, anchor: Box): number | undefined {
  const row = batch.rows.get(sourceNodeId)
  return row !== undefined && sameBox(row.anchor, anchor) ? row.right : undefined
}
