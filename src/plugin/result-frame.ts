// One result frame: made at its place with an image, or given a new image in place. The image is
// checked the way figma.createImage would refuse it, before anything is created.
import { setRelaunchButton } from '@create-figma-plugin/utilities'
import { MAX_IMAGE_EDGE, readImageHeader } from '../core/image-header'
import type { Box, Size } from '../core/ratios'
import { FILE_NAME_PATTERN, formatName, type NameFacts } from '../core/result-name'

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
 * A result frame's name from the designer's pattern. Figma names an exported file after its frame, so
 * frames named For export (FILE_NAME_PATTERN) get exactly the names the command line gives its files
 * (`coffee_16x9_711x400`, `coffee_ig-portrait_1080x1350`); any other pattern is written for the
 * canvas (`coffee · 16:9`).
 */
export function resultFrameName(pattern: string, facts: NameFacts): string {
  return formatName(pattern, facts, pattern === FILE_NAME_PATTERN ? 'file' : 'canvas')
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

/** The command of the manifest's relaunch button that makes a result again (figma.command when it starts the plugin). */
export const REFRAME_AGAIN = 'reframe-again'

/** Puts the "Reframe again" button on a result (Figma shows it when the result is selected). */
export function addReframeAgainButton(frame: FrameNode): void {
  setRelaunchButton(frame, REFRAME_AGAIN, { description: 'Makes this size again from the same original with the same settings, as a new frame; this one stays.' })
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
