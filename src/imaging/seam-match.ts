// Colour matching at a seam: the generated pixels just outside an edge of a composited layer are
// shifted in colour so that they meet the layer's own pixels at that edge, the shift fading to nothing
// `width` px out. The layer itself (the original) is never touched: only what lies beneath it outside
// its box changes, and only in colour (a low-frequency offset per position along the edge), so the
// surround keeps its detail. Pure arithmetic on a pixel buffer; both backends call it on the output
// as drawn (the browser on a strip read back from the canvas, Node on the raw output).
import type { Size } from '../core/ratios'
import { featherWidth, type PixelBox } from './layer-plan'
import type { Edge, Layer } from './render-recipe'

/** Pixels sampled either side of the edge to measure the colours that meet there. */
export const SEAM_SAMPLE = 3

/** A rectangle of the output held in a buffer: `channels` bytes a pixel, rows `width * channels` apart. */
export type PixelArea = { data: Uint8Array | Uint8ClampedArray; channels: 3 | 4; box: PixelBox }

export type SeamMatch = {
  /** The layer's box in output pixels (whole pixels). */
  target: PixelBox
  /** The edge whose outside is matched. */
  edge: Edge
  /** Width of the band outside the edge, output px. */
  width: number
  /** Pixels inside the edge skipped before sampling the layer (its own feather, where it is mixed). */
  inset: number
  /**
   * Pixels just outside the edge that are neither surround nor layer (default 0): where a model's
   * redraw of the layer's content, blurred and off by a fraction of a pixel, still shows past the
   * original drawn over it. They take the colour of the first surround pixel beyond them (before the
   * shift), and the surround is sampled from there.
   */
  fringe?: number
}

/**
 * Axis helpers: `u` runs along the edge, `d` counts pixels outward from it (1 = the first pixel
 * outside). `along` is the edge's own extent (clipped to the output), where colours are sampled.
 */
type Frame = {
  along: [number, number]
  room: number
  horizontal: boolean
  /** Output x = xu u + xd d + x0 and y = yu u + yd d + y0 (linear, so the loops allocate nothing). */
  map: { xu: number; xd: number; x0: number; yu: number; yd: number; y0: number }
}

function at(frame: Frame, u: number, d: number): [number, number] {
  const m = frame.map
  return [m.xu * u + m.xd * d + m.x0, m.yu * u + m.yd * d + m.y0]
}

/**
 * Where a seam match writes along its edge: the edge's extent, and for a top or bottom edge also the
 * corners beyond its ends (the shift there fades with the distance from the box's corner), so a box
 * inside the output on all sides gets its corners matched once, not by two edges.
 */
function writeRange(frame: Frame, reach: number, output: Size): [number, number] {
  if (!frame.horizontal) return frame.along
  return [Math.max(0, frame.along[0] - reach), Math.min(output.width, frame.along[1] + reach)]
}

function frameOf(match: SeamMatch, output: Size): Frame | null {
  const { target: t, edge } = match
  const horizontal = edge === 'top' || edge === 'bottom'
  const along: [number, number] = horizontal
    ? [Math.max(0, t.x), Math.min(output.width, t.x + t.width)]
    : [Math.max(0, t.y), Math.min(output.height, t.y + t.height)]
  if (along[1] <= along[0]) return null
  switch (edge) {
    case 'left':
      return { along, horizontal, map: { xu: 0, xd: -1, x0: t.x, yu: 1, yd: 0, y0: 0 }, room: t.x }
    case 'right':
      return { along, horizontal, map: { xu: 0, xd: 1, x0: t.x + t.width - 1, yu: 1, yd: 0, y0: 0 }, room: output.width - t.x - t.width }
    case 'top':
      return { along, horizontal, map: { xu: 1, xd: 0, x0: 0, yu: 0, yd: -1, y0: t.y }, room: t.y }
    case 'bottom':
      return { along, horizontal, map: { xu: 1, xd: 0, x0: 0, yu: 0, yd: 1, y0: t.y + t.height - 1 }, room: output.height - t.y - t.height }
  }
}

