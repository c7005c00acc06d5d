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
import { greyPyramid, luminance, weightedLuminance, weightedStats } from './locate-source-grey'
import { judgeMatch, type SourceMatch } from './locate-source-judge'
import { FLAT_SOURCE_STD, detailScore, type Candidate } from './locate-source-ncc'
import { refine } from './locate-source-refine'
import { COARSE_EDGE, COARSE_KEEP, REFINED, bestDistinct, climb, coarseSearch } from './locate-source-search'
import { TemplateCache } from './locate-source-template'
import type { RgbaImage } from './rgba-image'

export { judgeMatch, MATCH_CHANCE_DETAIL, MATCH_MIN_CELLS, MATCH_MIN_DETAIL, type MatchVerdict, type SourceMatch } from './locate-source-judge'

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
 * Detail that settles a search around the expected box alone: the true place scores 0.88 or more on
 * 256 px copies, unrelated pictures 0.114 at most (`judgeMatch`), and a place that only overlaps the
 * source part way falls between; a host's other placements need no search then.
 */
export const SETTLED_DETAIL = 0.8

/**
 * Where `source` sits in `result`, searched around `expected` and, unless disabled or unless that
 * search settles it (SETTLED_DETAIL, judged a match), also around the placements of a host that
 * ignores the box (half the work when the host kept the box). Returns the best box whatever its
 * score; a flat or empty source returns `expected` with score 0 and the reason.
 */
export function locateSource(result: RgbaImage, source: RgbaImage, expected: Box, options: LocateOptions = {}): SourceMatch {
  const near = searchFrom(result, source, expected, { ...options, fallbacks: false })
  if (options.fallbacks === false || near.unmeasurable !== undefined) return near
  if (near.detail >= SETTLED_DETAIL && judgeMatch(near).matched) return near
  return searchFrom(result, source, expected, options)
}

function searchFrom(result: RgbaImage, source: RgbaImage, expected: Box, options: LocateOptions): SourceMatch {
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
