// What the browser-vs-Node codec test compares for one decoded image: its size, the smart-crop window
// of each ratio and its mean premultiplied byte. Runs on both sides (bundled into Chromium too), so it
// imports nothing from Node.
import type { RatioId } from '../../src/core/ratios'
import { prepareSource } from '../../src/imaging/reframe-rgba'
import type { RgbaImage } from '../../src/imaging/rgba-image'
import { smartCropBox } from '../../src/imaging/smart-crop'

export async function cropWindowsOf(image: RgbaImage, ratios: readonly RatioId[]) {
  const source = prepareSource(image)
  const boxes = []
  for (const ratio of ratios) boxes.push(await smartCropBox(source.analysis, image, ratio))
  let sum = 0
  // premultiplied: canvas keeps no colour under fully transparent pixels, sharp does
  const d = image.data
  for (let i = 0; i < d.length; i += 4) sum += ((d[i] + d[i + 1] + d[i + 2]) * d[i + 3]) / 255 + d[i + 3]
  return { width: image.width, height: image.height, boxes, meanByte: sum / image.data.length }
}
