// Finds where a source's content sits inside a hosted result. The model redraws the whole frame and
// may ignore, move or rescale the box it was given, so the box is measured, not trusted: the source is
// matched against the result by normalised cross-correlation (NCC) of luminance, weighted by the
// source's alpha, searched over position and scale with the source's aspect kept: exhaustively on a
// coarse level of a pyramid, by hill-climbing on each finer one, then below a pixel by Gauss-Newton
// (Lucas-Kanade with a gain and offset of brightness). Whether the place found is really the source is
// judged on detail (edges and texture), which an unrelated picture does not share: see `judgeMatch`.
//
// Conventions. Both images are SMALL copies (see `locateAnalysisEdges`). Boxes are in the pixels of
// the `result` copy as passed, continuous coordinates: pixel (i, j) covers [i, i+1) x [j, j+1), so a
// box {x: 0, width: result.width} is the whole width. Map them to full-size pixels with `scaleBox`.
import type { Box, Size } from '../core/ratios'
import { fitBox } from '../core/reframe-plan'
import type { RgbaImage } from './rgba-image'

/** Where the source was found and how well it matched. */
export type SourceMatch = {
  /** The source's box in result pixels (fractions allowed; may reach outside the result a little). */
  box: Box
  /**
   * Weighted NCC of luminance between the source and the result under `box`, -1..1 (1: identical up
   * to brightness and contrast). High for the true place, but also fairly high (up to 0.82 measured)
   * for any picture with the same broad light and dark areas, so it alone cannot say "this is the source".
   */
  score: number
  /**
   * The same NCC on detail: luminance minus its local mean (5 x 5 px), so that only edges and texture
   * count. Unrelated pictures score about 0 here (at most 0.114 measured on 256 px copies) while the
   * source redrawn (blurred, shifted, recoloured, JPEG) keeps 0.7-1. This is what `judgeMatch` relies on.
   */
  detail: number
  /**
   * How many result pixels the comparison covered (cells of the source's box inside the result,
   * weighted by the source's alpha). Chance correlation grows as this shrinks; `judgeMatch` asks more
   * of small boxes.
   */
  cells: number
  /**
   * Why the match cannot be measured: the source has no detail to find (flat colour, fully transparent,
   * smooth shading only) or the result copy is under 2 px a side. Score and detail are then 0.
   */
  unmeasurable?: 'flat-source' | 'too-small'
}

export type LocateOptions = {
  /**
   * The full-size pixels of both images. Small copies are rounded to whole pixels (451x300 becomes
   * 256x170, 2432x1024 becomes 256x108), which changes their aspect by up to a few tenths of a
   * percent: enough to bias the box by a few tenths of a pixel. With the full sizes, the box keeps the
   * source's true aspect as it appears in the result copy. Default: the copies' own sizes.
   */
  fullSize?: { source: Size; result: Size }
  /** Relative scale searched either side of the expected size (default 0.25: 75%..125%). */
  scaleRange?: number
  /** Position searched either side of each starting box, as a share of the result's size (default 0.15). */
  positionRange?: number
  /**
   * Also search around the placements a host that ignores the box would use: the source contained in
   * the frame at its centre, start and end (default true).
   */
  fallbacks?: boolean
}

/**
 * Long edge of the result copy to analyse. At 256 px a locate takes some 10-30 ms in Node (bench/
 * locate.bench.ts) and finds an honoured box within 0.05-0.1 px of the copy: under a pixel of a 2048 px
 * result (test/imaging/locate-source.test.ts).
 */
export const LOCATE_RESULT_EDGE = 256

/**
 * What size to ask the backend for (`ImageBackend.analysis(picture, maxEdge)`): the result at
 * LOCATE_RESULT_EDGE, and the source just large enough to cover its box in that copy at the largest
 * scale searched (a smaller copy would have to be stretched, a larger one is averaged down anyway).
 * `expected` is the planned box in full-size result pixels.
 */
