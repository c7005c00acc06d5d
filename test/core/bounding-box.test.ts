import { describe, expect, it } from 'vitest'
import { boundingBoxOf, isWholeOf } from '../../src/core/bounding-box'

describe('boundingBoxOf', () => {
  it('is null for no boxes', () => {
    expect(boundingBoxOf([])).toBeNull()
  })

  it('is the box itself for one box', () => {
    expect(boundingBoxOf([{ x: 10, y: -20, width: 30, height: 40 }])).toEqual({ x: 10, y: -20, width: 30, height: 40 })
  })

  it('reaches from the leftmost, topmost edge to the rightmost, bottommost one', () => {
    const boxes = [
      { x: 100, y: 50, width: 200, height: 100 },
      { x: -40, y: 120, width: 60, height: 300 },
      { x: 250, y: -10, width: 100, height: 20 }
    ]
    expect(boundingBoxOf(boxes)).toEqual({ x: -40, y: -10, width: 390, height: 430 })
  })

  it('does not grow for a box inside another', () => {
    const outer = { x: 0, y: 0, width: 500, height: 500 }
    expect(boundingBoxOf([outer, { x: 100, y: 100, width: 10, height: 10 }])).toEqual(outer)
  })
})

describe('isWholeOf', () => {
  const size = { width: 640, height: 427 }

  it('is true for the box at the origin at the size itself', () => {
    expect(isWholeOf({ x: 0, y: 0, width: 640, height: 427 }, size)).toBe(true)
  })

  it('is false for a box moved, cut short or larger on either axis', () => {
    for (const box of [
      { x: 1, y: 0, width: 640, height: 427 },
      { x: 0, y: -1, width: 640, height: 427 },
      { x: 0, y: 0, width: 639, height: 427 },
      { x: 0, y: 0, width: 640, height: 428 }
    ]) {
      expect(isWholeOf(box, size), JSON.stringify(box)).toBe(false)
    }
  })
})
