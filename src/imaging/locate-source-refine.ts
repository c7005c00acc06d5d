// Below a pixel: Gauss-Newton (Lucas-Kanade with a gain and offset of brightness) on a located box.
import type { Grey } from './locate-source-grey'
import { ncc, type Candidate } from './locate-source-ncc'
import type { Template, TemplateCache } from './locate-source-template'

/** Reused cell buffers, so that the steps of a refinement allocate nothing. */
const scratch = {
  r: new Float32Array(0),
  gx: new Float32Array(0),
  gy: new Float32Array(0),
  use: new Uint8Array(0),
  cells(count: number) {
    if (this.r.length < count) {
      this.r = new Float32Array(count)
      this.gx = new Float32Array(count)
      this.gy = new Float32Array(count)
      this.use = new Uint8Array(count)
    }
    return this
  }
}

/**
 * Below a pixel on the finest level: Gauss-Newton on the least-squares form of NCC (Lucas-Kanade),
 * fitting the box (x, y, width) together with a gain and an offset of brightness, so that a recoloured
 * redraw fits as well as an exact one. A parabola per parameter instead leaves a bias of a few tenths
 * of a pixel where position and size are correlated; this converges to a few hundredths.
 */
export function refine(image: Grey, start: Candidate, aspect: number, templates: TemplateCache): Candidate {
  // Bilinear sampling blurs by a different amount at each sub-pixel offset. Against a template
  // resampled to exactly the box's size (one pixel per cell) that makes NCC prefer some offsets over
  // others, a bias of 0.15-0.4 px measured; sampled at the source copy's own, different pitch, the
  // offsets cycle across the cells and the bias averages out (and the copy is not resampled twice).
  // the score itself compares at the result's own resolution (a cell per pixel), where detail the
  // result copy cannot hold does not count against it
  // (templates fixed for the whole refinement: it moves the box by a pixel or two at most)
  const scoring = templates.get(start.width, start.width / aspect)
  const scoreOf = (c: Candidate) => ncc(image, scoring, c.cx, c.cy, c.width, c.width / aspect)
  const first = { ...start, score: scoreOf(start) }
  let current = first
  const fitting = templates.atSourcePitch(start.width)
  for (let iteration = 0; iteration < 6; iteration++) {
    const step = gaussNewtonStep(image, fitting, current, aspect)
    if (!step) break
    current = { cx: current.cx + step.dx + step.dw / 2, cy: current.cy + step.dy + step.dw / aspect / 2, width: current.width + step.dw, score: 0 }
    if (Math.abs(step.dx) + Math.abs(step.dy) + Math.abs(step.dw) < 0.01) break
  }
  current.score = scoreOf(current)
  // a step that lands somewhere clearly worse means the linearisation did not hold: keep the search's answer
  return current.score >= first.score - 0.01 ? current : first
}

/**
 * One Gauss-Newton step for R(box(i, j)) ~ gain * T(i, j) + offset over the template's cells: the
 * change of the box's left, top and width (level-0 px), or undefined when the system is degenerate.
 * Cells within a pixel of the box's edge are left out: bilinear sampling reads them partly from
 * outside the box, where the surround is whatever the model drew, and they would pull the box smaller.
 */
