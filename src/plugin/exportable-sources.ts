// Which layers export-source may read: the sources main last listed to the UI, and the sources of the
// batch that is running, so a run keeps its sources when the designer selects something else
// mid-run. Any other layer is refused: the UI can never read pixels the designer did not pick.
//
// Main does not see a batch start (export-source carries no batch id), so the first export of a
// listed source stands for it: that listing's sources stay exportable until finish-batch. The UI
// runs one batch at a time and always ends it with finish-batch.

export const NOT_EXPORTABLE = 'That layer is not selected any more; select it and run again.'

export function createExportableSources() {
  let listed = new Set<string>()
  const running = new Set<string>()
  return {
    /** The sources of the selection just sent to the UI. */
    listed(nodeIds: Iterable<string>) {
      listed = new Set(nodeIds)
    },
    /** Whether export-source may read this layer; exporting a listed source keeps its whole listing for the run. */
    allow(nodeId: string): boolean {
      if (running.has(nodeId)) return true
      if (!listed.has(nodeId)) return false
      for (const id of listed) running.add(id)
      return true
    },
    /** finish-batch: the run is over, only the selection counts again. */
    finished() {
      running.clear()
    }
  }
}

export type ExportableSources = ReturnType<typeof createExportableSources>