export function locateAnalysisEdges(result: Size, source: Size, expected: Box): { result: number; source: number } {
  const resultScale = Math.min(1, LOCATE_RESULT_EDGE / Math.max(result.width, result.height))
  const boxEdge = Math.max(expected.width, expected.height) * resultScale * 1.25
  const sourceEdge = Math.max(source.width, source.height)
  return {
    result: Math.max(1, Math.round(Math.max(result.width, result.height) * resultScale)),
    source: Math.max(1, Math.min(sourceEdge, Math.ceil(boxEdge), LOCATE_RESULT_EDGE))
  }
}

/** A box measured in an image of size `from`, in the pixels of the same image at size `to` (per axis). */
export function scaleBox(box: Box, from: Size, to: Size): Box {
  const sx = to.width / from.width
  const sy = to.height / from.height
  return { x: box.x * sx, y: box.y * sy, width: box.width * sx, height: box.height * sy }
}

/**
 * How much `detail` confirms the source was found: at least MATCH_MIN_DETAIL, and more for small boxes,
 * where chance correlation is larger (MATCH_CHANCE_DETAIL / sqrt(cells)); under MATCH_MIN_CELLS there
 * is too little to tell. Measured with the fakes' own rendering (`npm run bench -- locate` prints the
 * table) on coffee, astronaut, rocket, chelsea, elephants and meadow at every native ratio, box honoured
 * ("exact"), redrawn ("degraded": blur 1.2 px, shift 3/2 px, x1.05 brighter and warmer, JPEG q85) and
 * ignored (centred at 95%), against unrelated results (noise clouds, and each photo looked for in
 * another photo's result):
 *   result copies of 256 px (what the product analyses), results at full, half and 1/8 native size:
 *     true place: detail >= 0.88 / 0.90 / 0.68 (at 1/8 the redraw's blur is 1.2 px of a 256 px frame,
 *     far harsher than a model's); unrelated: detail <= 0.114. Luminance NCC is no judge: unrelated
 *     photos with a bright sky over a dark ground reach 0.83 there, against >= 0.93 for the true place.
 *   thumbnail results of 24-128 px (1008 cases): unrelated detail reaches 1.0 under 50 cells, 0.55
 *     under 100, 0.46 under 200, 0.36 under 400, 0.29 under 800, 0.20 under 1600; at most
 *     8.1 / sqrt(cells) everywhere; the true place is at least 0.44 from 200 cells up.
 * With a floor of 200 cells, 0.4 and 7 / sqrt(cells) no case of either kind is judged wrong; at 256 px
 * boxes have thousands of cells and 0.4 sits 0.29 above the worst unrelated case and 0.28 below the
 * harshest true one.
 */
export const MATCH_MIN_DETAIL = 0.4
export const MATCH_CHANCE_DETAIL = 7
export const MATCH_MIN_CELLS = 200

export type MatchVerdict = { matched: true } | { matched: false; reason: 'different-content' | 'flat-source' | 'too-small' }

/**
 * Whether a located box can be trusted for compositing. No match means the model changed the content,
 * or there is nothing to measure (a flat source, a thumbnail): keep the model's result and flag it.
 */
export function judgeMatch(match: SourceMatch): MatchVerdict {
  if (match.unmeasurable) return { matched: false, reason: match.unmeasurable }
  if (match.cells < MATCH_MIN_CELLS) return { matched: false, reason: 'too-small' }
  const needed = Math.max(MATCH_MIN_DETAIL, MATCH_CHANCE_DETAIL / Math.sqrt(match.cells))
  return match.detail >= needed ? { matched: true } : { matched: false, reason: 'different-content' }
}

/**
 * Below this weighted standard deviation of luminance (0..255) a source has no detail to correlate:
 * a flat colour plus JPEG noise. NCC would then correlate noise and could report a high score anywhere.
 */
const FLAT_SOURCE_STD = 2
/** Below this standard deviation of detail (0..255 luma) a source has only smooth shading to offer. */
const DETAIL_MIN_STD = 0.75
/** A result region flatter than this cannot confirm a source either (only its noise would correlate). */
const FLAT_REGION_STD = 1
/** Candidates must have at least this share of the source's weight inside the result. */
const MIN_INSIDE = 0.6
/** The coarse search runs where a box's long side is about this many pixels. */
const COARSE_EDGE = 24
/** Position searched around the fallback placements, as a share of the result's size. */
const FALLBACK_POSITION_RANGE = 0.05
/** Candidates the coarse search hands to the finer levels, and how many of them are refined. */
const COARSE_KEEP = 4
const REFINED = 3

