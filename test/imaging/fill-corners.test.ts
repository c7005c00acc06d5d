// A fill frame wider and taller than the photo (exact pixels: the story's safe area) has margins on all
// four sides. Where a side strip meets a top or bottom one, the corner must continue the photo too,
// not show a notch of the darker backdrop between the two strips.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { Box } from '../../src/core/ratios'
import { nodeBackend } from '../../src/imaging/backend-node'
import { fillRecipeAt } from '../../src/imaging/fill-recipe'
import { decodeRgba, type Pixels } from './image-compare'

const COLOUR = [200, 120, 60]

function rgbAt(image: Pixels, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4
  return Array.from(image.data.subarray(i, i + 3))
}

function farthestChannel(rgb: number[]): number {
  return Math.max(...rgb.map((value, channel) => Math.abs(value - COLOUR[channel])))
}

describe('fill with margins on all four sides', () => {
  it('joins the strips at every corner with the photo mirrored, in both fill styles', async () => {
    // a photo of one colour: any pixel of the frame that shows the photo or its reflection has that colour;
    // the backdrop behind is darkened (0.7-0.75), some 50 levels off in red
    const bytes = new Uint8Array(await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: COLOUR[0], g: COLOUR[1], b: COLOUR[2] } } }).png().toBuffer())
    const picture = await nodeBackend.decode(bytes)
    const frame = { width: 540, height: 960 }
    const placed: Box = { x: 20, y: 330, width: 500, height: 375 }
    for (const style of ['blur', 'edge'] as const) {
      const out = await decodeRgba((await nodeBackend.render(fillRecipeAt(picture, frame, placed, { style, format: 'png' }), { source: picture })).bytes)
      const corners = [
        [placed.x - 3, placed.y - 3],
        [placed.x + placed.width + 2, placed.y - 3],
        [placed.x - 3, placed.y + placed.height + 2],
        [placed.x + placed.width + 2, placed.y + placed.height + 2]
      ]
      for (const [x, y] of corners) {
        // beside the strips at the same distance from the seam, for reference: the strips continue the photo
        expect(farthestChannel(rgbAt(out, x, placed.y + 40)), `${style} strip beside (${x}, ${y})`).toBeLessThanOrEqual(12)
        expect(farthestChannel(rgbAt(out, x, y)), `${style} corner (${x}, ${y})`).toBeLessThanOrEqual(12)
      }
    }
  })
})
