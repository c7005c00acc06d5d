// Where a batch's frames go: one row per source, in the order asked for, right of its source or below
// it, never among another source's frames, never overlapping, with room for the names.
import { describe, expect, it } from 'vitest'
import { boxesCrowd, LABEL_SPACE, layoutRows, RESULT_GAP, type Obstacle, type RowRequest } from '../../src/core/layout'
import type { Box, Size } from '../../src/core/ratios'

const three: Size[] = [
  { width: 600, height: 600 },
  { width: 600, height: 1067 },
  { width: 711, height: 400 }
]

function request(sourceId: string, source: Box, frames: Size[] = three): RowRequest {
  return { sourceId, source, frames }
}

/** The box around a row. */
function hull(row: Box[]): Box {
  const x = Math.min(...row.map((b) => b.x))
  const y = Math.min(...row.map((b) => b.y))
  return { x, y, width: Math.max(...row.map((b) => b.x + b.width)) - x, height: Math.max(...row.map((b) => b.y + b.height)) - y }
}

function expectClear(rows: Box[][], obstacles: Obstacle[]) {
  const all = rows.flat()
  for (const box of all) {
    for (const other of all) if (other !== box) expect(boxesCrowd(box, other, RESULT_GAP - 1e-6)).toBe(false)
    for (const obstacle of obstacles) expect(boxesCrowd({ ...box, y: box.y - LABEL_SPACE, height: box.height + LABEL_SPACE }, obstacle, RESULT_GAP - 1e-6)).toBe(false)
  }
  // rows of different sources never interleave: their hulls do not overlap
  for (const a of rows) for (const b of rows) if (a !== b && a.length > 0 && b.length > 0) expect(boxesCrowd(hull(a), hull(b))).toBe(false)
}

