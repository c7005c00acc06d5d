// One result frame: made at its place with an image, or given a new image in place. The image is
// checked the way figma.createImage would refuse it, before anything is created.
import { MAX_IMAGE_EDGE, readImageHeader } from '../core/image-header'
import type { Box, Size } from '../core/ratios'
import { isPresetId, type SizeId } from '../core/sizes'

/** Why Figma would refuse these bytes in createImage, or null when it will take them. */
export function whyNotPlaceable(bytes: Uint8Array): string | null {
  const header = readImageHeader(bytes)
  if (header === null || header.format === 'webp') return 'it is not a PNG, JPEG or GIF image'
  if (header.width > MAX_IMAGE_EDGE || header.height > MAX_IMAGE_EDGE) {
    return `it is ${header.width}×${header.height} px and Figma takes at most ${MAX_IMAGE_EDGE} px a side`
  }
  return null
}

/** createImage, or the reason it was not made (nothing is created then). */
export function createCheckedImage(bytes: Uint8Array, what: string): Image {
  const refused = whyNotPlaceable(bytes)
  if (refused !== null) throw new Error(`${what} was not placed: ${refused}`)
  return figma.createImage(bytes)
}

/**
 * A frame of exactly the shape of the pixels it exports at. The plan rounds each side of a frame up to
 * 1/100 unit on its own, so a WIDTH export can land a pixel short on the other side (a story frame of
 * 18.57x33 at 1080 px wide is 1919 px tall). One side grows by that rounding, never shrinks, so that
 * width / height is exactly the preset's and Figma's rounding of each side gives its pixels.
 */
export function exactShapeFrame(frame: Size, exported: Size): Size {
  if (frame.width * exported.height > frame.height * exported.width) return { width: frame.width, height: (frame.width * exported.height) / exported.width }
  return { width: (frame.height * exported.width) / exported.height, height: frame.height }
}

/** The frame a planned result gets: a preset's of exactly the preset's shape, a ratio's as planned. */
export function resultFrameSize(planned: { size: SizeId; frame: Size; exported: Size }): Size {
  return isPresetId(planned.size) ? exactShapeFrame(planned.frame, planned.exported) : { ...planned.frame }
}

/** Export pixels of a `frame` under a constraint, as Figma computes them: one scale, each side rounded on its own. */
export function exportedPixels(frame: Size, constraint: ExportSettingsConstraints): Size {
  const scale = constraint.type === 'SCALE' ? constraint.value : constraint.type === 'WIDTH' ? constraint.value / frame.width : constraint.value / frame.height
  return { width: Math.max(1, Math.round(frame.width * scale)), height: Math.max(1, Math.round(frame.height * scale)) }
}

/**
 * The constraint that exports `frame` at exactly `exported` pixels: WIDTH, else HEIGHT, else a scale
 * that lands both sides (a frame a hair off the shape, a ratio's frame around a result whose pixels
 * were rounded); WIDTH when none can, the nearest there is.
 */
export function exactConstraint(frame: Size, exported: Size): ExportSettingsConstraints {
  const lands = (constraint: ExportSettingsConstraints) => {
    const pixels = exportedPixels(frame, constraint)
    return pixels.width === exported.width && pixels.height === exported.height
  }
  const width: ExportSettingsConstraints = { type: 'WIDTH', value: exported.width }
  const height: ExportSettingsConstraints = { type: 'HEIGHT', value: exported.height }
  if (lands(width)) return width
  if (lands(height)) return height
  // the scales that round each side to its pixels, [low, high): both at once where they overlap
  const low = Math.max((exported.width - 0.5) / frame.width, (exported.height - 0.5) / frame.height)
  const high = Math.min((exported.width + 0.5) / frame.width, (exported.height + 0.5) / frame.height)
  const scale: ExportSettingsConstraints = { type: 'SCALE', value: (low + high) / 2 }
  return low < high && lands(scale) ? scale : width
}

/** The export setting that gives the file of a `frame` exactly `exported` pixels, in the result's own format. */
export function exportSettingFor(bytes: Uint8Array, exported: Size, frame: Size): ExportSettingsImage {
  const format = readImageHeader(bytes)?.format === 'jpeg' ? 'JPG' : 'PNG'
  return { format, suffix: '', constraint: exactConstraint(frame, exported) }
}

/** A new page-level frame at `box`, filled with `image`. Removed again if Figma refuses any step. */
export function createResultFrame(page: PageNode, box: Box, name: string, image: Image): FrameNode {
  const frame = figma.createFrame()
  try {
    page.appendChild(frame)
    frame.name = name
    frame.resize(box.width, box.height)
    frame.x = box.x
    frame.y = box.y
    frame.fills = [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' }]
    frame.clipsContent = true
    return frame
  } catch (error) {
    frame.remove()
    throw error
  }
}

/** Lines at the edges of the area to keep key content in: visible while designing, never exported. */
export function safeAreaGuides(frame: Size, safe: Box): Guide[] {
  const guides: Guide[] = []
  if (safe.y > 0) guides.push({ axis: 'Y', offset: safe.y })
  if (safe.y + safe.height < frame.height) guides.push({ axis: 'Y', offset: safe.y + safe.height })
  if (safe.x > 0) guides.push({ axis: 'X', offset: safe.x })
  if (safe.x + safe.width < frame.width) guides.push({ axis: 'X', offset: safe.x + safe.width })
  return guides
}
