// Places one reframed result as a new frame beside its source: checked bytes, named, sized around the
// source, in the source's row on its page, never over anything, with plugin data and export settings.
import { MAX_IMAGE_EDGE, readImageHeader } from '../core/image-header'
import { placeInRow, RESULT_GAP } from '../core/placement'
import { resultName } from '../core/result-name'
import type { PlaceResultParams } from '../protocol/messages'
import { rowEnd, type ResultBatches } from './result-batches'
import { pageBox, pageOf, type KnownSource, type SourceMemory } from './source-memory'


export const PLUGIN_DATA_KEYS = ['sourceNodeId', 'size', 'provider', 'prompt', 'createdAt', 'batchId'] as const

/** Why Figma would reject these bytes in createImage, or null when it will take them. */
export function whyNotPlaceable(bytes: Uint8Array): string | null {
  const header = readImageHeader(bytes)
  if (header === null || header.format === 'webp') return 'it is not a PNG, JPEG or GIF image'
  if (header.width > MAX_IMAGE_EDGE || header.height > MAX_IMAGE_EDGE) {
    return `it is ${header.width}×${header.height} px and Figma takes at most ${MAX_IMAGE_EDGE} px a side`
  }
  return null
}

/** The source as it is now, or as it was last seen when it was deleted meanwhile. */
async function locateSourceAsync(
  sourceNodeId: string,
  memory: SourceMemory
): Promise<{ source: KnownSource; page: PageNode }> {
  const node = await figma.getNodeByIdAsync(sourceNodeId)
  const current = node !== null && 'absoluteBoundingBox' in node ? memory.see(node as SceneNode) : null
  const source = current ?? memory.get(sourceNodeId)
  if (source === undefined) throw new Error('The source layer is gone and was never seen, so there is no place for its result')
  const livePage = node !== null ? pageOf(node) : null
  const knownPage = source.pageId !== null ? await figma.getNodeByIdAsync(source.pageId) : null
  const page = livePage ?? (knownPage?.type === 'PAGE' ? knownPage : figma.currentPage)
  return { source, page }
}

async function placeAsync(params: PlaceResultParams, batches: ResultBatches, memory: SourceMemory) {
  const { source, page } = await locateSourceAsync(params.sourceNodeId, memory)
  const name = resultName(source.name, params.size)
  const unplaceable = whyNotPlaceable(params.bytes)
  if (unplaceable !== null) throw new Error(`The result "${name}" was not placed: ${unplaceable}`)
  const header = readImageHeader(params.bytes)
  if (header === null) throw new Error(`The result "${name}" was not placed: it is not an image`)

  const batch = batches.get(params.batchId)
  const size = params.frame
  const obstacles = page.children.flatMap((child) => pageBox(child) ?? [])
  const box = placeInRow({
    source: source.box,
    size,
    obstacles,
    after: rowEnd(batch, params.sourceNodeId, source.box),
    gap: RESULT_GAP
  })

  // createImage first: when Figma refuses the bytes no empty frame is left behind
  const image = figma.createImage(params.bytes)
  const frame = figma.createFrame()
  try {
    page.appendChild(frame)
    frame.name = name
    frame.resize(box.width, box.height)
    frame.x = box.x
    frame.y = box.y
    frame.fills = [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' }]
    frame.clipsContent = true
    // export at the plan's pixels (a preset's exact ones), not the frame's canvas size
    frame.exportSettings = [
      {
        format: header.format === 'jpeg' ? 'JPG' : 'PNG',
        suffix: '',
        constraint: { type: 'WIDTH', value: params.exported.width }
      }
    ]
    const data: Record<(typeof PLUGIN_DATA_KEYS)[number], string> = {
      sourceNodeId: params.sourceNodeId,
      size: params.size,
      provider: params.provider,
      prompt: params.prompt,
      createdAt: new Date().toISOString(),
      batchId: params.batchId
    }
    for (const key of PLUGIN_DATA_KEYS) frame.setPluginData(key, data[key])
  } catch (error) {
    frame.remove()
    throw new Error(`The result "${name}" was not placed: ${error instanceof Error ? error.message : String(error)}`)
  }
  batch.frames.push(frame)
  batch.rows.set(params.sourceNodeId, { anchor: source.box, right: box.x + box.width })
  return { frameId: frame.id, name }
}

/**
 * Places results one at a time: each placement reads the page's free space, so two running at once
 * could pick the same spot.
 */
export function createResultPlacer(batches: ResultBatches, memory: SourceMemory) {
  let queue: Promise<unknown> = Promise.resolve()
  return function placeResultAsync(params: PlaceResultParams): Promise<{ frameId: string; name: string }> {
    const next = queue.then(() => placeAsync(params, batches, memory))
    queue = next.catch(() => undefined)
    return next
  }
}
