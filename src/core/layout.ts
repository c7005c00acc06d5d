// Where a batch's frames go on the page: each source's frames form one row in the order asked for,
// to the right of the source and top-aligned with it; when that place is taken, the row goes below the
// source instead, whichever is nearer, so it stays visibly attached to its own source and never lands
// among another source's frames. Nothing overlaps, and every frame keeps room above it for its name.

import type { Box, Size } from './ratios'

/** Space between frames, and between a source and its row. */
export const RESULT_GAP = 40
/** Room above a frame for the name the canvas draws there. */
export const LABEL_SPACE = 24

/**
 * Something already on the page. `owner`: the source it belongs to (an earlier result, the frame a
 * source sits in); `isSource`: it is (or holds) a source of this batch.
 */
export type Obstacle = Box & { owner?: string; isSource?: boolean }

export type RowRequest = {
  sourceId: string
  /** The source's box on the page. */
  source: Box
  /** The frames, in the order asked for. */
  frames: readonly Size[]
}

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

/** The row's frames left to right from (x, y), one gap apart, top-aligned. */
function rowAt(x: number, y: number, frames: readonly Size[]): Box[] {
  const boxes: Box[] = []
  let left = x
  for (const frame of frames) {
    boxes.push({ x: left, y, width: frame.width, height: frame.height })
    left += frame.width + RESULT_GAP
  }
  return boxes
}

function hullOf(boxes: readonly Box[]): Box {
  const x = Math.min(...boxes.map((box) => box.x))
  const y = Math.min(...boxes.map((box) => box.y))
  return { x, y, width: Math.max(...boxes.map((box) => box.x + box.width)) - x, height: Math.max(...boxes.map((box) => box.y + box.height)) - y }
}

/** A frame with the room its name needs above it. */
function withLabel(box: Box): Box {
  return { x: box.x, y: box.y - LABEL_SPACE, width: box.width, height: box.height + LABEL_SPACE }
}

/** What crowds the row's band (its frames and the space between and under the shorter ones). */
function blockers(row: Box[], obstacles: readonly Obstacle[]): Obstacle[] {
  const band = withLabel(hullOf(row))
  return obstacles.filter((obstacle) => boxesCrowd(band, obstacle, RESULT_GAP))
}

type Direction = 'right' | 'below'

/**
 * Slides the row away from its source until nothing crowds it. With `ownOnly`, it may only slide past
 * what belongs to this source (earlier results, the frame it sits in): meeting anything else means this
 * direction is taken (undefined).
 */
function slide(request: RowRequest, direction: Direction, obstacles: readonly Obstacle[], ownOnly: boolean): { row: Box[]; distance: number } | undefined {
  const { source, frames, sourceId } = request
  // distances count from the source with what it sits in (a nested source's frame is part of it)
  const anchor = hullOf([source, ...obstacles.filter((obstacle) => obstacle.owner === sourceId && boxesCrowd(obstacle, source))])
  let x = direction === 'right' ? source.x + source.width + RESULT_GAP : source.x
  let y = direction === 'right' ? source.y : source.y + source.height + RESULT_GAP + LABEL_SPACE
  // each pass moves past every blocker; x or y only grows, so this ends
  for (;;) {
    const row = rowAt(x, y, frames)
    const blocking = blockers(row, obstacles)
    if (blocking.length === 0) {
      const distance = direction === 'right' ? x - (anchor.x + anchor.width) : y - (anchor.y + anchor.height)
      return { row, distance }
    }
    if (ownOnly && blocking.some((obstacle) => obstacle.owner !== sourceId)) return undefined
    if (direction === 'right') x = Math.max(...blocking.map((obstacle) => obstacle.x + obstacle.width)) + RESULT_GAP
    else y = Math.max(...blocking.map((obstacle) => obstacle.y + obstacle.height)) + RESULT_GAP + LABEL_SPACE
  }
}

type Candidate = { row: Box[]; distance: number }

function nearest(...options: Array<Candidate | undefined>): Box[] | undefined {
  const found = options.filter((option): option is Candidate => option !== undefined)
  if (found.length === 0) return undefined
  return found.reduce((best, option) => (option.distance < best.distance ? option : best)).row
}

/**
 * Whether something other than results stands between a source and its row (another image, another
 * source): the row would read as that one's. Other sources' results in between are fine.
 */
function crossesSomethingElse(request: RowRequest, candidate: Candidate, direction: Direction, obstacles: readonly Obstacle[]): boolean {
  const { source } = request
  const row = hullOf(candidate.row)
  const between: Box =
    direction === 'right'
      ? { x: source.x + source.width, y: source.y, width: row.x - (source.x + source.width), height: Math.min(source.height, row.height) }
      : { x: source.x, y: source.y + source.height, width: Math.min(source.width, row.width), height: row.y - (source.y + source.height) }
  return obstacles.some((obstacle) => (obstacle.owner === undefined || obstacle.isSource === true) && obstacle.owner !== request.sourceId && boxesCrowd(between, obstacle))
}

/**
 * The boxes of every request's frames, in request order. Rows placed earlier in the batch become
 * obstacles of the later ones.
 */
export function layoutRows(requests: readonly RowRequest[], obstacles: readonly Obstacle[]): Box[][] {
  const taken: Obstacle[] = [...obstacles]
  return requests.map((request) => {
    if (request.frames.length === 0) return []
    const below = slide(request, 'below', taken, false)!
    const right = slide(request, 'right', taken, false)!
    const row =
      nearest(slide(request, 'right', taken, true), slide(request, 'below', taken, true)) ??
      // hemmed in by other sources' things: the nearest free place below or to the right with nothing
      // but results between it and its source (then simply the nearest)
      nearest(crossesSomethingElse(request, below, 'below', taken) ? undefined : below, crossesSomethingElse(request, right, 'right', taken) ? undefined : right) ??
      nearest(below, right)!
    // the whole band of the row is taken, so no other row slips in under its shorter frames
    taken.push({ ...hullOf(row), owner: request.sourceId })
    return row
  })
}