type Grey = { width: number; height: number; value: Float32Array }
type WeightedGrey = Grey & { weight: Float32Array }
type Template = {
  width: number
  height: number
  value: Float32Array
  weight: Float32Array
  /** Every weight is 1 (no transparency), with the sums a fully inside box then needs. */
  opaque?: { sum: number; sumSquares: number }
}
/** A candidate: centre and width in level-0 result pixels; height follows from the aspect. */
type Candidate = { cx: number; cy: number; width: number; score: number }

/**
 * Where `source` sits in `result`, searched around `expected` (and, unless disabled, around the
 * placements of a host that ignores the box). Returns the best box whatever its score; a flat or
 * empty source returns `expected` with score 0 and the reason.
 */
export function locateSource(result: RgbaImage, source: RgbaImage, expected: Box, options: LocateOptions = {}): SourceMatch {
  const aspect = aspectInResult(result, source, options.fullSize)
  const scaleRange = options.scaleRange ?? 0.25
  const positionRange = options.positionRange ?? 0.15
  const src = weightedLuminance(source)
  const stats = weightedStats(src.value, src.weight)
  const none = (unmeasurable: SourceMatch['unmeasurable']): SourceMatch => ({ box: expected, score: 0, detail: 0, cells: 0, unmeasurable })
  if (result.width < 2 || result.height < 2) return none('too-small')
  // fully transparent counts as flat: there is nothing of it to see in any result
  if (stats.weight < 1 || stats.std < FLAT_SOURCE_STD) return none('flat-source')

  const pyramid = greyPyramid(luminance(result))
  const templates = new TemplateCache(src)
  const anchors = startingBoxes(expected, aspect, result, options.fallbacks ?? true)

  // coarse: every position and size around every starting box, on the level where boxes are 12-24 px
  // long, but never where their short side would shrink under a pixel (a 1 px wide source would
  // dissolve into its surround there)
  const longest = Math.max(...anchors.map((a) => Math.max(a.width, a.width / aspect)))
  const shortest = Math.min(...anchors.map((a) => Math.min(a.width, a.width / aspect)))
  const byLong = Math.ceil(Math.log2(longest / COARSE_EDGE))
  const byShort = Math.floor(Math.log2(Math.max(1, shortest)))
  const coarsest = Math.min(pyramid.length - 1, Math.max(0, Math.min(byLong, byShort)))
  let candidates = coarseSearch(pyramid[coarsest], coarsest, anchors, aspect, templates, scaleRange, positionRange)

  // finer levels: a climb of a pixel and a size step per level. Several candidates go on, since a
  // blurred copy of the source at another scale (a blur-pad surround) can win on the coarse levels;
  // those far behind the leader are dropped, as a level moves a score by hundredths, not tenths.
  const close = (list: Candidate[], margin: number) => list.filter((c) => c.score >= (list[0]?.score ?? 0) - margin)
  for (let level = coarsest - 1; level >= 1; level--) {
    candidates = bestDistinct(
      close(candidates, 0.15).map((c) => climb(pyramid[level], level, c, aspect, templates)),
      COARSE_KEEP
    )
  }
  // a whole-pixel climb on the finest level before Gauss-Newton, which only finds the nearest optimum:
  // repetitive detail (a gantry, a fence) has local optima a pixel or two apart
  const climbed = bestDistinct(
    close(candidates.slice(0, REFINED), 0.1).map((c) => climb(pyramid[0], 0, c, aspect, templates, 2)),
    REFINED,
    1.5
  )
  const refined = close(climbed, 0.05).map((c) => refine(pyramid[0], c, aspect, templates))
  const best = refined.reduce((a, b) => (b.score > a.score ? b : a), refined[0] ?? { cx: 0, cy: 0, width: 1, score: 0 })
  const height = best.width / aspect
  const box = { x: best.cx - best.width / 2, y: best.cy - height / 2, width: best.width, height }
  const detail = detailScore(pyramid[0], templates.get(best.width, height), best, aspect)
  if (detail === undefined) return { ...none('flat-source'), box }
  return { box, score: clampScore(best.score), detail: clampScore(detail.detail), cells: detail.cells }
}

