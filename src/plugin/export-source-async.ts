// Exports what a source layer shows, as bytes for the upload: the original file when it is exactly
// that and small enough, otherwise a render at the layer's native density (see core/export-plan).
// Asked for, it also sends the whole file when the layer shows only part of it (core/visible-image):
// real pixels around the layer, which the reframe uses before generating any.
import { planExport, type ExportFacts, type ExportPlan } from '../core/export-plan'
import { IMAGE_MIME, readImageHeader, type ImageHeader } from '../core/image-header'
import type { Size } from '../core/ratios'
import { realImageExtent } from '../core/visible-image'
import type { ExportedSource } from '../protocol/messages'
import { NOT_EXPORTABLE } from './exportable-sources'
import { findSourcePaint, type SourceNode } from './find-source-paint'
import type { SourceMemory } from './source-memory'

function hasFilters(paint: ImagePaint): boolean {
  return Object.values(paint.filters ?? {}).some((value) => typeof value === 'number' && Math.abs(value) > 1e-6)
}

function numberOr(value: unknown, fallback: number): number {
  // cornerRadius may be figma.mixed (different corners): any rounding counts
  return typeof value === 'number' ? value : fallback
}

export function exportFacts(
  node: SourceNode,
  paint: ImagePaint,
  image: (ImageHeader & { width: number; height: number }) | null,
  maxEdge: number
): ExportFacts {
  const box = node.absoluteBoundingBox ?? { width: node.width, height: node.height }
  const paints = (Array.isArray(node.fills) ? node.fills : []) as readonly Paint[]
  const strokes = 'strokes' in node && Array.isArray(node.strokes) ? (node.strokes as readonly Paint[]) : []
  const effects = 'effects' in node && Array.isArray(node.effects) ? (node.effects as readonly Effect[]) : []
  return {
    layer: { width: node.width, height: node.height },
    bounds: { width: box.width, height: box.height },
    rotation: 'rotation' in node ? node.rotation : 0,
    opacity: 'opacity' in node ? node.opacity : 1,
    cornerRadius: 'cornerRadius' in node ? numberOr(node.cornerRadius, 1) : 0,
    hasChildren: 'children' in node && node.children.length > 0,
    hasVisibleEffects: effects.some((effect) => effect.visible),
    hasVisibleStrokes: strokes.some((stroke) => stroke.visible !== false) && 'strokeWeight' in node && node.strokeWeight !== 0,
    otherVisiblePaints: paints.filter((p) => p !== paint && p.visible !== false).length,
    paint: {
      scaleMode: paint.scaleMode,
      imageTransform: paint.imageTransform,
      scalingFactor: paint.scalingFactor,
      rotation: paint.rotation,
      opacity: paint.opacity,
      hasFilters: hasFilters(paint)
    },
    image: image === null ? null : { width: image.width, height: image.height, format: image.format, hasAlpha: image.hasAlpha, orientation: image.orientation },
    maxEdge
  }
}

/** The original file, its header with Figma's own size, and the file's own pixel size. */
type Original = { bytes: Uint8Array; header: ImageHeader; file: Size }

async function readOriginalAsync(imageHash: string): Promise<Original | null> {
  const image = figma.getImageByHash(imageHash)
  if (image === null) return null
  const [bytes, size] = await Promise.all([image.getBytesAsync(), image.getSizeAsync()])
  const header = readImageHeader(bytes)
  if (header === null) return null
  // Figma's own size wins over the file header (it accounts for orientation it applied)
  return { bytes, header: { ...header, width: size.width, height: size.height }, file: { width: header.width, height: header.height } }
}

/** The whole file and where it lies around the layer, when the layer shows only part of it. */
function realAround(facts: ExportFacts, original: Original | null): ExportedSource['real'] {
  if (original === null || original.header.format === 'webp') return undefined
  const { header, file } = original
  const box = realImageExtent({ ...facts, image: { width: header.width, height: header.height, orientation: header.orientation } })
  // the bytes must be the picture Figma lays out (not a copy of another shape)
  const sameShape = Math.abs(file.width / file.height - header.width / header.height) <= 0.005 * (header.width / header.height)
  if (box === null || !sameShape) return undefined
  return { bytes: original.bytes, mime: IMAGE_MIME[header.format] as 'image/png' | 'image/jpeg' | 'image/gif', width: file.width, height: file.height, box }
}

/** What goes to the UI, and the plan that produced it (for tests and logs). */
export type SourceExport = { exported: ExportedSource; plan: ExportPlan }

/**
 * `mayExport` says whether the designer picked this layer (selected, or a source of the running
 * batch); it is asked before any of the layer's pixels are read, after the checks that give a more
 * useful answer (deleted, not an image).
 */
export async function exportSourceAsync(
  nodeId: string,
  maxEdge: number,
  memory: SourceMemory,
  mayExport: (nodeId: string) => boolean,
  options: { real?: boolean } = {}
): Promise<SourceExport> {
  const node = await figma.getNodeByIdAsync(nodeId)
  if (node === null) throw new Error('The layer was deleted, so it cannot be exported')
  if (node.type === 'PAGE' || node.type === 'DOCUMENT' || !('visible' in node)) {
    throw new Error(`"${node.name}" is not a layer on the canvas`)
  }
  const check = findSourcePaint(node as SceneNode)
  if (!check.ok) throw new Error(`${node.name}: ${check.reason}`)
  if (!mayExport(nodeId)) throw new Error(NOT_EXPORTABLE)
  memory.see(check.node)
  const original = await readOriginalAsync(check.paint.imageHash)
  const facts = exportFacts(check.node, check.paint, original?.header ?? null, maxEdge)
  const plan = planExport(facts)
  const box = check.node.absoluteBoundingBox ?? { width: check.node.width, height: check.node.height }
  const real = options.real === true ? realAround(facts, original) : undefined
  const base = { nodeId, name: check.node.name, layer: { width: box.width, height: box.height }, ...(real !== undefined ? { real } : {}) }
  if (plan.path === 'bytes' && original !== null) {
    const { width, height } = original.header
    return { plan, exported: { ...base, bytes: original.bytes, mime: plan.mime, width, height } }
  }
  if (plan.path === 'bytes') throw new Error('Internal: bytes planned without an original')
  let bytes: Uint8Array
  try {
    bytes = await check.node.exportAsync({
      format: plan.format,
      constraint: plan.constraint,
      useAbsoluteBounds: true,
      colorProfile: 'SRGB'
    })
  } catch (error) {
    throw new Error(`Figma could not export "${check.node.name}": ${error instanceof Error ? error.message : String(error)}`)
  }
  // the render's real size, not the planned one: Figma rounds on its own
  const header = readImageHeader(bytes)
  if (header === null) throw new Error(`Figma's export of "${check.node.name}" is not a PNG or JPEG`)
  return { plan, exported: { ...base, bytes, mime: plan.mime, width: header.width, height: header.height } }
}
