// The box that encloses other boxes, as Figma computes a group's bounds from its children's: shared by
// the fake figma (group geometry) and the preview canvas (zoom to fit).
import type { Box } from './ratios'

/** The smallest box holding every one of `boxes`; null when there are none. */
export function boundingBoxOf(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null
  const x = Math.min(...boxes.map((box) => box.x))
  const y = Math.min(...boxes.map((box) => box.y))
  const right = Math.max(...boxes.map((box) => box.x + box.width))
  const bottom = Math.max(...boxes.map((box) => box.y + box.height))
  return { x, y, width: right - x, height: bottom - y }
}