function gaussNewtonStep(image: Grey, template: Template, c: Candidate, aspect: number): { dx: number; dy: number; dw: number } | undefined {
  const { width: tw, height: th, value: tv, weight: tWeight } = template
  const { width: iw, height: ih, value: img } = image
  const boxHeight = c.width / aspect
  const x0 = c.cx - c.width / 2
  const y0 = c.cy - boxHeight / 2
  const sx = c.width / tw
  const sy = boxHeight / th
  const n = tw * th
  const buffers = scratch.cells(n)
  const { r, gx, gy, use } = buffers
  const right = iw > 1 ? 1 : 0
  const down = ih > 1 ? iw : 0
  const spareX = tw * sx > 6
  const spareY = th * sy > 6
  // first pass: samples, the exact derivatives of the bilinear surface (with any other gradient the
  // steps settle where that gradient says, a few hundredths of a pixel off), gain and offset
  let sw = 0
  let st = 0
  let stt = 0
  let sr = 0
  let str = 0
  for (let j = 0; j < th; j++) {
    const v = y0 + (j + 0.5) * sy - 0.5
    const rowOut = v < -0.5 || v > ih - 0.5 || (spareY && ((j + 0.5) * sy < 1 || (th - j - 0.5) * sy < 1))
    const top = Math.max(0, Math.min(ih - 2, Math.floor(v)))
    const fy = Math.max(0, Math.min(1, v - top))
    for (let i = 0; i < tw; i++) {
      const k = j * tw + i
      const w = tWeight[k]
      const u = x0 + (i + 0.5) * sx - 0.5
      if (rowOut || w === 0 || u < -0.5 || u > iw - 0.5 || (spareX && ((i + 0.5) * sx < 1 || (tw - i - 0.5) * sx < 1))) {
        use[k] = 0
        continue
      }
      use[k] = 1
      const left = Math.max(0, Math.min(iw - 2, Math.floor(u)))
      const fx = Math.max(0, Math.min(1, u - left))
      const p = top * iw + left
      const a = img[p]
      const b = img[p + right]
      const cc = img[p + down]
      const d = img[p + down + right]
      const upper = a + (b - a) * fx
      const lower = cc + (d - cc) * fx
      const value = upper + (lower - upper) * fy
      r[k] = value
      gx[k] = right ? (b - a) * (1 - fy) + (d - cc) * fy : 0
      gy[k] = down ? lower - upper : 0
      const t = tv[k]
      sw += w
      st += w * t
      stt += w * t * t
      sr += w * value
      str += w * t * value
    }
  }
  const vt = stt - (st * st) / Math.max(sw, 1e-9)
  if (sw <= 0 || vt <= 0) return undefined
  const gain = (str - (st * sr) / sw) / vt
  const offset = (sr - gain * st) / sw
  // second pass: normal equations of [d left, d top, d width, d gain, d offset], upper triangle
  let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a04 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0
  let a22 = 0, a23 = 0, a24 = 0, a33 = 0, a34 = 0, a44 = 0
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0
  for (let j = 0; j < th; j++) {
    const fy = (j + 0.5) / th / aspect
    for (let i = 0; i < tw; i++) {
      const k = j * tw + i
      if (!use[k]) continue
      const w = tWeight[k]
      const j0 = gx[k]
      const j1 = gy[k]
      const j2 = j0 * ((i + 0.5) / tw) + j1 * fy
      const j3 = -tv[k]
      const e = gain * tv[k] + offset - r[k]
      const wj0 = w * j0
      const wj1 = w * j1
      const wj2 = w * j2
      const wj3 = w * j3
      a00 += wj0 * j0
      a01 += wj0 * j1
      a02 += wj0 * j2
      a03 += wj0 * j3
      a04 -= wj0
      a11 += wj1 * j1
      a12 += wj1 * j2
      a13 += wj1 * j3
      a14 -= wj1
      a22 += wj2 * j2
      a23 += wj2 * j3
      a24 -= wj2
      a33 += wj3 * j3
      a34 -= wj3
      a44 += w
      b0 += wj0 * e
      b1 += wj1 * e
      b2 += wj2 * e
      b3 += wj3 * e
      b4 -= w * e
    }
  }
  const A = Float64Array.from([
    a00, a01, a02, a03, a04,
    a01, a11, a12, a13, a14,
    a02, a12, a22, a23, a24,
    a03, a13, a23, a33, a34,
    a04, a14, a24, a34, a44
  ])
  const delta = solve(A, Float64Array.from([b0, b1, b2, b3, b4]), 5)
  if (!delta) return undefined
  // never jump further than a pixel in one step: outside that the linearisation means nothing
  const limit = (v: number, most: number) => Math.max(-most, Math.min(most, v))
  // the width may move the long side by a pixel at most (a 1 px wide box: a pixel of width is 300 px of height)
  return { dx: limit(delta[0], 1), dy: limit(delta[1], 1), dw: limit(delta[2], Math.min(1, aspect, c.width / 4)) }
}

/** Solves A x = b (n x n, symmetric positive semi-definite) by Gaussian elimination with pivoting. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const m = Float64Array.from(A)
  const x = Float64Array.from(b)
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row * n + col]) > Math.abs(m[pivot * n + col])) pivot = row
    if (Math.abs(m[pivot * n + col]) < 1e-9) return undefined
    if (pivot !== col) {
      for (let k = 0; k < n; k++) [m[col * n + k], m[pivot * n + k]] = [m[pivot * n + k], m[col * n + k]]
      ;[x[col], x[pivot]] = [x[pivot], x[col]]
    }
    for (let row = col + 1; row < n; row++) {
      const f = m[row * n + col] / m[col * n + col]
      for (let k = col; k < n; k++) m[row * n + k] -= f * m[col * n + k]
      x[row] -= f * x[col]
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let sum = x[row]
    for (let k = row + 1; k < n; k++) sum -= m[row * n + k] * x[k]
    x[row] = sum / m[row * n + row]
  }
  return x
}
