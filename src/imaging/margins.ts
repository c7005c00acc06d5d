// The parts of a fill frame that the placed source does not cover, as up to four boxes.
import type { Box, Size } from '../core/ratios'

export type Side = 'top' | 'bottom' | 'left' | 'right'
export type Margin = Box & { side: Side }

/** Top and bottom span the full width; left and right span only the source's rows. Empty boxes are left out. */
export function marginBoxes(frame: Size, placed: Box): Margin[] {
  const right = placed.x + placed.width
  const bottom = placed.y + placed.height
  const margins: Margin[] = [
    { side: 'top', x: 0, y: 0, width: frame.width, height: placed.y },
    { side: 'bottom', x: 0, y: bottom, width: frame.width, height: frame.height - bottom },
    { side: 'left', x: 0, y: placed.y, width: placed.x, height: placed.height },
    { side: 'right', x: right, y: placed.y, width: frame.width - right, height: placed.height }
  ]
  return margins.filter((m) => m.width > 0 && m.height > 0)
}
