// Scores for locating a source: weighted normalised cross-correlation (NCC) of luminance between a
// template and the result sampled over a box, and the same NCC on detail alone (what judgeMatch reads).
import type { Grey } from './locate-source-grey'
import type { Template } from './locate-source-template'

/** A candidate: centre and width in level-0 result pixels; height follows from the aspect. */
export type Candidate = { cx: number; cy: number; width: number; score: number }

/**
 * Below this weighted standard deviation of luminance (0..255) a source has no detail to correlate:
 * a flat colour plus JPEG noise. NCC would then correlate noise and could report a high score anywhere.
 */
export const FLAT_SOURCE_STD = 2
/** Below this standard deviation of detail (0..255 luma) a source has only smooth shading to offer. */
const DETAIL_MIN_STD = 0.75
/** A result region flatter than this cannot confirm a source either (only its noise would correlate). */
const FLAT_REGION_STD = 1
/** Candidates must have at least this share of the source's weight inside the result. */
const MIN_INSIDE = 0.6

/** Reused column buffers, so that the thousands of evaluations of a search allocate nothing. */
const scratch = {
  index: new Int32Array(0),
  frac: new Float32Array(0),
  columns(count: number) {
    if (this.index.length < count) {
      this.index = new Int32Array(count)
      this.frac = new Float32Array(count)
    }
    return this
  }
}

/**
 * Weighted NCC between the template and the image sampled (bilinear) at the template's cell centres
 * spread over the box centred on (cx, cy). Cells outside the image do not count; a box mostly outside,
 * or over a region with no detail, scores -1 or 0 rather than a number that means nothing.
 */
export function ncc(image: Grey, template: Template, cx: number, cy: number, boxWidth: number, boxHeight: number): number {
  const { width: tw, height: th } = template
  const x0 = cx - boxWidth / 2
  const y0 = cy - boxHeight / 2
  const sx = boxWidth / tw
  const sy = boxHeight / th
  const cols = scratch.columns(tw)
  for (let i = 0; i < tw; i++) {
    const u = x0 + (i + 0.5) * sx - 0.5
    if (u < -0.5 || u > image.width - 0.5) {
      cols.index[i] = -1
      continue
    }
    const left = Math.max(0, Math.min(image.width - 2, Math.floor(u)))
    cols.index[i] = left
    cols.frac[i] = Math.max(0, Math.min(1, u - left))
  }
  const { value: img, width: iw } = image
  const single = iw === 1
  if (template.opaque && cols.index[0] >= 0 && cols.index[tw - 1] >= 0 && y0 + 0.5 * sy >= 0 && y0 + (th - 0.5) * sy - 0.5 <= image.height - 0.5) {
    return nccInside(image, template, template.opaque, cols, y0, sy)
  }
  let sw = 0
  let st = 0
  let stt = 0
  let sr = 0
  let srr = 0
  let str = 0
  let total = 0
  const tv = template.value
  const tWeight = template.weight
  for (let j = 0; j < th; j++) {
    const rowWeightStart = j * tw
    const v = y0 + (j + 0.5) * sy - 0.5
    const outside = v < -0.5 || v > image.height - 0.5
    if (outside) {
      for (let i = 0; i < tw; i++) total += tWeight[rowWeightStart + i]
      continue
    }
    const top = Math.max(0, Math.min(image.height - 2, Math.floor(v)))
    const fy = Math.max(0, Math.min(1, v - top))
    const rowA = top * iw
    const rowB = Math.min(image.height - 1, top + 1) * iw
    for (let i = 0; i < tw; i++) {
      const w = tWeight[rowWeightStart + i]
      if (w === 0) continue
      total += w
      const left = cols.index[i]
      if (left < 0) continue
      const fx = cols.frac[i]
      const right = single ? left : left + 1
      const a = img[rowA + left] + (img[rowA + right] - img[rowA + left]) * fx
      const b = img[rowB + left] + (img[rowB + right] - img[rowB + left]) * fx
      const r = a + (b - a) * fy
      const t = tv[rowWeightStart + i]
      sw += w
      st += w * t
      stt += w * t * t
      sr += w * r
      srr += w * r * r
      str += w * t * r
    }
  }
  if (total <= 0 || sw < MIN_INSIDE * total) return -1
  const vt = stt - (st * st) / sw
  const vr = srr - (sr * sr) / sw
  if (vt <= FLAT_SOURCE_STD * FLAT_SOURCE_STD * sw * 0.25 || vr <= FLAT_REGION_STD * FLAT_REGION_STD * sw) return 0
  return (str - (st * sr) / sw) / Math.sqrt(vt * vr)
}

/**
 * `ncc` for the common case, an opaque template whose box lies inside the image: the template's sums
 * are known, so only the result's three sums are gathered, with no weights.
 */
