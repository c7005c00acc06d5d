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
  const { width, height } = image
  const short = Math.min(width, height)
  const colour = opponentPlanes(image)
  const scratch = new Float32Array(width * height)
  const surround = colour.map((plane) => {
    boxBlurPlane(plane, width, height, 1, 3, scratch)
    const copy = new Float32Array(plane)
    boxBlurPlane(copy, width, height, Math.round(short * SURROUND_FRACTION), 3, scratch)
    return copy
  }) as Planes
  const { global, local, globalMax, localMax } = distinctness(colour, surround, meansOf(colour))
  const pooled = productOfNormalised(global, globalMax, local, localMax)
  boxBlurPlane(pooled, width, height, Math.max(1, Math.round(short * POOL_FRACTION)), 3, scratch)
  const peak = maximumOf(pooled)
  if (peak === 0) return { x: 0, y: 0, width, height }
  return boxAtOrAbove(pooled, width, height, SUBJECT_THRESHOLD * peak)
}

// Each step below is one loop in a function of its own: V8 optimises a hot loop on its own (on-stack
// replacement), and a long function of many loops was optimised and thrown back to the interpreter
// at each next loop, several times a photo (in a fresh process, the CLI's, one call took 64-127 ms a
// photo that way and 27-83 ms this way; warm, about 20 ms either way).

type Planes = [Float32Array, Float32Array, Float32Array]
type Triple = [number, number, number]

/** One plane per opponent channel (lightness, red-green, yellow-blue): blurs then read contiguous floats. */
function opponentPlanes({ width, height, data }: RgbaImage): Planes {
  const count = width * height
  const lightness = new Float32Array(count)
  const redGreen = new Float32Array(count)
  const yellowBlue = new Float32Array(count)
  for (let i = 0, p = 0; i < count; i++, p += 4) {
    const r = data[p]
    const g = data[p + 1]
    const b = data[p + 2]
    lightness[i] = (r + g + b) / 3
    redGreen[i] = r - g
    yellowBlue[i] = (r + g) / 2 - b
  }
  return [lightness, redGreen, yellowBlue]
}

/** Each plane's mean (each sum in index order, as a loop over one plane would make it). */
function meansOf([l, a, b]: Planes): Triple {
  const count = l.length
  let sumL = 0
  let sumA = 0
  let sumB = 0
  for (let i = 0; i < count; i++) {
    sumL += l[i]
    sumA += a[i]
    sumB += b[i]
  }
  return [sumL / count, sumA / count, sumB / count]
}

type Cues = { global: Float64Array; globalMax: number; local: Float64Array; localMax: number }

/**
 * Both cues at each place, and each one's peak: how far the colour is from the whole image's mean
 * colour (global), and from the colour of its surround (local).
 */
function distinctness([l0, a0, b0]: Planes, [l1, a1, b1]: Planes, [l, a, b]: Triple): Cues {
  const count = l0.length
  const global = new Float64Array(count)
  const local = new Float64Array(count)
  let globalMax = 0
  let localMax = 0
  for (let i = 0; i < count; i++) {
    const g = distance(l0[i] - l, a0[i] - a, b0[i] - b)
    const d = distance(l0[i] - l1[i], a0[i] - a1[i], b0[i] - b1[i])
    global[i] = g
    local[i] = d
    if (g > globalMax) globalMax = g
    if (d > localMax) localMax = d
  }
  return { global, globalMax, local, localMax }
}

function maximumOf(values: Float32Array): number {
  let max = 0
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i]
  return max
}

/** Each place's product of the two cues, each divided by its own peak. */
function productOfNormalised(global: Float64Array, globalMax: number, local: Float64Array, localMax: number): Float32Array {
  const globalScale = globalMax || 1
  const localScale = localMax || 1
  const out = new Float32Array(global.length)
  for (let i = 0; i < out.length; i++) out[i] = (global[i] / globalScale) * (local[i] / localScale)
  return out
}

/** The box around every place whose value reaches `threshold`. */
function boxAtOrAbove(values: Float32Array, width: number, height: number, threshold: number): Box {
  let x0 = width
  let y0 = height
  let x1 = 0
  let y1 = 0
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (values[row + x] < threshold) continue
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
