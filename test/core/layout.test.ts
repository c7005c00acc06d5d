// Where a batch's frames go: a table of one row per source, in the order asked for, every row starting
// at one x right of the batch's sources, each level with its source or just below the row above,
// never overlapping, with room for the names, on whole pixels.
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
  it('puts a lone source’s frames in one row 40 px to its right, top-aligned, in the order asked for', () => {
    const source = { x: 100, y: 200, width: 600, height: 400 }
    const [row] = layoutRows([request('a', source)], [{ ...source, owner: 'a', isSource: true }])
    expect(row.map((b) => [b.x, b.y])).toEqual([
      [740, 200],
      [740 + 600 + RESULT_GAP, 200],
      [740 + 600 + RESULT_GAP + 600 + RESULT_GAP, 200]
    ])
  })

  it('starts every row of a batch at one x, 40 px right of its rightmost source, each row level with its source when free', () => {
    const a = { x: 0, y: 0, width: 640, height: 427 }
    const b = { x: 200, y: 2000, width: 300, height: 300 }
    const rows = layoutRows([request('a', a), request('b', b)], [{ ...a, owner: 'a', isSource: true }, { ...b, owner: 'b', isSource: true }])
    expect(rows.map((row) => [row[0].x, row[0].y])).toEqual([
      [640 + RESULT_GAP, 0],
      [640 + RESULT_GAP, 2000]
    ])
    expectClear(rows, [])
  })

  it('moves a row down just enough to clear a taller row above it (stacked sources), never far to the right', () => {
    // the preview's astronaut and rocket: the astronaut's 9:16 frame reaches down past the rocket's top
    const a = { x: 0, y: 0, width: 640, height: 640 }
    const b = { x: 0, y: 800, width: 640, height: 427 }
    const rows = layoutRows([request('a', a), request('b', b)], [{ ...a, owner: 'a', isSource: true }, { ...b, owner: 'b', isSource: true }])
    expect(rows[0][0]).toMatchObject({ x: 680, y: 0 })
    expect(rows[1][0]).toMatchObject({ x: 680, y: 1067 + RESULT_GAP + LABEL_SPACE })
    expectClear(rows, [])
  })

  it('keeps the rows of sources side by side in one table right of both, the second under the first', () => {
    const a = { x: 0, y: 0, width: 600, height: 400 }
    const b = { x: 700, y: 0, width: 640, height: 427 }
    const rows = layoutRows([request('a', a), request('b', b)], [{ ...a, owner: 'a', isSource: true }, { ...b, owner: 'b', isSource: true }])
    expect(rows[0][0]).toMatchObject({ x: 1340 + RESULT_GAP, y: 0 })
    expect(rows[1][0]).toMatchObject({ x: 1340 + RESULT_GAP, y: 1067 + RESULT_GAP + LABEL_SPACE })
    expectClear(rows, [])
  })

  it('stacks rows in the order of their sources down the page, whatever order they were asked in', () => {
    const upper = { x: 0, y: 0, width: 600, height: 400 }
    const lower = { x: 0, y: 600, width: 600, height: 400 }
    const [rowLower, rowUpper] = layoutRows([request('lower', lower), request('upper', upper)], [])
    expect(rowUpper[0].y).toBe(0)
    expect(rowLower[0].y).toBe(1067 + RESULT_GAP + LABEL_SPACE)
  })

  it('pushes the whole table right past something in the way of a row or of its names, never under it', () => {
    const source = { x: 0, y: 0, width: 600, height: 400 }
    // a caption just above where the row's names would go
    const caption: Obstacle = { x: 900, y: -30, width: 200, height: 20 }
    const [row] = layoutRows([request('a', source)], [{ ...source, owner: 'a', isSource: true }, caption])
    expect(row[0]).toMatchObject({ x: 1100 + RESULT_GAP, y: 0 })
    // the same caption far enough above leaves the row where it was
    const [free] = layoutRows([request('a', source)], [{ ...source, owner: 'a', isSource: true }, { ...caption, y: -LABEL_SPACE - RESULT_GAP - 20 }])
    expect(free[0]).toMatchObject({ x: 640, y: 0 })
  })

  it('puts the row after the frame a nested source sits in, at the source’s height', () => {
    const container = { x: 5000, y: 0, width: 1400, height: 1000, owner: 'a', isSource: true }
    const source = { x: 5100, y: 300, width: 400, height: 300 }
    const [row] = layoutRows([request('a', source)], [container])
    expect(row[0]).toMatchObject({ x: 5000 + 1400 + RESULT_GAP, y: 300 })
  })

  it('puts a second run of a source right of its earlier results, level with the source', () => {
    const source = { x: 0, y: 0, width: 600, height: 400 }
    const earlier: Obstacle[] = [{ x: 640, y: 0, width: 600, height: 600, owner: 'a' }]
    const [row] = layoutRows([request('a', source, [{ width: 100, height: 100 }])], [{ ...source, owner: 'a', isSource: true }, ...earlier])
    expect(row[0]).toMatchObject({ x: 1240 + RESULT_GAP, y: 0 })
  })

  it('gives sources far apart, whose rows never meet, each its own table right beside them', () => {
    const left = { x: -3000, y: 2500, width: 400, height: 400 }
    const right = { x: 5000, y: 0, width: 400, height: 300 }
    const rows = layoutRows([request('l', left), request('r', right)], [{ ...left, owner: 'l', isSource: true }, { ...right, owner: 'r', isSource: true }])
    expect(rows[0][0]).toMatchObject({ x: -3000 + 400 + RESULT_GAP, y: 2500 })
    expect(rows[1][0]).toMatchObject({ x: 5400 + RESULT_GAP, y: 0 })
  })

  it('puts frames on whole pixels even when sources and frames are not', () => {
    const source = { x: 10.3, y: 20.6, width: 600.2, height: 400 }
    const frames = [
      { width: 711.11, height: 400 },
      { width: 600, height: 1066.67 }
    ]
    const [row] = layoutRows([request('a', source, frames)], [])
    for (const box of row) expect([box.x, box.y].every(Number.isInteger)).toBe(true)
    expect(row[0]).toMatchObject({ x: 651, y: 21 })
    expect(row[1].x - (row[0].x + row[0].width)).toBeGreaterThanOrEqual(RESULT_GAP)
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

  it('over many random pages: rows beside their sources, never above them, a column’s rows at one x, nothing overlapped', () => {
    let seed = 11
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let round = 0; round < 150; round++) {
      const sources: Box[] = []
      while (sources.length < 4) {
        const box = { x: random() * 3000, y: random() * 2000, width: 100 + random() * 700, height: 100 + random() * 700 }
        if (sources.every((other) => !boxesCrowd(box, other, 10))) sources.push(box)
      }
      const others: Obstacle[] = Array.from({ length: 6 }, () => ({ x: random() * 4000, y: random() * 3000, width: 10 + random() * 500, height: 10 + random() * 500 })).filter(
        (obstacle) => sources.every((s) => !boxesCrowd(s, obstacle))
      )
      const requests = sources.map((source, i) => request(`s${i}`, source, three.slice(0, 1 + (round % 3))))
      const obstacles = [...sources.map((source, i) => ({ ...source, owner: `s${i}`, isSource: true })), ...others]
      const rows = layoutRows(requests, obstacles)
      expectClear(rows, obstacles)
      for (const [i, row] of rows.entries()) {
        expect(row[0].x).toBeGreaterThanOrEqual(sources[i].x + sources[i].width + RESULT_GAP)
        for (const box of row) expect([box.x, box.y].every(Number.isInteger)).toBe(true)
        for (let k = 1; k < row.length; k++) {
          expect(row[k].y).toBe(row[0].y)
          expect(row[k].x - (row[k - 1].x + row[k - 1].width)).toBeGreaterThanOrEqual(RESULT_GAP)
          expect(row[k].x - (row[k - 1].x + row[k - 1].width)).toBeLessThan(RESULT_GAP + 1)
        }
        // level with its source, or moved down just enough to clear the row of a higher source
        expect(row[0].y).toBeGreaterThanOrEqual(sources[i].y)
        if (row[0].y !== Math.ceil(sources[i].y)) {
          const clears = rows.map((other, k) => (k !== i && sources[k].y <= sources[i].y ? Math.max(...other.map((b) => b.y + b.height)) + RESULT_GAP + LABEL_SPACE : -Infinity))
          expect(clears).toContain(row[0].y)
        }
        // sources in one column share one table
        rows.forEach((other, k) => {
          if (sources[k].x < sources[i].x + sources[i].width && sources[i].x < sources[k].x + sources[k].width) expect(other[0].x).toBe(row[0].x)
        })
      }
    }
  })

  it('lays out nothing for a source with no frames', () => {
    expect(layoutRows([request('a', { x: 0, y: 0, width: 10, height: 10 }, [])], [])).toEqual([[]])
  })
})
