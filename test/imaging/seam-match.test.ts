// Colour matching at a composite's seam: the band of surround outside an edge is shifted to meet the
// layer's colour there, fading out with distance; the layer's own pixels and everything beyond the band
// stay as they were.
import { describe, expect, it } from 'vitest'
import { matchSeam, seamMatchArea, seamMatchesOf, type SeamMatch } from '../../src/imaging/seam-match'

const output = { width: 60, height: 20 }
/** Left half-ish: surround at grey 80 with a ripple; the box from x = 30 holds grey 160 with its own ripple. */
function frame(): Uint8Array {
  const data = new Uint8Array(output.width * output.height * 3)
  for (let y = 0; y < output.height; y++) {
    for (let x = 0; x < output.width; x++) {
      const ripple = ((x * 7 + y * 3) % 5) - 2
      const base = x >= 30 ? 160 : 80
      data.set([base + ripple, base + ripple + 10, base + ripple - 10], (y * output.width + x) * 3)
    }
  }
  return data
}
const box = { x: 30, y: 0, width: 30, height: 20 }
const at = (data: Uint8Array, x: number, y: number) => Array.from(data.subarray((y * output.width + x) * 3, (y * output.width + x) * 3 + 3))

describe('matchSeam', () => {
  const match: SeamMatch = { target: box, edge: 'left', width: 10, inset: 2 }

  it('brings the surround at the edge to the layer colour, half way at half the band, and leaves the rest', () => {
    const before = frame()
    const data = frame()
    matchSeam({ data, channels: 3, box: { x: 0, y: 0, ...output } }, match, output)
    // the first pixel outside moves by 95% of the 80-level step (its centre is half a pixel out)
    for (let y = 0; y < output.height; y++) {
      const shift = at(data, 29, y).map((v, c) => v - at(before, 29, y)[c])
      for (const s of shift) expect(Math.abs(s - 80 * 0.95)).toBeLessThanOrEqual(2)
      const half = at(data, 25, y).map((v, c) => v - at(before, 25, y)[c])
      for (const s of half) expect(Math.abs(s - 80 * 0.55)).toBeLessThanOrEqual(2)
      // the surround's own ripple is kept (a shift, not a fill)
      expect(at(data, 29, y)[0] - at(data, 29, (y + 1) % output.height)[0]).toBe(at(before, 29, y)[0] - at(before, 29, (y + 1) % output.height)[0])
    }
    // the layer and the surround beyond the band are untouched
    for (let y = 0; y < output.height; y++) {
      for (let x = 0; x < output.width; x++) if (x >= 30 || x < 20) expect(at(data, x, y)).toEqual(at(before, x, y))
    }
  })

  it('gives the same pixels on a strip of the output as on the whole of it (what the canvas backend reads back)', () => {
    const whole = frame()
    matchSeam({ data: whole, channels: 3, box: { x: 0, y: 0, ...output } }, match, output)
    const area = seamMatchArea(match, output)!
    expect(area).toEqual({ x: 20, y: 0, width: 15, height: 20 })
    const full = frame()
    const strip = new Uint8Array(area.width * area.height * 4)
    for (let y = 0; y < area.height; y++) for (let x = 0; x < area.width; x++) strip.set([...at(full, area.x + x, area.y + y), 255], (y * area.width + x) * 4)
    matchSeam({ data: strip, channels: 4, box: area }, match, output)
    for (let y = 0; y < area.height; y++) for (let x = 0; x < area.width; x++) expect(Array.from(strip.subarray((y * area.width + x) * 4, (y * area.width + x) * 4 + 3))).toEqual(at(whole, area.x + x, area.y + y))
  })

  it('gives a fringe next to the edge the colour of the surround beyond it, then shifts it with the rest', () => {
    const data = frame()
    // a bright line at x = 29: the model's redraw showing past the original
    for (let y = 0; y < output.height; y++) data.set([250, 250, 250], (y * output.width + 29) * 3)
    matchSeam({ data, channels: 3, box: { x: 0, y: 0, ...output } }, { ...match, fringe: 1 }, output)
    for (let y = 0; y < output.height; y++) {
      const line = at(data, 29, y)
      const next = at(data, 28, y)
      // the line now continues the shifted surround (within the weight step from 28 to 29)
      for (let c = 0; c < 3; c++) expect(Math.abs(line[c] - next[c])).toBeLessThanOrEqual(9)
      for (let c = 0; c < 3; c++) expect(line[c]).toBeLessThan(200)
    }
  })

  it('fades to nothing at the output border when the margin is thinner than the band (the frame edge keeps the model colours)', () => {
    const before = frame()
    const data = frame()
    matchSeam({ data, channels: 3, box: { x: 0, y: 0, ...output } }, { ...match, width: 40 }, output)
    for (let y = 0; y < output.height; y++) {
      for (let c = 0; c < 3; c++) expect(Math.abs(at(data, 0, y)[c] - at(before, 0, y)[c])).toBeLessThanOrEqual(2)
      for (let c = 0; c < 3; c++) expect(at(data, 29, y)[c] - at(before, 29, y)[c]).toBeGreaterThan(70)
    }
  })

  it('fills a sliver of a few pixels at the border with the layer edge repeated (no line of the model redraw left), mixing it in at the corners', () => {
    const before = frame()
    const data = frame()
    const sliverBox = { x: 10, y: 2, width: 40, height: 18 }
    // the two rows above the box: a bright line, as a redraw moved down 2 px leaves
    for (let x = 0; x < output.width; x++) for (const y of [0, 1]) data.set([250, 250, 250], (y * output.width + x) * 3)
    const sliver: SeamMatch = { target: sliverBox, edge: 'top', width: 10, inset: 0, fringe: 2 }
    const area = seamMatchArea(sliver, output)!
    const strip = new Uint8Array(area.width * area.height * 4)
    for (let y = 0; y < area.height; y++) for (let x = 0; x < area.width; x++) strip.set([...at(data, area.x + x, area.y + y), 255], (y * area.width + x) * 4)
    matchSeam({ data, channels: 3, box: { x: 0, y: 0, ...output } }, sliver, output)
    for (let x = 10; x < 50; x++) for (const y of [0, 1]) expect(at(data, x, y)).toEqual(at(before, x, 2))
    // past the edge's ends, d px out of a 10 px band: 1 - d / 10 of the way from the line to the layer's corner pixel
    for (const [x, corner, d] of [[5, 10, 4.5], [54, 49, 4.5], [0, 10, 9.5]]) {
      for (let c = 0; c < 3; c++) expect(Math.abs(at(data, x, 0)[c] - (250 + (1 - d / 10) * (at(before, corner, 2)[c] - 250)))).toBeLessThanOrEqual(1)
    }
    // the layer itself untouched, and the same pixels on a strip read back as on the whole
    for (let y = 2; y < output.height; y++) for (let x = 0; x < output.width; x++) expect(at(data, x, y)).toEqual(at(before, x, y))
    matchSeam({ data: strip, channels: 4, box: area }, sliver, output)
    for (let y = 0; y < area.height; y++) for (let x = 0; x < area.width; x++) expect(Array.from(strip.subarray((y * area.width + x) * 4, (y * area.width + x) * 4 + 3))).toEqual(at(data, area.x + x, area.y + y))
  })

  it('does nothing on an edge with no room outside it, and skips the layer feather when sampling', () => {
    const data = frame()
    matchSeam({ data, channels: 3, box: { x: 0, y: 0, ...output } }, { ...match, edge: 'right' }, output)
    expect(data).toEqual(frame())
    expect(seamMatchArea({ ...match, edge: 'top' }, output)).toBeNull()
    expect(seamMatchesOf({ feather: { width: 3, edges: ['left'] }, match: { width: 10, edges: ['left', 'top'] } }, box)).toEqual([
      { target: box, edge: 'left', width: 10, inset: 3 },
      { target: box, edge: 'top', width: 10, inset: 0 }
    ])
    expect(seamMatchesOf({}, box)).toEqual([])
  })
})
