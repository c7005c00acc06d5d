// What the browser-vs-Node tests compare for one image: its size, the smart-crop window of each ratio
// and its mean premultiplied byte. Runs on both sides (bundled into Chromium too), so it imports
// nothing from Node.
import type { RatioId } from '../../src/core/ratios'
import type { ImageBackend } from '../../src/imaging/render-recipe'
import type { RgbaImage } from '../../src/imaging/rgba-image'
import { analysisImageOf, analysisMaxEdge, createAnalysisImage, smartCropBox } from '../../src/imaging/smart-crop'

/** Through a codec's full-size RGBA (the path the codecs still offer). */
export async function cropWindowsOf(image: RgbaImage, ratios: readonly RatioId[]) {
  const analysis = createAnalysisImage(image)
  const boxes = []
  for (const ratio of ratios) boxes.push(await smartCropBox(analysis, image, ratio))
  let sum = 0
  // premultiplied: canvas keeps no colour under fully transparent pixels, sharp does
  const d = image.data
  for (let i = 0; i < d.length; i += 4) sum += ((d[i] + d[i + 1] + d[i + 2]) * d[i + 3]) / 255 + d[i + 3]
  return { width: image.width, height: image.height, boxes, meanByte: sum / image.data.length }
}

/** Through a backend, as the offline engine runs: decode, the small analysis copy, one window per ratio. */
export async function backendCropWindows(backend: ImageBackend, bytes: Uint8Array, ratios: readonly RatioId[]) {
  const picture = await backend.decode(bytes)
  const small = await backend.analysis(picture, analysisMaxEdge(picture))
  const analysis = analysisImageOf(small, picture)
  const boxes = []
  for (const ratio of ratios) boxes.push(await smartCropBox(analysis, picture, ratio))
  let sum = 0
  for (let i = 0; i < small.data.length; i += 4) sum += small.data[i] + small.data[i + 1] + small.data[i + 2]
  return { width: picture.width, height: picture.height, analysis: { width: small.width, height: small.height }, boxes, meanByte: sum / (small.data.length * 0.75) }
}
