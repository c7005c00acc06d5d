// Whether the place locateSource found is really the source: judged on detail (edges and texture),
// which an unrelated picture does not share. What a match is, and the verdict drawn from it.
import type { Box } from '../core/ratios'

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
