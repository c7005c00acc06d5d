// Where the whole image lies around what a selected layer shows, read cheaply for the source list
// (the paint and Figma's image size, no bytes): the window counts the jobs a run will really send.
import type { Box } from '../core/ratios'
import { realImageExtent, whyNoRealExtent } from '../core/visible-image'
import { exportFacts } from './export-source-async'
import type { SourceNode } from './find-source-paint'

export async function realExtentAsync(node: SourceNode, paint: ImagePaint & { imageHash: string }): Promise<Box | undefined> {
  const facts = exportFacts(node, paint, null, 1)
  // the layer's look rules it out before Figma is asked for anything
  if (whyNoRealExtent({ ...facts, image: { width: 1, height: 1 } }) !== null) return undefined
  const image = figma.getImageByHash(paint.imageHash)
  if (image === null) return undefined
  // Figma's size, not the file's: an EXIF-turned file is only found out by the export, which reads the bytes
  const size = await image.getSizeAsync()
  return realImageExtent({ ...facts, image: size }) ?? undefined
}
