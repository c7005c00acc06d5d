// Where the subject of a photo is: the box around its most salient features (eyes, a nose, a rocket
// against the sky), found on the small analysis copy with no model, so any engine gives the same box.
import type { Box } from '../core/ratios'
import { boxBlurPlane } from './box-blur'
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
  // one plane per opponent channel (lightness, red-green, yellow-blue): blurs then read contiguous floats
  const colour = [new Float32Array(count), new Float32Array(count), new Float32Array(count)]
  const [lightness, redGreen, yellowBlue] = colour
  for (let i = 0, p = 0; i < count; i++, p += 4) {
    const r = data[p]
    const g = data[p + 1]
    const b = data[p + 2]
    lightness[i] = (r + g + b) / 3
    redGreen[i] = r - g
    yellowBlue[i] = (r + g) / 2 - b
  }
  const scratch = new Float32Array(count)
  const surroundRadius = Math.round(short * SURROUND_FRACTION)
  const surround = colour.map((plane) => {
    boxBlurPlane(plane, width, height, 1, 3, scratch)
    const copy = new Float32Array(plane)
    boxBlurPlane(copy, width, height, surroundRadius, 3, scratch)
    return copy
  })
  const mean = colour.map((plane) => {
    let sum = 0
    for (let i = 0; i < count; i++) sum += plane[i]
    return sum / count
  })
  const global = new Float64Array(count)
  const local = new Float64Array(count)
  const [l0, a0, b0] = colour
  const [l1, a1, b1] = surround
  let globalMax = 0
  let localMax = 0
  for (let i = 0; i < count; i++) {
    const g = distance(l0[i] - mean[0], a0[i] - mean[1], b0[i] - mean[2])
    const l = distance(l0[i] - l1[i], a0[i] - a1[i], b0[i] - b1[i])
    global[i] = g
    local[i] = l
    if (g > globalMax) globalMax = g
    if (l > localMax) localMax = l
  }
  const pooled = new Float32Array(count)
  const globalScale = globalMax || 1
  const localScale = localMax || 1
  for (let i = 0; i < count; i++) pooled[i] = (global[i] / globalScale) * (local[i] / localScale)
  boxBlurPlane(pooled, width, height, Math.max(1, Math.round(short * POOL_FRACTION)), 3, scratch)
  let peak = 0
  for (let i = 0; i < count; i++) if (pooled[i] > peak) peak = pooled[i]
  if (peak === 0) return { x: 0, y: 0, width, height }
  const threshold = SUBJECT_THRESHOLD * peak
  let x0 = width
  let y0 = height
  let x1 = 0
  let y1 = 0
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (pooled[row + x] < threshold) continue
      if (x < x0) x0 = x
      if (y < y0) y0 = y
      if (x + 1 > x1) x1 = x + 1
      if (y + 1 > y1) y1 = y + 1
    }
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

function distance(d0: number, d1: number, d2: number): number {
  return Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2)
}