function clampScore(value: number): number {
  return Number.isFinite(value) ? Math.max(-1, Math.min(1, value)) : 0
}

/** The source's width / height as it appears in the result copy's pixels. */
function aspectInResult(result: Size, source: Size, full?: { source: Size; result: Size }): number {
  if (!full) return source.width / source.height
  const squeeze = (result.width / full.result.width) / (result.height / full.result.height)
  return (full.source.width / full.source.height) * squeeze
}

/** The expected box (reshaped to the source's aspect) and, optionally, the contained fits of the frame. */
function startingBoxes(expected: Box, aspect: number, result: Size, fallbacks: boolean): Box[] {
  // a box of another shape (rounded, or the caller's whole frame) holds the source contained in it
  const inner = fitBox({ width: expected.width, height: expected.height }, aspect, 'center')
  const boxes: Box[] = [{ ...inner, x: expected.x + inner.x, y: expected.y + inner.y }]
  if (fallbacks) {
    for (const placement of ['center', 'start', 'end'] as const) {
      const fit = fitBox(result, aspect, placement)
      const near = boxes.some(
        (b) => Math.abs(b.x - fit.x) < 0.05 * result.width && Math.abs(b.y - fit.y) < 0.05 * result.height && Math.abs(b.width / fit.width - 1) < 0.05
      )
      if (!near) boxes.push(fit)
    }
  }
  return boxes
}

/**
 * Exhaustive search on one level: for each starting box, every whole-pixel position within the range
 * and every size step within the scale range. Starting boxes that overlap share their evaluations.
 */
function coarseSearch(
  image: Grey,
  level: number,
  anchors: Box[],
  aspect: number,
  templates: TemplateCache,
  scaleRange: number,
  positionRange: number
): Candidate[] {
  const k = 2 ** level
  const best = new BestCandidates(8 * COARSE_KEEP)
  const seen = new Set<number>()
  for (const [index, anchor] of anchors.entries()) {
    // the expected box gets the whole range (a host may move the content); the fallbacks are where a
    // host that ignores the box puts the source by itself, so a little room around them is enough
    const range = index === 0 ? positionRange : Math.min(positionRange, FALLBACK_POSITION_RANGE)
    const rx = Math.ceil(range * image.width)
    const ry = Math.ceil(range * image.height)
    const width = anchor.width / k
    const long = Math.max(width, width / aspect)
    const template = templates.get(width, width / aspect)
    // whole pixels, so that overlapping anchors land on the same grid
    const cx = Math.round((anchor.x + anchor.width / 2) / k)
    const cy = Math.round((anchor.y + anchor.width / aspect / 2) / k)
    // a size step moves the box's far edges by about a pixel; the climbs below take the finer steps
    const scaleStep = Math.max(0.02, Math.min(0.06, 2 / Math.max(1, long)))
    const steps = Math.ceil(scaleRange / scaleStep)
    for (let s = -steps; s <= steps; s++) {
      const w = width * (1 + s * scaleStep)
      // half pixels of the long side: two anchors' sizes that close are the same size
      const sizeKey = Math.round(w * Math.max(1, 1 / aspect) * 2)
      for (let y = cy - ry; y <= cy + ry; y++) {
        for (let x = cx - rx; x <= cx + rx; x++) {
          const key = (sizeKey * 8192 + (x + 4096)) * 8192 + (y + 4096)
          if (seen.has(key)) continue
          seen.add(key)
          const score = ncc(image, template, x, y, w, w / aspect)
          best.offer(x * k, y * k, w * k, score)
        }
      }
    }
  }
  return bestDistinct(best.list(), COARSE_KEEP, 2 * k)
}

/** The highest-scoring candidates seen, without keeping every one of the thousands evaluated. */
class BestCandidates {
  private readonly items: Candidate[] = []
  constructor(private readonly size: number) {}

  offer(cx: number, cy: number, width: number, score: number): void {
    const items = this.items
    if (items.length === this.size && score <= items[items.length - 1].score) return
    let i = items.length
    while (i > 0 && items[i - 1].score < score) i--
    items.splice(i, 0, { cx, cy, width, score })
    if (items.length > this.size) items.pop()
  }

