// The original's own pixels pasted back over a hosted result, described as a RenderRecipe: the result
// (or the part of it a preset keeps) fills the output, and the source is drawn over the place where
// locateSource found it, and the generated surround beyond its edges that lie inside the output is
// matched in colour to the original, fading out over a band, so the two meet without a step. Pure: a
// backend draws it.
//
// Coordinates. Three pixel grids, continuous (pixel i covers [i, i+1)):
// - result pixels: the decoded hosted result, full size (not the small copy it was located on: map
//   boxes found on the copy with scaleBox first). `crop` and `located` are in these.
// - output pixels: the image the recipe draws. The crop region maps onto the whole output, each axis
//   scaled on its own (output.width / crop.width, output.height / crop.height).
// - source pixels: the decoded source, drawn whole.
// A box of the source in the output may be fractional; it is snapped to whole pixels when the host kept
// the planned box (or the source's own size), so that an honoured box gives the original pixel for pixel.
import type { Box, Size } from '../core/ratios'
import type { Edge, Layer, RenderRecipe } from './render-recipe'

/**
 * The seam. The source region is the original's own pixels up to its edge: no feather inside it by
 * default, since a feather there mixes the model's redraw (blurred, shifted, recoloured) into the
 * original. What shows at a seam is the colour step between the original and what the model drew
 * around it, so outside the edge a band of the generated surround (SEAM_SHARE of the box's short side,
 * at least MIN_SEAM output px) is shifted in colour to meet the original (`Layer.match`), fading out
 * across the band; the surround keeps its detail. Measured (bench/fidelity.bench.ts): a 3% feather
 * inside left the step where it was and cost SSIM 0.3-1.4% of the source region; a 3% match band still
 * showed a ramp (a 20-level step over 10 px); 10% spreads it below the picture's own gradients.
 */
export const SEAM_SHARE = 0.1
export const MIN_SEAM = 4
/**
 * JPEG quality of a composite. The original lands on the output's 8 px block grid wherever the model
 * drew it, not on the grid it was compressed on, so re-encoding it loses more than a re-encode in place:
 * on the fixture JPEGs, SSIM of the source region 0.980-0.989 at q92, 0.991-0.992 at q95, 0.994-0.996
 * at q97, for files about 1.3x-1.5x those at q92 (aligned, q92 already gives 0.995-1.0).
 */
export const COMPOSITE_JPEG_QUALITY = 0.97

export type CompositePlan = {
  /** Output pixels: the reframe plan's (the source's own density, or a preset's exact pixels). */
  output: Size
  /** The hosted result's pixel size. */
  result: Size
  /** The region of the result that becomes the whole output (a preset cut from a wider native result). Default: all of it. */
  crop?: Box
  /** Where the source's content sits in the result (result pixels), from locateSource via scaleBox. */
  located: Box
  /** The source's pixel size. */
  source: Size
  /**
   * Where the source goes in the output if the host honoured the box it was sent (output pixels): the
   * reframe plan's `sourceBox`. A located box within `snapTolerance` of it on every edge is drawn
   * exactly there, in whole pixels.
   */
  planned?: Box
  /**
   * How close (output pixels) counts as "the same box". Default: half an output pixel, or 0.75 of a
   * result pixel where output pixels are finer: locateSource finds an honoured box within 0.52 result
   * px at full size (measured), while a host that moved the content did so by whole pixels or more.
   */
  snapTolerance?: number
  /** Feather width inside the source's edges, output px (default none: see SEAM_SHARE). */
  feather?: number
  /** Width of the colour-matched band outside the source (output px). Default: SEAM_SHARE of the short side, at least MIN_SEAM; 0 for none. */
  seam?: number
  format: RenderRecipe['format']
}

/** A box in result pixels, in output pixels (the crop spread over the output, axis by axis). */
export function resultBoxInOutput(box: Box, crop: Box, output: Size): Box {
  const sx = output.width / crop.width
  const sy = output.height / crop.height
  return { x: (box.x - crop.x) * sx, y: (box.y - crop.y) * sy, width: box.width * sx, height: box.height * sy }
}

/** The result alone (no match, or nothing to composite): the crop spread over the whole output. */
export function resultOnlyRecipe(plan: { output: Size; result: Size; crop?: Box; format: RenderRecipe['format'] }): RenderRecipe {
  return { width: plan.output.width, height: plan.output.height, layers: [resultLayer(plan)], format: plan.format }
}

