// The source as templates for locating it: its weighted grey area-averaged onto cell grids as large
// as the boxes searched, cached by grid size, with transparent edges given no weight.
import { weightedPyramid, type WeightedGrey } from './locate-source-grey'

export type Template = {
  width: number
  height: number
  value: Float32Array
  weight: Float32Array
  /** Every weight is 1 (no transparency), with the sums a fully inside box then needs. */
  opaque?: { sum: number; sumSquares: number }
}

/** Source templates by cell grid size: the source area-averaged onto a grid as large as the box. */
export class TemplateCache {
  private readonly cache = new Map<string, Template>()
  private native?: Template
  /** The source copy halved again and again, so a small template is averaged from a small level. */
  private readonly levels: WeightedGrey[]
  constructor(private readonly source: WeightedGrey) {
    this.levels = weightedPyramid(source)
  }

  /**
   * The source copy itself as the template, unless it is more than twice as fine as the box (then
   * averaged down to twice the box), so that cells never line up one-to-one with result pixels.
   */
  atSourcePitch(boxWidth: number): Template {
    const boxLong = Math.max(boxWidth, (boxWidth * this.source.height) / this.source.width)
    if (Math.max(this.source.width, this.source.height) <= 2 * boxLong) {
      this.native ??= withEdgeWeights({ width: this.source.width, height: this.source.height, value: this.source.value, weight: this.source.weight })
      return this.native
    }
    const scale = (2 * boxWidth) / this.source.width
    return this.get(2 * boxWidth, this.source.height * scale)
  }

  get(boxWidth: number, boxHeight: number): Template {
    // never finer than the source copy itself: stretching it would invent detail
    const width = Math.max(1, Math.min(this.source.width, Math.round(boxWidth)))
    const height = Math.max(1, Math.min(this.source.height, Math.round(boxHeight)))
    const key = `${width}x${height}`
    let template = this.cache.get(key)
    if (!template) {
      const from = [...this.levels].reverse().find((level) => level.width >= width && level.height >= height) ?? this.source
      template = withEdgeWeights(areaAverage(from, width, height))
      this.cache.set(key, template)
    }
    return template
  }
}

/**
 * Templates are finished here. An opaque one gets its sums (for `nccInside`). A transparent source's
 * cells next to transparency lose their weight (3 x 3 minimum): in the result
 * those pixels are blended with whatever the model drew behind them, so they would only disagree. Kept
 * as is when there is no transparency, or when so little would be left that the source is all edges.
 */
function withEdgeWeights(template: Template): Template {
  const { width, height, weight } = template
  if (weight.every((w) => w >= 1)) {
    let sum = 0
    let sumSquares = 0
    for (const v of template.value) {
      sum += v
      sumSquares += v * v
    }
    return { ...template, opaque: { sum, sumSquares } }
  }
  const spanX = width >= 5 ? 1 : 0
  const spanY = height >= 5 ? 1 : 0
  const eroded = new Float32Array(weight.length)
  let before = 0
  let after = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let least = weight[y * width + x]
      for (let dy = -spanY; dy <= spanY; dy++) {
        const yy = Math.max(0, Math.min(height - 1, y + dy))
        for (let dx = -spanX; dx <= spanX; dx++) {
          least = Math.min(least, weight[yy * width + Math.max(0, Math.min(width - 1, x + dx))])
        }
      }
      eroded[y * width + x] = least
      before += weight[y * width + x]
      after += least
    }
  }
  return after >= 0.3 * before ? { ...template, weight: eroded } : template
}

/** Area average onto width x height, weighting each pixel's luma by its weight (alpha). */
function areaAverage(source: WeightedGrey, width: number, height: number): Template {
  const xs = axisCoverage(source.width, width)
  const ys = axisCoverage(source.height, height)
  // horizontal pass: weighted luma and weight per source row and output column
  const rowsV = new Float32Array(source.height * width)
  const rowsW = new Float32Array(source.height * width)
  for (let y = 0; y < source.height; y++) {
    const base = y * source.width
    for (let x = 0; x < width; x++) {
      let v = 0
      let w = 0
      for (let k = xs.start[x]; k < xs.start[x + 1]; k++) {
        const share = xs.share[k]
        const p = base + xs.pixel[k]
        const pw = source.weight[p] * share
        v += source.value[p] * pw
        w += pw
      }
      rowsV[y * width + x] = v
      rowsW[y * width + x] = w
    }
  }
  const value = new Float32Array(width * height)
  const weight = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0
      let w = 0
      for (let k = ys.start[y]; k < ys.start[y + 1]; k++) {
        const share = ys.share[k]
        const p = ys.pixel[k] * width + x
        v += rowsV[p] * share
        w += rowsW[p] * share
      }
      const o = y * width + x
      value[o] = w > 0 ? v / w : 0
      // a cell's weight: its mean alpha, so half-transparent cells count half
      weight[o] = w / ys.total[y] / xs.total[x]
    }
  }
  return { width, height, value, weight }
}

/** For each output cell of an axis, the source pixels it covers and by how much (in source pixels). */
function axisCoverage(sourceSize: number, size: number): { start: Int32Array; pixel: Int32Array; share: Float32Array; total: Float32Array } {
  const scale = sourceSize / size
  const start = new Int32Array(size + 1)
  const pixels: number[] = []
  const shares: number[] = []
  const total = new Float32Array(size)
  for (let i = 0; i < size; i++) {
    start[i] = pixels.length
    const from = i * scale
    const to = from + scale
    const lo = Math.min(sourceSize - 1, Math.floor(from))
    const hi = Math.max(lo, Math.min(sourceSize - 1, Math.ceil(to) - 1))
    for (let s = lo; s <= hi; s++) {
      const share = Math.max(0, Math.min(to, s + 1) - Math.max(from, s))
      if (share <= 0 && hi > lo) continue
      pixels.push(s)
      shares.push(share > 0 ? share : 1)
      total[i] += share > 0 ? share : 1
    }
  }
  start[size] = pixels.length
  return { start, pixel: Int32Array.from(pixels), share: Float32Array.from(shares), total }
}
