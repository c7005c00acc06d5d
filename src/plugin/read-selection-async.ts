// Reads the current selection into the UI's source list: every source with its size, a small
// thumbnail, the whole image around it when the layer shows only part of one and what is wrong with its
// file when it is damaged, every other layer with the reason it is skipped.
import type { Box } from '../core/ratios'
import type { Selection, SourceInfo } from '../protocol/messages'
import { findSourcePaint, type SourceNode } from './find-source-paint'
import { realExtentAsync } from './real-extent-async'
import { resultSourceId } from './result-frame-data'
import type { SourceDamageAsync } from './source-damage-async'
import type { SourceMemory } from './source-memory'

export const THUMBNAIL_EDGE = 96

/** Thumbnails by what they depend on, so an unchanged layer is not rendered again on every event. */
export function createThumbnailCache(limit = 64) {
  const cache = new Map<string, Uint8Array>()
  return async function thumbnailAsync(node: SceneNode, paint: ImagePaint): Promise<Uint8Array | undefined> {
    const box = node.absoluteBoundingBox
    if (box === null || box.width <= 0 || box.height <= 0) return undefined
    // the paint (image, crop, filters) and the box decide what the preview shows
    const key = `${node.id}|${JSON.stringify(paint)}|${box.width}x${box.height}|${'rotation' in node ? node.rotation : 0}`
    const cached = cache.get(key)
    if (cached) return cached
    const wide = box.width >= box.height
    const edge = Math.min(THUMBNAIL_EDGE, Math.ceil(wide ? box.width : box.height))
    try {
      const bytes = await node.exportAsync({
        format: 'PNG',
        constraint: { type: wide ? 'WIDTH' : 'HEIGHT', value: edge },
        useAbsoluteBounds: true
      })
      if (cache.size >= limit) cache.delete(cache.keys().next().value as string)
      cache.set(key, bytes)
      return bytes
    } catch (error) {
      // deleted while it was drawn: the selection is read again without it
      if (node.removed) return undefined
      // the list still works without a preview; say why in the console
      console.warn(`[luma-reframe] no thumbnail for ${node.id}: ${error instanceof Error ? error.message : String(error)}`)
      return undefined
    }
  }
}

export type ThumbnailAsync = ReturnType<typeof createThumbnailCache>

/** The real image around the layer, or none when Figma cannot say (the list works without it; the run finds out again). */
async function availableAsync(node: SourceNode, paint: ImagePaint & { imageHash: string }): Promise<Box | undefined> {
  try {
    return await realExtentAsync(node, paint)
  } catch (error) {
    console.warn(`[luma-reframe] no image size for ${node.id}: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}

/**
 * The layers a run would reframe. A selected result stands for its original: the original is listed
 * (once, however many of its results are selected), never the result itself; a result whose original
 * is gone is skipped with that reason.
 */
async function originalsOfAsync(nodes: readonly SceneNode[]): Promise<Array<{ node: SceneNode; via?: string } | { skipped: SceneNode; reason: string }>> {
  const found = []
  for (const node of nodes) {
    const originalId = resultSourceId(node)
    if (originalId === null) {
      found.push({ node })
      continue
    }
    const original = await figma.getNodeByIdAsync(originalId)
    if (original === null || !('visible' in original) || original.removed) found.push({ skipped: node, reason: 'a result of a layer that was deleted, so it cannot be made again' })
    else found.push({ node: original as SceneNode, via: node.name })
  }
  return found
}

/** The damage of the layer's image file, or none when it is whole or its bytes cannot be read now (the run finds out again). */
async function damageOfAsync(node: SceneNode, imageHash: string, damageAsync: SourceDamageAsync): Promise<string | undefined> {
  try {
    return await damageAsync(imageHash)
  } catch (error) {
    console.warn(`[luma-reframe] could not read the image of ${node.id}: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}

/** What listing a source looks at besides the layer itself, each kept from one listing to the next. */
export type SourceLooks = { thumbnailAsync: ThumbnailAsync; damageAsync: SourceDamageAsync }

export async function readSelectionAsync(nodes: readonly SceneNode[], looks: SourceLooks, memory: SourceMemory): Promise<Selection> {
  const { thumbnailAsync, damageAsync } = looks
  const selection: Selection = { sources: [], skipped: [] }
  const pending = new Map<string, Promise<SourceInfo>>()
  const via = new Map<string, string[]>()
  for (const entry of await originalsOfAsync(nodes)) {
    if ('skipped' in entry) {
      selection.skipped.push({ nodeId: entry.skipped.id, name: entry.skipped.name, reason: entry.reason })
      continue
    }
    const { node } = entry
    if (entry.via !== undefined) via.set(node.id, [...(via.get(node.id) ?? []), entry.via])
    if (pending.has(node.id)) continue
    const check = findSourcePaint(node)
    if (!check.ok) {
      if (!selection.skipped.some((skipped) => skipped.nodeId === node.id)) selection.skipped.push({ nodeId: node.id, name: node.name, reason: check.reason })
      continue
    }
    const known = memory.see(node)
    const width = known?.box.width ?? node.width
    const height = known?.box.height ?? node.height
    pending.set(
      node.id,
      Promise.all([
        thumbnailAsync(node, check.paint),
        availableAsync(check.node, check.paint),
        damageOfAsync(node, check.paint.imageHash, damageAsync)
      ]).then(([thumbnail, available, damage]) => ({
        nodeId: node.id,
        name: node.name,
        width,
        height,
        ...(thumbnail ? { thumbnail } : {}),
        ...(available ? { available } : {}),
        ...(damage !== undefined ? { damage } : {})
      }))
    )
  }
  const sources = await Promise.all(pending.values())
  selection.sources = sources.map((source) => (via.has(source.nodeId) ? { ...source, via: via.get(source.nodeId) } : source))
  return selection
}
