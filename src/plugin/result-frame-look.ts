// How a result frame shows its state on the canvas, so a frame waiting for its result or one whose
// job failed is never mistaken for a finished one, on the canvas or in an export: a pending frame's
// picture is dimmed behind a grey dashed edge, a failed one's dimmed further behind a red dashed edge;
// a finished frame has its picture at full strength and no stroke. Plugin data `state` stays the
// source of truth; this only draws it.

import { FAILED_SUFFIX, PENDING_SUFFIX, writeResultData } from './result-frame-data'

export type FrameLook = 'pending' | 'failed' | 'done'

/** The picture's strength while the frame is not finished. */
export const PENDING_FILL_OPACITY = 0.55
export const FAILED_FILL_OPACITY = 0.3
/** Dashed edge: Figma draws it inside the frame, over the picture. */
export const MARK_STROKE_WEIGHT = 4
export const MARK_DASH_PATTERN: readonly number[] = [16, 10]
const PENDING_COLOR: RGB = { r: 0.45, g: 0.45, b: 0.5 }
const FAILED_COLOR: RGB = { r: 0.9, g: 0.15, b: 0.15 }

/** Sets the frame's fills' strength and its edge for `look`. */
export function showFrameState(frame: FrameNode, look: FrameLook): void {
  const opacity = look === 'done' ? 1 : look === 'pending' ? PENDING_FILL_OPACITY : FAILED_FILL_OPACITY
  const fills = frame.fills
  if (Array.isArray(fills)) frame.fills = (fills as readonly Paint[]).map((paint) => ({ ...paint, opacity }))
  if (look === 'done') {
    frame.strokes = []
    frame.dashPattern = []
    return
  }
  frame.strokes = [{ type: 'SOLID', color: look === 'pending' ? PENDING_COLOR : FAILED_COLOR }]
  frame.strokeWeight = MARK_STROKE_WEIGHT
  frame.strokeAlign = 'INSIDE'
  frame.dashPattern = [...MARK_DASH_PATTERN]
}

/** A frame whose job failed: named so (its pending mark taken off), the reason in its data, marked on the canvas. */
export function markFrameFailed(frame: FrameNode, reason: string): void {
  const base = frame.name.endsWith(PENDING_SUFFIX) ? frame.name.slice(0, -PENDING_SUFFIX.length) : frame.name
  if (!base.endsWith(FAILED_SUFFIX)) frame.name = base + FAILED_SUFFIX
  writeResultData(frame, { state: 'failed', reason })
  showFrameState(frame, 'failed')
}
