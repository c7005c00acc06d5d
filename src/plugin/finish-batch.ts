// Ends a batch: frames that never got a result go when the batch was cancelled (and are marked failed
// otherwise), the rest are selected and shown, the whole batch is one undo step, and one notification
// says what happened.
import { formatErrorMessage, formatSuccessMessage, formatWarningMessage } from '@create-figma-plugin/utilities'
import { batchSummary, NOTIFY_MAX_CHARS } from '../core/result-name'
import type { RequestParams, RequestResult } from '../protocol/messages'
import type { Batch, ResultBatches } from './result-batches'
import { markFrameFailed } from './result-frame-look'

/** Removes the frames still waiting for a result; returns how many went. */
export function removePending(batch: Batch): number {
  let removed = 0
  for (const [id, entry] of batch.frames) {
    if (entry.state !== 'pending') continue
    if (!entry.node.removed) entry.node.remove()
    batch.frames.delete(id)
    removed += 1
  }
  return removed
}

export function finishBatch(params: RequestParams<'finish-batch'>, batches: ResultBatches): RequestResult<'finish-batch'> {
  const batch = batches.take(params.batchId)
  const removed = params.cancelled ? removePending(batch) : 0
  const frames: FrameNode[] = []
  // failed frames left on the canvas, marked: they wait for Retry failed or the designer's delete
  let kept = 0
  for (const { node, state } of batch.frames.values()) {
    if (node.removed) continue
    if (state !== 'done') kept += 1
    if (state === 'pending') {
      // a job that ended without a word (the window went away): say so on the frame
      markFrameFailed(node, 'No result arrived for this frame.')
    }
    frames.push(node)
  }
  const placed = [...batch.frames.values()].filter((entry) => entry.state === 'done' && !entry.node.removed).length
  if (frames.length > 0 || removed > 0) {
    const onPage = frames.filter((frame) => frame.parent === figma.currentPage)
    if (onPage.length > 0) figma.currentPage.selection = onPage
    if (frames.length > 0) figma.viewport.scrollAndZoomIntoView(frames)
    figma.commitUndo()
  }
  const failed = Math.max(params.failed, kept)
  const summary = batchSummary({ placed, failed, cancelled: params.cancelled, removed, kept })
  const format = placed === 0 && failed > 0 ? formatErrorMessage : failed > 0 || params.cancelled ? formatWarningMessage : formatSuccessMessage
  figma.notify(format(summary).slice(0, NOTIFY_MAX_CHARS), { error: placed === 0 && failed > 0 })
  return { placed, removed }
}
