// Where the subject of a photo is: the box around its most salient features (eyes, a nose, a rocket
// against the sky), found on the small analysis copy with no model, so any engine gives the same box.
import type { Box } from '../core/ratios'
import { boxBlur } from './box-blur'
import { createPremultipliedImage, type PremultipliedImage } from './premultiplied-image'
import type { RgbaImage } from './rgba-image'

/** Centre-surround: a feature is compared with its surroundings this fraction of the short side away. */
const SURROUND_FRACTION = 1 / 16
/** The saliency map is pooled over this fraction of the short side, so one bright pixel is no subject. */
const POOL_FRACTION = 1 / 24
/** Pooled saliency at or above this share of its peak is subject. */
const SUBJECT_THRESHOLD = 0.6

/**
 * The box (analysis pixels) around every place whose pooled saliency reaches 60% of the peak.
 *
 * Saliency here is the product of two classic cues, each normalised to its maximum:
 * - global distinctness (frequency-tuned saliency, Achanta et al. 2009): how far a lightly blurred
 *   colour is from the mean colour of the whole image;
 * - local distinctness (centre-surround, a difference of blurs as in Itti et al. 1998): how far it is
 *   from the colour of its own neighbourhood.
 * Either alone fails on real photos: a bright, out-of-focus background is globally distinct but
 * locally flat; fur and grass are locally busy but globally ordinary. Features that are both (eyes,
 * a nose, a white rocket against blue sky) are what a viewer looks at first.
 * Colours are in an opponent space (lightness, red-green, yellow-blue) with linear maths and square
 * roots only, so that the browser and Node compute bit-identical values.
 */
export function salientSubjectBox(image: RgbaImage): Box {
  const { width, height, data } = image
  const count = width * height
  const short = Math.min(width, height)
  const colour = createPremultipliedImage(width, height)
  for (let i = 0; i < count; i++) {
    const r = data[i * 4]
    const g = data[i * 4 + 1]
    const b = data[i * 4 + 2]
    colour.data[i * 4] = (r + g + b) / 3
    colour.data[i * 4 + 1] = r - g
    colour.data[i * 4 + 2] = (r + g) / 2 - b
  }
  // three channels carry colour, and the pooled map below only one: blur no more than those
  boxBlur(colour, 1, 3, 3)
  const surround: PremultipliedImage = { width, height, data: new Float32Array(colour.data) }
  boxBlur(surround, Math.round(short * SURROUND_FRACTION), 3, 3)
  const mean = [0, 0, 0]
  for (let i = 0; i < count; i++) for (let c = 0; c < 3; c++) mean[c] += colour.data[i * 4 + c]
  for (let c = 0; c < 3; c++) mean[c] /= count
  const global = new Float64Array(count)
  const local = new Float64Array(count)
  let globalMax = 0
  let localMax = 0
  for (let i = 0; i < count; i++) {
    global[i] = distance(colour.data, i * 4, mean[0], mean[1], mean[2])
    const p = i * 4
    local[i] = distance(colour.data, p, surround.data[p], surround.data[p + 1], surround.data[p + 2])
    globalMax = Math.max(globalMax, global[i])
    localMax = Math.max(localMax, local[i])
  }
  const pooled = createPremultipliedImage(width, height)
  for (let i = 0; i < count; i++) pooled.data[i * 4] = (global[i] / (globalMax || 1)) * (local[i] / (localMax || 1))
  boxBlur(pooled, Math.max(1, Math.round(short * POOL_FRACTION)), 3, 1)
  let peak = 0
  for (let i = 0; i < count; i++) peak = Math.max(peak, pooled.data[i * 4])
  if (peak === 0) return { x: 0, y: 0, width, height }
  let x0 = width
  let y0 = height
  let x1 = 0
  let y1 = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pooled.data[(y * width + x) * 4] < SUBJECT_THRESHOLD * peak) continue
      x0 = Math.min(x0, x)
      y0 = Math.min(y0, y)
      x1 = Math.max(x1, x + 1)
      y1 = Math.max(y1, y + 1)
    }
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

function distance(data: Float32Array, p: number, a: number, b: number, c: number): number {
  const d0 = data[p] - a
  const d1 = data[p + 1] - b
  const d2 = data[p + 2] - c
  return Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2)
}
