// Boxes among boxes: the box that encloses others, as Figma computes a group's bounds from its
// children's (the fake figma's group geometry, the preview canvas's zoom to fit), and whether a box is
// the whole of an image (the engine's backends, drawing a picture or an output as it is).
import type { Box, Size } from './ratios'

/** Whether `box` is exactly the whole of a `size`-sized image: at its origin, at its size. */
export function isWholeOf(box: Box, size: Size): boolean {
  return box.x === 0 && box.y === 0 && box.width === size.width && box.height === size.height
}

/** The smallest box holding every one of `boxes`; null when there are none. */
export function boundingBoxOf(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null
  const x = Math.min(...boxes.map((box) => box.x))
  const y = Math.min(...boxes.map((box) => box.y))
  const right = Math.max(...boxes.map((box) => box.x + box.width))
  const bottom = Math.max(...boxes.map((box) => box.y + box.height))
  return { x, y, width: right - x, height: bottom - y }
}
