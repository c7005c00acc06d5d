// Per-batch state on the main side: the frames a batch created, each pending until its result fills
// it, done, or failed. Pending frames are what Cancel and closing the plugin clean up.

export type FrameState = 'pending' | 'done' | 'failed'
/** Frame id -> the frame and its state (nodes, so closing the plugin can clean up without waiting). */
export type Batch = { frames: Map<string, { node: FrameNode; state: FrameState }> }

export function createResultBatches() {
  const batches = new Map<string, Batch>()
  return {
    get(batchId: string): Batch {
      let batch = batches.get(batchId)
      if (batch === undefined) {
        batch = { frames: new Map() }
        batches.set(batchId, batch)
      }
      return batch
    },
    /** Ends a batch and forgets it; a batch main never saw is empty. */
    take(batchId: string): Batch {
      const batch = batches.get(batchId) ?? { frames: new Map() }
      batches.delete(batchId)
      return batch
    },
    /** Every batch still running (the plugin is closing). */
    takeAll(): Batch[] {
      const all = [...batches.values()]
      batches.clear()
      return all
    }
  }
}

export type ResultBatches = ReturnType<typeof createResultBatches>
