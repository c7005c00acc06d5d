// A batch's frames, all at once at their final places, in the order asked for: one row per source
// (core/layout.ts), each frame showing a quick preview and marked pending until its result fills it.
import { layoutRows, type RowRequest } from '../core/layout'
import type { RequestParams, RequestResult } from '../protocol/messages'
import { locateSourceAsync, type LocatedSource } from './locate-source-async'
import { pageObstacles } from './page-obstacles'
import type { ResultBatches } from './result-batches'
import { addReframeAgainButton, createCheckedImage, createResultFrame, resultFrameName, safeAreaGuides } from './result-frame'
import { exportSettingFor, resultFrameSize } from './result-frame-export'
import { PENDING_SUFFIX, rememberRun, writeResultData, type ResultData } from './result-frame-data'
import { showFrameState } from './result-frame-look'
import type { SourceMemory } from './source-memory'

type Params = RequestParams<'create-frames'>

export async function createFramesAsync(params: Params, batches: ResultBatches, memory: SourceMemory): Promise<RequestResult<'create-frames'>> {
  const located = new Map<string, LocatedSource>()
  for (const planned of params.frames) {
    if (!located.has(planned.sourceNodeId)) located.set(planned.sourceNodeId, await locateSourceAsync(planned.sourceNodeId, memory))
  }
  // one row per source, in the order the sources first appear; laid out page by page
  const byPage = new Map<PageNode, RowRequest[]>()
  for (const [sourceId, { source, page }] of located) {
    const frames = params.frames.filter((planned) => planned.sourceNodeId === sourceId).map(resultFrameSize)
    byPage.set(page, [...(byPage.get(page) ?? []), { sourceId, source: source.box, frames }])
  }
  const boxes = new Map<string, ReturnType<typeof layoutRows>[number]>()
  for (const [page, rows] of byPage) {
    const nodes = new Map([...located].filter(([, found]) => found.page === page).map(([id, found]) => [id, found.node]))
    layoutRows(rows, pageObstacles(page, nodes)).forEach((row, i) => boxes.set(rows[i].sourceId, row))
  }

  const batch = batches.get(params.batchId)
  // how the run made its results, on every frame: Reframe again gives it back (never a key)
  const run: ResultData = { provider: params.provider, prompt: params.prompt, ...params.run, batchId: params.batchId }
  rememberRun(batch, run)
  const created: RequestResult<'create-frames'>['frames'] = []
  const next = new Map<string, number>()
  for (const planned of params.frames) {
    const { source, page } = located.get(planned.sourceNodeId)!
    const index = next.get(planned.sourceNodeId) ?? 0
    next.set(planned.sourceNodeId, index + 1)
    const box = boxes.get(planned.sourceNodeId)![index]
    const name = resultFrameName(params.namePattern, { name: source.name, size: planned.size, ...planned.exported })
    const image = createCheckedImage(planned.preview.bytes, `The preview of "${name}"`)
    const frame = createResultFrame(page, box, name + PENDING_SUFFIX, image)
    showFrameState(frame, 'pending')
    if (planned.safeArea !== undefined) frame.guides = safeAreaGuides(planned.frame, planned.safeArea)
    frame.exportSettings = [exportSettingFor(planned.preview.bytes, planned.exported, box)]
    writeResultData(frame, { sourceNodeId: planned.sourceNodeId, size: planned.size, ...run, createdAt: new Date().toISOString(), state: 'pending' })
    addReframeAgainButton(frame)
    batch.frames.set(frame.id, { node: frame, state: 'pending' })
    created.push({ key: planned.key, frameId: frame.id, name })
  }
  return { frames: created }
}
