// Smart crop as a recipe: the chosen window's own pixels, never enlarged, shrunk only to the output cap.
import type { Box, RatioId } from '../core/ratios'
import { capLongEdge, MAX_OUTPUT_EDGE } from './frame-geometry'
import type { RenderRecipe } from './render-recipe'

/**
 * The window `box` (whole source pixels, of `ratio`) as an output: the same size, or both sides shrunk
 * together when its long edge is over `maxEdge`. A 225x400 window of a 600x400 photo gives a 225x400
 * image, not one scaled up to the frame a designer might place it in.
 */
export function cropRecipe(box: Box, ratio: RatioId, format: RenderRecipe['format'], maxEdge = MAX_OUTPUT_EDGE): RenderRecipe {
  const size = capLongEdge(box, ratio, maxEdge)
  return {
    width: size.width,
    height: size.height,
    layers: [{ picture: 'source', from: box, to: { x: 0, y: 0, width: size.width, height: size.height } }],
    format
  }
}