export function nccInside(image: Grey, template: Template, sums: { sum: number; sumSquares: number }, cols: { index: Int32Array; frac: Float32Array }, y0: number, sy: number): number {
  const { width: tw, height: th, value: tv } = template
  const { value: img, width: iw } = image
  const right = iw === 1 ? 0 : 1
  let sr = 0
  let srr = 0
  let str = 0
  for (let j = 0; j < th; j++) {
    const v = y0 + (j + 0.5) * sy - 0.5
    const top = Math.max(0, Math.min(image.height - 2, Math.floor(v)))
    const fy = Math.max(0, Math.min(1, v - top))
    const rowA = top * iw
    const rowB = Math.min(image.height - 1, top + 1) * iw
    const row = j * tw
    for (let i = 0; i < tw; i++) {
      const left = cols.index[i]
      const fx = cols.frac[i]
      const a = img[rowA + left] + (img[rowA + left + right] - img[rowA + left]) * fx
      const b = img[rowB + left] + (img[rowB + left + right] - img[rowB + left]) * fx
      const r = a + (b - a) * fy
      sr += r
      srr += r * r
      str += tv[row + i] * r
    }
  }
  const n = tw * th
  const vt = sums.sumSquares - (sums.sum * sums.sum) / n
  const vr = srr - (sr * sr) / n
  if (vt <= FLAT_SOURCE_STD * FLAT_SOURCE_STD * n * 0.25 || vr <= FLAT_REGION_STD * FLAT_REGION_STD * n) return 0
  return (str - (sums.sum * sr) / n) / Math.sqrt(vt * vr)
}

/**
 * Weighted NCC of detail (luminance minus its alpha-weighted 5 x 5 mean) between the template and the
 * result sampled over the box, cell for cell; undefined when the source has next to no detail
 * (then any correlation would be JPEG noise against JPEG noise).
 */
export function detailScore(image: Grey, template: Template, c: Candidate, aspect: number): { detail: number; cells: number } | undefined {
  const { width: tw, height: th } = template
  const n = tw * th
  const boxHeight = c.width / aspect
  const x0 = c.cx - c.width / 2
  const y0 = c.cy - boxHeight / 2
  const sx = c.width / tw
  const sy = boxHeight / th
  const sampled = new Float32Array(n)
  const weight = new Float32Array(n)
  for (let j = 0; j < th; j++) {
    const v = y0 + (j + 0.5) * sy - 0.5
    if (v < -0.5 || v > image.height - 0.5) continue
    const top = Math.max(0, Math.min(image.height - 2, Math.floor(v)))
    const fy = Math.max(0, Math.min(1, v - top))
    for (let i = 0; i < tw; i++) {
      const u = x0 + (i + 0.5) * sx - 0.5
      if (u < -0.5 || u > image.width - 0.5) continue
      const left = Math.max(0, Math.min(image.width - 2, Math.floor(u)))
      const fx = Math.max(0, Math.min(1, u - left))
      const k = j * tw + i
      sampled[k] = bilinear(image.value, top * image.width + left, image.width, image.height, fx, fy)
      weight[k] = template.weight[k]
    }
  }
  const detailT = minusLocalMean(template.value, weight, tw, th)
  const detailR = minusLocalMean(sampled, weight, tw, th)
  let sw = 0
  let st = 0
  let stt = 0
  let sr = 0
  let srr = 0
  let str = 0
  for (let k = 0; k < n; k++) {
    const w = weight[k]
    if (w === 0) continue
    const t = detailT[k]
    const r = detailR[k]
    sw += w
    st += w * t
    stt += w * t * t
    sr += w * r
    srr += w * r * r
    str += w * t * r
  }
  if (sw <= 0) return undefined
  const vt = stt - (st * st) / sw
  const vr = srr - (sr * sr) / sw
  if (vt <= DETAIL_MIN_STD * DETAIL_MIN_STD * sw) return undefined
  // cells stand for result pixels: a template finer than the box has more cells than pixels behind them
  const cells = Math.round(sw * Math.min(1, sx * sy))
  if (vr <= 0) return { detail: 0, cells }
  return { detail: (str - (st * sr) / sw) / Math.sqrt(vt * vr), cells }
}

export function bilinear(field: Float32Array, p: number, width: number, height: number, fx: number, fy: number): number {
  const right = width > 1 ? 1 : 0
  const down = height > 1 ? width : 0
  const a = field[p] + (field[p + right] - field[p]) * fx
  const b = field[p + down] + (field[p + down + right] - field[p + down]) * fx
  return a + (b - a) * fy
}

/** Each value minus the weighted mean of its 5 x 5 neighbourhood (separable box sums, edges cut). */
function minusLocalMean(value: Float32Array, weight: Float32Array, width: number, height: number): Float32Array {
  const radius = 2
  const weighted = value.map((v, i) => v * weight[i])
  const sumV = boxSum(boxSum(weighted, width, height, radius, true), width, height, radius, false)
  const sumW = boxSum(boxSum(weight, width, height, radius, true), width, height, radius, false)
  return value.map((v, i) => (sumW[i] > 1e-6 ? v - sumV[i] / sumW[i] : 0))
}

function boxSum(values: Float32Array, width: number, height: number, radius: number, alongX: boolean): Float32Array {
  const out = new Float32Array(values.length)
  const length = alongX ? width : height
  const lines = alongX ? height : width
  const step = alongX ? 1 : width
  for (let line = 0; line < lines; line++) {
    const start = alongX ? line * width : line
    let sum = 0
    for (let i = 0; i <= Math.min(radius, length - 1); i++) sum += values[start + i * step]
    for (let i = 0; i < length; i++) {
      out[start + i * step] = sum
      const add = i + radius + 1
      const drop = i - radius
      if (add < length) sum += values[start + add * step]
      if (drop >= 0) sum -= values[start + drop * step]
    }
  }
  return out
}
