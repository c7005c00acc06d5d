// Smart crop as a recipe: the chosen window's own pixels at the plan's output size (the window itself,
// or smaller when the 4096 px cap shrinks it; never enlarged).
import type { Box, Size } from '../core/ratios'
import type { RenderRecipe } from './render-recipe'

/**
 * The window `box` (whole source pixels) drawn at `output` (the reframe plan's: a 225x400 window of a
 * 600x400 photo gives a 225x400 image, not one scaled up to the frame a designer might place it in).
 */
export function cropRecipe(box: Box, output: Size, format: RenderRecipe['format']): RenderRecipe {
  return {
    width: output.width,
    height: output.height,
    layers: [{ picture: 'source', from: box, to: { x: 0, y: 0, width: output.width, height: output.height } }],
    format
  }
}
