import { describe, expect, it } from 'vitest'
import { boxesCrowd, placeInRow, RESULT_GAP } from '../../src/core/placement'
import type { Box } from '../../src/core/ratios'

const source: Box = { x: 0, y: 0, width: 600, height: 400 }

describe('placeInRow', () => {
  it('puts the first result one gap to the right of the source, top-aligned', () => {
    const box = placeInRow({ source, size: { width: 400, height: 400 }, obstacles: [source] })
    expect(box).toEqual({ x: 600 + RESULT_GAP, y: 0, width: 400, height: 400 })
  })

  it('continues the row after the previous result', () => {
    const first = placeInRow({ source, size: { width: 400, height: 400 }, obstacles: [source] })
    const second = placeInRow({
      source,
      size: { width: 300, height: 533 },
      obstacles: [source, first],
      after: first.x + first.width
    })
    expect(second.x).toBe(first.x + first.width + RESULT_GAP)
    expect(second.y).toBe(0)
  })

  it('jumps past anything in the way, keeping the gap, and never overlaps', () => {
    const obstacles: Box[] = [
      source,
      { x: 700, y: 300, width: 100, height: 100 },
      { x: 850, y: -50, width: 200, height: 60 },
      { x: 5000, y: 2000, width: 10, height: 10 }
    ]
    const box = placeInRow({ source, size: { width: 400, height: 400 }, obstacles })
    for (const obstacle of obstacles) expect(boxesCrowd(box, obstacle, RESULT_GAP)).toBe(false)
    expect(box.x).toBe(850 + 200 + RESULT_GAP)
  })

  it('does not fill a hole earlier in the row when `after` says the row went further', () => {
    const box = placeInRow({ source, size: { width: 10, height: 10 }, obstacles: [source], after: 2000 })
    expect(box.x).toBe(2000 + RESULT_GAP)
  })

  it('never overlaps over many random layouts', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let round = 0; round < 200; round++) {
      const obstacles: Box[] = Array.from({ length: 20 }, () => ({
        x: random() * 3000 - 500,
        y: random() * 2000 - 500,
        width: 10 + random() * 600,
        height: 10 + random() * 600
      }))
      const size = { width: 50 + random() * 900, height: 50 + random() * 900 }
      const box = placeInRow({ source, size, obstacles })
      expect(box.y).toBe(source.y)
      expect(box.x).toBeGreaterThanOrEqual(source.x + source.width + RESULT_GAP)
      for (const obstacle of obstacles) expect(boxesCrowd(box, obstacle, RESULT_GAP)).toBe(false)
    }
  })
})

describe('boxesCrowd', () => {
  it('treats boxes exactly one gap apart as fine and closer ones as crowding', () => {
    const a = { x: 0, y: 0, width: 100, height: 100 }
    expect(boxesCrowd(a, { x: 140, y: 0, width: 10, height: 10 }, 40)).toBe(false)
    expect(boxesCrowd(a, { x: 139, y: 0, width: 10, height: 10 }, 40)).toBe(true)
    expect(boxesCrowd(a, { x: 100, y: 0, width: 10, height: 10 }, 0)).toBe(false)
    expect(boxesCrowd(a, { x: 50, y: 50, width: 10, height: 10 }, 0)).toBe(true)
  })
})
