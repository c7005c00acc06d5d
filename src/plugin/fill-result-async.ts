// A result arrives: the same frame's image is replaced in place (no new node, no move), its name and
// plugin data say it is done. A frame the designer deleted meanwhile is made again beside its source,
// because the result is finished and paid for. A failure marks the frame instead, with the reason.
import { layoutRows } from '../core/layout'
import type { RequestParams, RequestResult } from '../protocol/messages'
import { locateSourceAsync } from './locate-source-async'
import { pageObstacles } from './page-obstacles'
import type { ResultBatches } from './result-batches'
import { addReframeAgainButton, createCheckedImage, createResultFrame, resultFrameName } from './result-frame'
import { exportSettingFor, resultFrameSize } from './result-frame-export'
import { runOf, writeResultData } from './result-frame-data'
import { markFrameFailed, showFrameState } from './result-frame-look'
import type { SourceMemory } from './source-memory'

async function liveFrameAsync(frameId: string): Promise<FrameNode | null> {
  const node = await figma.getNodeByIdAsync(frameId)
  return node !== null && node.type === 'FRAME' && !node.removed ? node : null
}

export async function fillResultAsync(
  params: RequestParams<'fill-result'>,
  batches: ResultBatches,
  memory: SourceMemory
): Promise<RequestResult<'fill-result'>> {
  const { planned } = params
  const located = await locateSourceAsync(planned.sourceNodeId, memory)
  const name = resultFrameName(params.namePattern, { name: located.source.name, size: planned.size, ...params.exported })
  const image = createCheckedImage(params.image.bytes, `The result "${name}"`)
  let frame = await liveFrameAsync(params.frameId)
  if (frame === null) {
    const obstacles = pageObstacles(located.page, new Map([[planned.sourceNodeId, located.node]]))
    const [[box]] = layoutRows([{ sourceId: planned.sourceNodeId, source: located.source.box, frames: [resultFrameSize(planned)] }], obstacles)
    frame = createResultFrame(located.page, box, name, image)
    writeResultData(frame, { sourceNodeId: planned.sourceNodeId, size: planned.size, ...runOf(batches.get(params.batchId)), batchId: params.batchId, createdAt: new Date().toISOString() })
    addReframeAgainButton(frame)
  } else {
    frame.fills = [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' }]
    frame.name = name
  }
  showFrameState(frame, 'done')
  // at the frame's size now: the designer may have resized it while it waited
  frame.exportSettings = [exportSettingFor(params.image.bytes, params.exported, { width: frame.width, height: frame.height })]
  writeResultData(frame, { state: 'done', reason: '', note: params.note ?? '' })
  batches.get(params.batchId).frames.set(frame.id, { node: frame, state: 'done' })
  return { frameId: frame.id, name }
}

export async function markFailedAsync(params: RequestParams<'mark-failed'>, batches: ResultBatches): Promise<void> {
  const frame = await liveFrameAsync(params.frameId)
  if (frame === null) return
  markFrameFailed(frame, params.reason)
  batches.get(params.batchId).frames.set(frame.id, { node: frame, state: 'failed' })
}