/** The result with the source composited over its located box, feathered on the edges inside the output. */
export function compositeRecipe(plan: CompositePlan): RenderRecipe {
  const crop = plan.crop ?? { x: 0, y: 0, width: plan.result.width, height: plan.result.height }
  const outputPerResult = Math.max(plan.output.width / crop.width, plan.output.height / crop.height)
  const tolerance = plan.snapTolerance ?? Math.max(0.5, 0.75 * outputPerResult)
  const to = snapped(resultBoxInOutput(plan.located, crop, plan.output), plan.source, plan.planned, tolerance)
  const feather = plan.feather ?? 0
  const seam = plan.seam ?? seamWidth(to)
  const edges = innerEdges(to, plan.output)
  const source: Layer = {
    picture: 'source',
    from: { x: 0, y: 0, width: plan.source.width, height: plan.source.height },
    to,
    // never more than half the box: the middle keeps full opacity
    ...(edges.length > 0 && feather > 0 ? { feather: { width: Math.min(feather, to.width / 2, to.height / 2), edges } } : {}),
    ...(edges.length > 0 && seam > 0 ? { match: { width: seam, edges, fringe: seamFringe(outputPerResult) } } : {})
  }
  return {
    width: plan.output.width,
    height: plan.output.height,
    layers: [resultLayer({ ...plan, crop }), source],
    format: plan.format,
    ...(plan.format === 'jpeg' ? { quality: COMPOSITE_JPEG_QUALITY } : {})
  }
}

/**
 * Output pixels next to the source's edge where the model's own redraw of the source may still show
 * past the original (blurred, a fraction of a result pixel off): two result pixels, at least two
 * output pixels. Measured on the fake's degraded redraw: a bright 1-2 px line there otherwise.
 */
export function seamFringe(outputPerResult: number): number {
  return Math.ceil(2 * Math.max(1, outputPerResult))
}

/** The default width of the colour-matched band outside a source drawn in `box` (output px). */
export function seamWidth(box: Size): number {
  return Math.max(MIN_SEAM, SEAM_SHARE * Math.min(box.width, box.height))
}

function resultLayer(plan: { output: Size; result: Size; crop?: Box }): Layer {
  return {
    picture: 'result',
    from: plan.crop ?? { x: 0, y: 0, width: plan.result.width, height: plan.result.height },
    to: { x: 0, y: 0, width: plan.output.width, height: plan.output.height }
  }
}

/**
 * The source's box in whole output pixels when the host kept the plan (the planned box) or the
 * source's own size (drawn 1:1 at the nearest whole position: the original pixel for pixel, moved by
 * under half a pixel; a planned box rounded a pixel off the source's size counts as its size);
 * otherwise as located, fractions and all.
 */
function snapped(located: Box, source: Size, planned: Box | undefined, tolerance: number): Box {
  const kept = planned !== undefined && edgesWithin(located, planned, tolerance)
  const box = kept ? planned : located
  const sizeSlack = kept ? Math.max(1, tolerance) : tolerance
  if (Math.abs(box.width - source.width) <= sizeSlack && Math.abs(box.height - source.height) <= sizeSlack) {
    // (+ 0: no -0 from rounding a box that hangs a fraction over the top or left)
    const x = Math.round(box.x + (box.width - source.width) / 2) + 0
    const y = Math.round(box.y + (box.height - source.height) / 2) + 0
    return { x, y, width: source.width, height: source.height }
  }
  if (!kept) return located
  const x = Math.round(box.x) + 0
  const y = Math.round(box.y) + 0
  return { x, y, width: Math.round(box.x + box.width) - x, height: Math.round(box.y + box.height) - y }
}

function edgesWithin(a: Box, b: Box, tolerance: number): boolean {
  return (
    Math.abs(a.x - b.x) <= tolerance &&
    Math.abs(a.y - b.y) <= tolerance &&
    Math.abs(a.x + a.width - b.x - b.width) <= tolerance &&
    Math.abs(a.y + a.height - b.y - b.height) <= tolerance
  )
}

/**
 * The edges of the box that lie inside the output: only there does the original meet generated
 * pixels. An edge on the output's border (within half a pixel) or beyond it gets no feather, or the
 * original would fade into nothing there.
 */
function innerEdges(box: Box, output: Size): Edge[] {
  const margin = 0.5
  const edges: Edge[] = []
  if (box.y > margin) edges.push('top')
  if (box.x + box.width < output.width - margin) edges.push('right')
  if (box.y + box.height < output.height - margin) edges.push('bottom')
  if (box.x > margin) edges.push('left')
  return edges
}
