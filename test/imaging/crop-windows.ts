// What the browser-vs-Node tests compare for one image: its size, the smart-crop window of each ratio
// and its mean premultiplied byte. Runs on both sides (bundled into Chromium too), so it imports
// nothing from Node.
import type { RatioId } from '../../src/core/ratios'
import type { ImageBackend } from '../../src/imaging/render-recipe'
import { analysisImageOf, analysisMaxEdge, smartCropBox } from '../../src/imaging/smart-crop'

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
