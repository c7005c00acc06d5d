// The search for a source in a result: exhaustive over position and scale on a coarse level of the
// pyramid, then a hill-climb of a pixel and a size step on each finer level.
import type { Box } from '../core/ratios'
import type { Grey } from './locate-source-grey'
import { ncc, type Candidate } from './locate-source-ncc'
import type { TemplateCache } from './locate-source-template'

/** The coarse search runs where a box's long side is about this many pixels. */
export const COARSE_EDGE = 24
/** Position searched around the fallback placements, as a share of the result's size. */
const FALLBACK_POSITION_RANGE = 0.05
/** Candidates the coarse search hands to the finer levels, and how many of them are refined. */
export const COARSE_KEEP = 4
export const REFINED = 3

/**
 * Exhaustive search on one level: for each starting box, every whole-pixel position within the range
 * and every size step within the scale range. Starting boxes that overlap share their evaluations.
 */
export function coarseSearch(
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
export function climb(image: Grey, level: number, start: Candidate, aspect: number, templates: TemplateCache, rounds = 4): Candidate {
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

/** The best `count` candidates, skipping any within `radius` px (and 3% of size) of a better one. */
export function bestDistinct(candidates: Candidate[], count: number, radius = 0.5): Candidate[] {
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