  list(): Candidate[] {
    return this.items
  }
}

/** Hill-climbs one candidate on a level: steps of a pixel in x and y and of a pixel of the long side. */
function climb(image: Grey, level: number, start: Candidate, aspect: number, templates: TemplateCache, rounds = 4): Candidate {
  const k = 2 ** level
  // one template for the whole climb: a pixel more or less of width changes the cells by under 1%
  const template = templates.get(start.width / k, start.width / k / aspect)
  const scoreOf = (c: Candidate) => ncc(image, template, c.cx / k, c.cy / k, c.width / k, c.width / k / aspect)
  // size steps move the box's long side by a pixel (for a 1 px wide source, a pixel of width would double it)
  const sizeUnit = Math.min(1, aspect) * k
  let best = { ...start, score: scoreOf(start) }
  for (let round = 0; round < rounds; round++) {
    let moved = false
    for (const [dx, dy, dw] of NEIGHBOURS) {
      const next = { cx: best.cx + dx * k, cy: best.cy + dy * k, width: best.width + dw * sizeUnit, score: 0 }
      if (next.width <= sizeUnit) continue
      next.score = scoreOf(next)
      if (next.score > best.score) {
        best = next
        moved = true
      }
    }
    if (!moved) break
  }
  return best
}

const NEIGHBOURS: [number, number, number][] = [
  [-1, 0, 0],
  [1, 0, 0],
  [0, -1, 0],
  [0, 1, 0],
  [0, 0, -1],
  [0, 0, 1],
  [0, 0, -2],
  [0, 0, 2]
]

/**
 * Below a pixel on the finest level: Gauss-Newton on the least-squares form of NCC (Lucas-Kanade),
 * fitting the box (x, y, width) together with a gain and an offset of brightness, so that a recoloured
 * redraw fits as well as an exact one. A parabola per parameter instead leaves a bias of a few tenths
 * of a pixel where position and size are correlated; this converges to a few hundredths.
 */
function refine(image: Grey, start: Candidate, aspect: number, templates: TemplateCache): Candidate {
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

/** The best `count` candidates, skipping any within `radius` px (and 3% of size) of a better one. */
function bestDistinct(candidates: Candidate[], count: number, radius = 0.5): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score)
  const kept: Candidate[] = []
  for (const c of sorted) {
    if (kept.length >= count) break
    const duplicate = kept.some(
      (k) => Math.abs(k.cx - c.cx) <= radius && Math.abs(k.cy - c.cy) <= radius && Math.abs(k.width / c.width - 1) < 0.03
    )
    if (!duplicate) kept.push(c)
  }
  return kept
}

/**
 * Weighted NCC between the template and the image sampled (bilinear) at the template's cell centres
 * spread over the box centred on (cx, cy). Cells outside the image do not count; a box mostly outside,
 * or over a region with no detail, scores -1 or 0 rather than a number that means nothing.
 */