describe('layoutRows', () => {
  it('puts a lone source’s frames in one row to its right, top-aligned, in the order asked for', () => {
    const source = { x: 100, y: 200, width: 600, height: 400 }
    const [row] = layoutRows([request('a', source)], [{ ...source, owner: 'a' }])
    expect(row.map((b) => [b.x, b.y])).toEqual([
      [740, 200],
      [740 + 600 + RESULT_GAP, 200],
      [740 + 600 + RESULT_GAP + 600 + RESULT_GAP, 200]
    ])
  })

  it('sends the row of a source whose right side is taken by another source below it, not past the other source', () => {
    const a = { x: 0, y: 0, width: 600, height: 400 }
    const b = { x: 700, y: 0, width: 600, height: 400 }
    const obstacles: Obstacle[] = [{ ...a, owner: 'a' }, { ...b, owner: 'b' }]
    const [rowA, rowB] = layoutRows([request('a', a), request('b', b)], obstacles)
    expect(rowA[0]).toMatchObject({ x: 0, y: 400 + RESULT_GAP + LABEL_SPACE })
    // b's row is level with b, right of everything of a's (a's row reaches under b)
    expect(rowB[0].y).toBe(0)
    expect(rowB[0].x).toBeGreaterThanOrEqual(1300 + RESULT_GAP)
    expectClear([rowA, rowB], [])
  })

  it('keeps stacked sources’ rows apart, each beside or below its own source', () => {
    const a = { x: 0, y: 0, width: 600, height: 400 }
    const b = { x: 0, y: 500, width: 600, height: 400 }
    const obstacles: Obstacle[] = [{ ...a, owner: 'a' }, { ...b, owner: 'b' }]
    const rows = layoutRows([request('a', a), request('b', b)], obstacles)
    expect(rows[0][0]).toMatchObject({ x: 640, y: 0 })
    expectClear(rows, [])
    // b's row starts level with b or right under it: attached, not somewhere past a's row
    const startB = rows[1][0]
    expect(startB.x === 640 || startB.y >= 900).toBe(true)
  })

  it('keeps each row of a tight column of sources at its own source’s height, past the taller rows above, never under another image', () => {
    const column = [0, 560, 1232, 1819].map((y, i) => ({ sourceId: `s${i}`, source: { x: 0, y, width: 600, height: 400 } }))
    const obstacles: Obstacle[] = column.map(({ sourceId, source }) => ({ ...source, owner: sourceId, isSource: true }))
    const rows = layoutRows(column.map(({ sourceId, source }) => request(sourceId, source)), obstacles)
    // the first three beside their sources; the last goes below itself (and below the row above's tail)
    rows.slice(0, 3).forEach((row, i) => expect(row[0].y).toBe(column[i].source.y))
    expect(rows[3][0].x).toBe(0)
    expect(rows[3][0].y).toBeGreaterThanOrEqual(1819 + 400 + RESULT_GAP + LABEL_SPACE)
    expectClear(rows, [])
  })

  it('puts the row after the frame a nested source sits in (the frame is its own), at the source’s height', () => {
    const container = { x: 5000, y: 0, width: 1400, height: 1000, owner: 'a' }
    const source = { x: 5100, y: 300, width: 400, height: 300 }
    const [row] = layoutRows([request('a', source)], [container])
    expect(row[0]).toMatchObject({ x: 5000 + 1400 + RESULT_GAP, y: 300 })
  })

  it('starts a new row below the source when its earlier results take the place to its right', () => {
    const source = { x: 0, y: 0, width: 600, height: 400 }
    const earlier: Obstacle[] = [{ x: 640, y: 0, width: 600, height: 600, owner: 'a' }]
    const [row] = layoutRows([request('a', source, [{ width: 100, height: 100 }])], [{ ...source, owner: 'a' }, ...earlier])
    expect(row[0]).toMatchObject({ x: 0, y: 400 + RESULT_GAP + LABEL_SPACE })
    const foreign: Obstacle[] = [{ x: 640, y: 0, width: 600, height: 600, owner: 'z' }]
    const [below] = layoutRows([request('a', source, [{ width: 100, height: 100 }])], [{ ...source, owner: 'a' }, ...foreign])
    expect(below[0]).toMatchObject({ x: 0, y: 400 + RESULT_GAP + LABEL_SPACE })
  })

  it('finds a free place when a source is hemmed in on every side', () => {
    const source = { x: 0, y: 0, width: 400, height: 400 }
    const walls: Obstacle[] = [
      { x: 420, y: -500, width: 200, height: 2000, owner: 'z' },
      { x: -500, y: 420, width: 2000, height: 200, owner: 'z' }
    ]
    const rows = layoutRows([request('a', source)], walls)
    expectClear(rows, walls)
  })

  it('never overlaps anything, nor interleaves rows, over many random pages', () => {
    let seed = 11
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let round = 0; round < 150; round++) {
      const sources: Box[] = []
      while (sources.length < 4) {
        const box = { x: Math.round(random() * 3000), y: Math.round(random() * 2000), width: 100 + Math.round(random() * 700), height: 100 + Math.round(random() * 700) }
        if (sources.every((other) => !boxesCrowd(box, other, 10))) sources.push(box)
      }
      const others: Obstacle[] = Array.from({ length: 6 }, () => ({ x: random() * 4000, y: random() * 3000, width: 10 + random() * 500, height: 10 + random() * 500 })).filter(
        (obstacle) => sources.every((s) => !boxesCrowd(s, obstacle))
      )
      const requests = sources.map((source, i) => request(`s${i}`, source, three.slice(0, 1 + (round % 3))))
      const obstacles = [...sources.map((source, i) => ({ ...source, owner: `s${i}` })), ...others]
      const rows = layoutRows(requests, obstacles)
      expectClear(rows, others)
      rows.forEach((row, i) => {
        for (let k = 1; k < row.length; k++) expect(row[k].x).toBe(row[k - 1].x + row[k - 1].width + RESULT_GAP)
        for (const other of sources) expect(row.some((box) => boxesCrowd(box, other, RESULT_GAP - 1e-6))).toBe(false)
        void i
      })
    }
  })
})
