// Ends a batch: selects and shows its new frames, makes it one undo step, and says what happened.
import { batchSummary } from '../core/result-name'
import type { RequestParams } from '../protocol/messages'
import type { ResultBatches } from './result-batches'

export function finishBatch(params: RequestParams<'finish-batch'>, batches: ResultBatches): { placed: number } {
  const frames = batches.take(params.batchId).frames.filter((frame) => !frame.removed)
  if (frames.length > 0) {
    const onPage = frames.filter((frame) => frame.parent === figma.currentPage)
    if (onPage.length > 0) figma.currentPage.selection = onPage
    figma.viewport.scrollAndZoomIntoView(frames)
    figma.commitUndo()
  }
  const failed = params.failed
  figma.notify(batchSummary({ placed: frames.length, failed, cancelled: params.cancelled }), {
    error: frames.length === 0 && failed > 0
  })
  return { placed: frames.length }
}
