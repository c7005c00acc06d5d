// Where a batch's frames go on the page: a tidy table beside its sources. Every row of a table starts
// at one x, 40 px right of the rightmost of its sources (pushed further right past anything in the
// way); rows go down the page in the order of their sources, each top-aligned with its source when
// that is free, otherwise moved down just enough to clear the row above (never up). A batch is one
// table unless some of its sources are so far apart that their tables would never meet. Nothing
// overlaps, every frame keeps room above it for the name Figma draws there, all on whole pixels.

import type { Box, Size } from './ratios'

/** Space between frames, and between the sources and the table. */
export const RESULT_GAP = 40
/** Room above a frame for the name the canvas draws there (Figma's label is about 20 px tall). */
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

/** The row's frames left to right from (x, y), one gap apart, top-aligned, each on a whole pixel. */
function rowAt(x: number, y: number, frames: readonly Size[]): Box[] {
  const boxes: Box[] = []
  let left = x
  for (const frame of frames) {
    boxes.push({ x: left, y, width: frame.width, height: frame.height })
    left = Math.ceil(left + frame.width + RESULT_GAP)
  }
  return boxes
}

function hullOf(boxes: readonly Box[]): Box {
  const x = Math.min(...boxes.map((box) => box.x))
  const y = Math.min(...boxes.map((box) => box.y))
  return { x, y, width: Math.max(...boxes.map((box) => box.x + box.width)) - x, height: Math.max(...boxes.map((box) => box.y + box.height)) - y }
}

/** A box with the room its name needs above it. */
function withLabel(box: Box): Box {
  return { x: box.x, y: box.y - LABEL_SPACE, width: box.width, height: box.height + LABEL_SPACE }
}

/**
 * The tops of the rows, in request order. Rows are stacked from the highest source down (the order
 * they were asked for breaks ties), so each stays as close to its own source as the rows above allow:
 * level with it, or just below the row above when that reaches lower.
 */
function rowTops(requests: readonly RowRequest[]): number[] {
  const order = requests.map((_, i) => i).sort((a, b) => requests[a].source.y - requests[b].source.y || a - b)
  const tops: number[] = requests.map(() => 0)
  let clear = -Infinity
  for (const i of order) {
    const { source, frames } = requests[i]
    if (frames.length === 0) continue
    tops[i] = Math.ceil(Math.max(source.y, clear))
    clear = tops[i] + Math.max(...frames.map((frame) => frame.height)) + RESULT_GAP + LABEL_SPACE
  }
  return tops
}

type Table = { rows: Box[][]; pushedBy: Obstacle[] }

/**
 * One table for `requests`: every row starts at the same x, 40 px right of the rightmost of their
 * sources, and the table slides right past whatever crowds any row's band (its frames, the space
 * between and under the shorter ones, and the names above), keeping RESULT_GAP from it.
 */
function tableOf(requests: readonly RowRequest[], obstacles: readonly Obstacle[]): Table {
  const placed = requests.filter((request) => request.frames.length > 0)
  if (placed.length === 0) return { rows: requests.map(() => []), pushedBy: [] }
  const tops = rowTops(requests)
  const pushedBy: Obstacle[] = []
  let x = Math.ceil(Math.max(...placed.map(({ source }) => source.x + source.width)) + RESULT_GAP)
  // each pass moves past every blocker; x only grows and there are finitely many obstacles, so this ends
  for (;;) {
    const rows = requests.map((request, i) => (request.frames.length === 0 ? [] : rowAt(x, tops[i], request.frames)))
    const blocking = rows.flatMap((row) => (row.length === 0 ? [] : obstacles.filter((obstacle) => boxesCrowd(bandOf(row), obstacle, RESULT_GAP))))
    if (blocking.length === 0) return { rows, pushedBy }
    pushedBy.push(...blocking)
    x = Math.ceil(Math.max(x + 1, ...blocking.map((obstacle) => obstacle.x + obstacle.width + RESULT_GAP)))
  }
}

/** The room a row takes: its hull with the names above. */
function bandOf(row: readonly Box[]): Box {
  return withLabel(hullOf(row))
}

/** Whether two tables would touch: a row of one crowds a row of the other. */
function tablesMeet(a: Table, b: Table): boolean {
  return a.rows.some((rowA) => rowA.length > 0 && b.rows.some((rowB) => rowB.length > 0 && boxesCrowd(bandOf(rowA), bandOf(rowB), RESULT_GAP)))
}

/** Whether two boxes overlap left to right (one above the other, in a column). */
function sharesColumn(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width
}

/**
 * The boxes of every request's frames, in request order. Sources in one column, or whose tables would
 * meet (rows that crowd each other, or one table pushed past another's source), share one table;
 * sources far apart that never meet each get their own, right beside them.
 */
export function layoutRows(requests: readonly RowRequest[], obstacles: readonly Obstacle[]): Box[][] {
  let groups = requests.map((_, i) => [i])
  for (;;) {
    const tables = groups.map((group) => tableOf(group.map((i) => requests[i]), obstacles))
    const meeting = (g: number, h: number) => {
      const ids = new Set(groups[h].map((i) => requests[i].sourceId))
      const column = groups[g].some((i) => groups[h].some((k) => sharesColumn(requests[i].source, requests[k].source)))
      return column || tablesMeet(tables[g], tables[h]) || tables[g].pushedBy.some((obstacle) => obstacle.isSource === true && obstacle.owner !== undefined && ids.has(obstacle.owner))
    }
    const pair = groups.flatMap((_, g) => groups.map((_, h) => [g, h] as const)).find(([g, h]) => g !== h && meeting(g, h))
    if (pair === undefined) {
      const boxes: Box[][] = requests.map(() => [])
      groups.forEach((group, g) => group.forEach((i, k) => (boxes[i] = tables[g].rows[k])))
      return boxes
    }
    const [g, h] = pair
    groups = [...groups.filter((_, k) => k !== g && k !== h), [...groups[g], ...groups[h]].sort((a, b) => a - b)]
  }
}
