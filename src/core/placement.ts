// Free-space placement of result frames: one row per source, to its right, top-aligned with it,
// each new frame after the previous one and pushed right past anything already on the page.
import type { Box, Size } from './ratios'

export const RESULT_GAP = 40

/** True when the boxes overlap or come closer than `gap` (touching at exactly `gap` is fine). */
export function boxesCrowd(a: Box, b: Box, gap = 0): boolean {
  const epsilon = 1e-6
  return (
    a.x < b.x + b.width + gap - epsilon &&
    b.x < a.x + a.width + gap - epsilon &&
    a.y < b.y + b.height + gap - epsilon &&
    b.y < a.y + a.height + gap - epsilon
  )
}

export type RowPlacementInput = {
  /** The source's box in page coordinates. */
  source: Box
  size: Size
  /** Everything already on the page (page coordinates), including earlier results. */
  obstacles: readonly Box[]
  /** Where the row continues: the right edge of this source's previous result, if any. */
  after?: number
  gap?: number
}

/** The box of the next result in the source's row: never crowding an obstacle, never left of `after`. */
export function placeInRow(input: RowPlacementInput): Box {
  const { source, size, obstacles, gap = RESULT_GAP } = input
  const box: Box = {
    x: Math.max(source.x + source.width, input.after ?? -Infinity) + gap,
    y: source.y,
    width: size.width,
    height: size.height
  }
  // each pass moves right past every obstacle in the way; x only grows, so this ends
  for (;;) {
    const blocking = obstacles.filter((obstacle) => boxesCrowd(box, obstacle, gap))
    if (blocking.length === 0) return box
    box.x = Math.max(...blocking.map((obstacle) => obstacle.x + obstacle.width)) + gap
  }
}