/** The output rectangle one seam match reads and writes (for a backend that reads back only that). */
export function seamMatchArea(match: SeamMatch, output: Size): PixelBox | null {
  const frame = frameOf(match, output)
  if (frame === null || frame.room <= 0) return null
  const reach = Math.min(frame.room, Math.max(SEAM_SAMPLE + (match.fringe ?? 0), Math.ceil(match.width)))
  const inside = Math.ceil(match.inset) + SEAM_SAMPLE
  const [w0, w1] = writeRange(frame, Math.max(1, Math.round(match.width)), output)
  const corners = [at(frame, w0, reach), at(frame, w1 - 1, 1 - inside)]
  const x0 = Math.max(0, Math.min(corners[0][0], corners[1][0]))
  const y0 = Math.max(0, Math.min(corners[0][1], corners[1][1]))
  const x1 = Math.min(output.width, Math.max(corners[0][0], corners[1][0]) + 1)
  const y1 = Math.min(output.height, Math.max(corners[0][1], corners[1][1]) + 1)
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

/**
 * Shifts the colour of the band outside `match.edge` in place: per position along the edge, the
 * difference between the layer's mean colour just inside (past its inset) and the surround's just
 * outside, smoothed along the edge over about the band's width, added with a weight falling linearly
 * from 1 at the edge to 0 at `width` px out. `area` must cover seamMatchArea (pixels outside it are
 * neither read nor written).
 */
export function matchSeam(area: PixelArea, match: SeamMatch, output: Size): void {
  const frame = frameOf(match, output)
  if (frame === null || frame.room <= 0) return
  const { data, channels, box } = area
  const { xu, xd, x0, yu, yd, y0 } = frame.map
  const index = (u: number, d: number) => {
    const x = xu * u + xd * d + x0
    const y = yu * u + yd * d + y0
    return x < box.x || y < box.y || x >= box.x + box.width || y >= box.y + box.height ? -1 : ((y - box.y) * box.width + (x - box.x)) * channels
  }
  const [u0, u1] = frame.along
  const n = u1 - u0
  const fringe = frame.room > (match.fringe ?? 0) ? Math.max(0, Math.round(match.fringe ?? 0)) : 0
  const sample = Math.min(SEAM_SAMPLE, frame.room - fringe)
  const inset = Math.ceil(match.inset)
  const diff = new Float64Array(n * 3)
  for (let u = u0; u < u1; u++) {
    for (let c = 0; c < 3; c++) {
      let inner = 0
      let outer = 0
      let innerCount = 0
      let outerCount = 0
      for (let k = 0; k < SEAM_SAMPLE; k++) {
        const i = index(u, -inset - k)
        if (i >= 0) ((inner += data[i + c]), (innerCount += 1))
      }
      for (let k = fringe + 1; k <= fringe + sample; k++) {
        const o = index(u, k)
        if (o >= 0) ((outer += data[o + c]), (outerCount += 1))
      }
      diff[(u - u0) * 3 + c] = innerCount > 0 && outerCount > 0 ? inner / innerCount - outer / outerCount : 0
    }
  }
  const smooth = smoothAlong(diff, n, Math.max(SEAM_SAMPLE, Math.round(match.width / 12)))
  // never past the output's border: a margin thinner than the band fades to nothing at the border,
  // so the model's own colours stay at the frame's edge; but a sliver of a few pixels (a model that
  // drew the content a pixel or two off the border) takes the layer's edge, or it would show as a line
  const band = Math.max(1, Math.round(match.width))
  const sliver = frame.room <= Math.round(match.fringe ?? 0) + SEAM_SAMPLE
  const reach = Math.min(frame.room, band)
  const [w0, w1] = writeRange(frame, band, output)
  if (sliver) return extendEdge(data, channels, index, frame, [w0, w1], Math.ceil(match.inset), band)
  for (let u = w0; u < w1; u++) {
    // the fringe takes the colour of the surround just beyond it
    const from = index(u, fringe + 1)
    for (let d = 1; d <= fringe && from >= 0; d++) {
      const o = index(u, d)
      if (o >= 0) for (let c = 0; c < 3; c++) data[o + c] = data[from + c]
    }
    // beyond the edge's ends (corners): the end's shift, fading with the distance from the corner
    const beyond = u < u0 ? u0 - u - 0.5 : u >= u1 ? u - u1 + 0.5 : 0
    const k = (Math.min(u1 - 1, Math.max(u0, u)) - u0) * 3
    for (let d = 1; d <= reach; d++) {
      const o = index(u, d)
      if (o < 0) continue
      const weight = 1 - Math.hypot(d - 0.5, beyond) / reach
      if (weight <= 0) continue
      for (let c = 0; c < 3; c++) {
        const value = data[o + c] + smooth[k + c] * weight
        data[o + c] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value)
      }
    }
  }
}

/**
 * A sliver at the output's border (a model that drew the content a pixel or two off it) has no surround
 * beyond it to meet: it takes the layer's own edge pixels, repeated outwards (past the edge's ends, at
 * the corners, mixed with what is there, fading over `ramp` px), so no line of the model's redraw is
 * left between the original and the frame's edge.
 */
function extendEdge(
  data: PixelArea['data'],
  channels: number,
  index: (u: number, d: number) => number,
  frame: Frame,
  [w0, w1]: [number, number],
  inset: number,
  ramp: number
): void {
  const [u0, u1] = frame.along
  for (let u = w0; u < w1; u++) {
    const beyond = u < u0 ? u0 - u - 0.5 : u >= u1 ? u - u1 + 0.5 : 0
    const weight = 1 - beyond / ramp
    const from = index(Math.min(u1 - 1, Math.max(u0, u)), -inset)
    if (weight <= 0 || from < 0) continue
    for (let d = 1; d <= frame.room; d++) {
      const o = index(u, d)
      if (o < 0) continue
      for (let c = 0; c < 3; c++) data[o + c] = Math.round(data[o + c] + (data[from + c] - data[o + c]) * weight)
    }
  }
}

/** A box filter of `radius` along the edge (clamped at its ends), per channel. */
function smoothAlong(values: Float64Array, n: number, radius: number): Float64Array {
  const out = new Float64Array(values.length)
  const prefix = new Float64Array((n + 1) * 3)
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) prefix[(i + 1) * 3 + c] = prefix[i * 3 + c] + values[i * 3 + c]
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - radius)
    const hi = Math.min(n, i + radius + 1)
    for (let c = 0; c < 3; c++) out[i * 3 + c] = (prefix[hi * 3 + c] - prefix[lo * 3 + c]) / (hi - lo)
  }
  return out
}

/** The seam matches a drawn layer asks for (`Layer.match`), its own feather skipped on each edge. */
export function seamMatchesOf(layer: Pick<Layer, 'feather' | 'match'>, target: PixelBox): SeamMatch[] {
  const match = layer.match
  if (match === undefined || match.width <= 0) return []
  const feather = layer.feather
  return match.edges.map((edge) => ({
    target,
    edge,
    width: match.width,
    inset: feather !== undefined && feather.edges.includes(edge) ? featherWidth(feather, edge) : 0,
    ...(match.fringe !== undefined ? { fringe: match.fringe } : {})
  }))
}