function ncc(image: Grey, template: Template, cx: number, cy: number, boxWidth: number, boxHeight: number): number {
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
function nccInside(image: Grey, template: Template, sums: { sum: number; sumSquares: number }, cols: { index: Int32Array; frac: Float32Array }, y0: number, sy: number): number {
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
function detailScore(image: Grey, template: Template, c: Candidate, aspect: number): { detail: number; cells: number } | undefined {
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

function bilinear(field: Float32Array, p: number, width: number, height: number, fx: number, fy: number): number {
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

/** Reused buffers, so that the thousands of evaluations of a search allocate nothing. */
const scratch = {
  index: new Int32Array(0),
  frac: new Float32Array(0),
  r: new Float32Array(0),
  gx: new Float32Array(0),
  gy: new Float32Array(0),
  use: new Uint8Array(0),
  columns(count: number) {
    if (this.index.length < count) {
      this.index = new Int32Array(count)
      this.frac = new Float32Array(count)
    }
    return this
  },
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

/** Source templates by cell grid size: the source area-averaged onto a grid as large as the box. */
class TemplateCache {
  private readonly cache = new Map<string, Template>()
  private native?: Template
  /** The source copy halved again and again, so a small template is averaged from a small level. */
  private readonly levels: WeightedGrey[]
  constructor(private readonly source: WeightedGrey) {
    this.levels = weightedPyramid(source)
  }

  /**
   * The source copy itself as the template, unless it is more than twice as fine as the box (then
   * averaged down to twice the box), so that cells never line up one-to-one with result pixels.
   */
  atSourcePitch(boxWidth: number): Template {
    const boxLong = Math.max(boxWidth, (boxWidth * this.source.height) / this.source.width)
    if (Math.max(this.source.width, this.source.height) <= 2 * boxLong) {
      this.native ??= withEdgeWeights({ width: this.source.width, height: this.source.height, value: this.source.value, weight: this.source.weight })
      return this.native
    }
    const scale = (2 * boxWidth) / this.source.width
    return this.get(2 * boxWidth, this.source.height * scale)
  }

  get(boxWidth: number, boxHeight: number): Template {
    // never finer than the source copy itself: stretching it would invent detail
    const width = Math.max(1, Math.min(this.source.width, Math.round(boxWidth)))
    const height = Math.max(1, Math.min(this.source.height, Math.round(boxHeight)))
    const key = `${width}x${height}`
    let template = this.cache.get(key)
    if (!template) {
      const from = [...this.levels].reverse().find((level) => level.width >= width && level.height >= height) ?? this.source
      template = withEdgeWeights(areaAverage(from, width, height))
      this.cache.set(key, template)
    }
    return template
  }
}

/**
 * Templates are finished here. An opaque one gets its sums (for `nccInside`). A transparent source's
 * cells next to transparency lose their weight (3 x 3 minimum): in the result
 * those pixels are blended with whatever the model drew behind them, so they would only disagree. Kept
 * as is when there is no transparency, or when so little would be left that the source is all edges.
 */
function withEdgeWeights(template: Template): Template {
  const { width, height, weight } = template
  if (weight.every((w) => w >= 1)) {
    let sum = 0
    let sumSquares = 0
    for (const v of template.value) {
      sum += v
      sumSquares += v * v
    }
    return { ...template, opaque: { sum, sumSquares } }
  }
  const spanX = width >= 5 ? 1 : 0
  const spanY = height >= 5 ? 1 : 0
  const eroded = new Float32Array(weight.length)
  let before = 0
  let after = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let least = weight[y * width + x]
      for (let dy = -spanY; dy <= spanY; dy++) {
        const yy = Math.max(0, Math.min(height - 1, y + dy))
        for (let dx = -spanX; dx <= spanX; dx++) {
          least = Math.min(least, weight[yy * width + Math.max(0, Math.min(width - 1, x + dx))])
        }
      }
      eroded[y * width + x] = least
      before += weight[y * width + x]
      after += least
    }
  }
  return after >= 0.3 * before ? { ...template, weight: eroded } : template
}

/** Rec. 601 luma (what JPEG stores), 0..255; alpha ignored (results are opaque). */
function luminance(image: RgbaImage): Grey {
  const value = new Float32Array(image.width * image.height)
  const d = image.data
  for (let p = 0, i = 0; p < value.length; p++, i += 4) value[p] = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]
  return { width: image.width, height: image.height, value }
}

/** Luma and a weight per pixel: the source's alpha, so that transparent pixels (colour undefined) never count. */
function weightedLuminance(image: RgbaImage): WeightedGrey {
  const grey = luminance(image)
  const weight = new Float32Array(grey.value.length)
  for (let p = 0; p < weight.length; p++) weight[p] = image.data[p * 4 + 3] / 255
  return { ...grey, weight }
}

function weightedStats(value: Float32Array, weight: Float32Array): { weight: number; std: number } {
  let sw = 0
  let s = 0
  let ss = 0
  for (let i = 0; i < value.length; i++) {
    const w = weight[i]
    sw += w
    s += w * value[i]
    ss += w * value[i] * value[i]
  }
  if (sw <= 0) return { weight: 0, std: 0 }
  return { weight: sw, std: Math.sqrt(Math.max(0, ss / sw - (s / sw) ** 2)) }
}

/** Halves a weighted image (alpha-weighted 2x2 means) while it stays at least 8 px a side. */
function weightedPyramid(base: WeightedGrey): WeightedGrey[] {
  const levels = [base]
  for (;;) {
    const last = levels[levels.length - 1]
    const width = Math.floor(last.width / 2)
    const height = Math.floor(last.height / 2)
    if (width < 8 || height < 8) return levels
    const value = new Float32Array(width * height)
    const weight = new Float32Array(width * height)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v = 0
        let w = 0
        for (const p of [2 * y * last.width + 2 * x, 2 * y * last.width + 2 * x + 1, (2 * y + 1) * last.width + 2 * x, (2 * y + 1) * last.width + 2 * x + 1]) {
          v += last.value[p] * last.weight[p]
          w += last.weight[p]
        }
        value[y * width + x] = w > 0 ? v / w : 0
        weight[y * width + x] = w / 4
      }
    }
    levels.push({ width, height, value, weight })
  }
}

/** Halves the image (2x2 means) until the next level would be under 8 px a side. */
function greyPyramid(base: Grey): Grey[] {
  const levels = [base]
  for (;;) {
    const last = levels[levels.length - 1]
    const width = Math.floor(last.width / 2)
    const height = Math.floor(last.height / 2)
    if (width < 8 || height < 8) return levels
    const value = new Float32Array(width * height)
    const v = last.value
    const w0 = last.width
    for (let y = 0; y < height; y++) {
      const a = 2 * y * w0
      const b = a + w0
      for (let x = 0; x < width; x++) {
        value[y * width + x] = (v[a + 2 * x] + v[a + 2 * x + 1] + v[b + 2 * x] + v[b + 2 * x + 1]) / 4
      }
    }
    levels.push({ width, height, value })
  }
}

/** Area average onto width x height, weighting each pixel's luma by its weight (alpha). */
function areaAverage(source: WeightedGrey, width: number, height: number): Template {
  const xs = axisCoverage(source.width, width)
  const ys = axisCoverage(source.height, height)
  // horizontal pass: weighted luma and weight per source row and output column
  const rowsV = new Float32Array(source.height * width)
  const rowsW = new Float32Array(source.height * width)
  for (let y = 0; y < source.height; y++) {
    const base = y * source.width
    for (let x = 0; x < width; x++) {
      let v = 0
      let w = 0
      for (let k = xs.start[x]; k < xs.start[x + 1]; k++) {
        const share = xs.share[k]
        const p = base + xs.pixel[k]
        const pw = source.weight[p] * share
        v += source.value[p] * pw
        w += pw
      }
      rowsV[y * width + x] = v
      rowsW[y * width + x] = w
    }
  }
  const value = new Float32Array(width * height)
  const weight = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0
      let w = 0
      for (let k = ys.start[y]; k < ys.start[y + 1]; k++) {
        const share = ys.share[k]
        const p = ys.pixel[k] * width + x
        v += rowsV[p] * share
        w += rowsW[p] * share
      }
      const o = y * width + x
      value[o] = w > 0 ? v / w : 0
      // a cell's weight: its mean alpha, so half-transparent cells count half
      weight[o] = w / ys.total[y] / xs.total[x]
    }
  }
  return { width, height, value, weight }
}

/** For each output cell of an axis, the source pixels it covers and by how much (in source pixels). */
function axisCoverage(sourceSize: number, size: number): { start: Int32Array; pixel: Int32Array; share: Float32Array; total: Float32Array } {
  const scale = sourceSize / size
  const start = new Int32Array(size + 1)
  const pixels: number[] = []
  const shares: number[] = []
  const total = new Float32Array(size)
  for (let i = 0; i < size; i++) {
    start[i] = pixels.length
    const from = i * scale
    const to = from + scale
    const lo = Math.min(sourceSize - 1, Math.floor(from))
    const hi = Math.max(lo, Math.min(sourceSize - 1, Math.ceil(to) - 1))
    for (let s = lo; s <= hi; s++) {
      const share = Math.max(0, Math.min(to, s + 1) - Math.max(from, s))
      if (share <= 0 && hi > lo) continue
      pixels.push(s)
      shares.push(share > 0 ? share : 1)
      total[i] += share > 0 ? share : 1
    }
  }
  start[size] = pixels.length
  return { start, pixel: Int32Array.from(pixels), share: Float32Array.from(shares), total }
}
