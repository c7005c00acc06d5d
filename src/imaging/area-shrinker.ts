// Area averaging fed a band of rows at a time: the browser reads a decoded picture through a small
// canvas strip and Node reads sharp's raw buffer in place, and both get bit-identical results (the same
// float operations in the same order), so analysis copies, and the crop windows chosen on them, agree.
import type { Size } from '../core/ratios'
import { createPremultipliedImage, type PremultipliedImage } from './premultiplied-image'

/** A source rectangle in (possibly fractional) pixels. */
export type Region = { x: number; y: number; width: number; height: number }

type AxisWeights = { first: Int32Array; count: Int32Array; offset: Int32Array; weights: Float32Array }

/** Per output pixel: the source pixels its interval covers and how much of each (sums to 1). */
function areaWeights(start: number, length: number, sourceSize: number, size: number): AxisWeights {
  const scale = length / size
  const first = new Int32Array(size)
  const count = new Int32Array(size)
  const offset = new Int32Array(size)
  const list: number[] = []
  for (let i = 0; i < size; i++) {
    const from = start + i * scale
    const to = from + scale
    const lo = Math.max(0, Math.min(sourceSize - 1, Math.floor(from)))
    const hi = Math.max(lo, Math.min(sourceSize - 1, Math.ceil(to) - 1))
    first[i] = lo
    count[i] = hi - lo + 1
    offset[i] = list.length
    let total = 0
    const begin = list.length
    for (let s = lo; s <= hi; s++) {
      const w = Math.max(0, Math.min(to, s + 1) - Math.max(from, s))
      list.push(w)
      total += w
    }
    for (let k = begin; k < list.length; k++) list[k] = total > 0 ? list[k] / total : 1 / count[i]
  }
  return { first, count, offset, weights: Float32Array.from(list) }
}

export type AreaShrinker = {
  /** Source rows the result reads: feed at least these, in any band sizes, top to bottom. */
  readonly rows: { from: number; to: number }
  /**
   * Adds `rowCount` source rows starting at source row `firstRow`, `channels` bytes a pixel (3: opaque
   * RGB, 4: RGBA with straight alpha), `rowBytes` apart in `pixels`. Rows outside `rows` are ignored.
   */
  addRows(pixels: ArrayLike<number>, channels: 3 | 4, firstRow: number, rowCount: number, rowBytes?: number): void
  /**
   * The rows sampled (source row `index * step` for each index from `from` up to, not including, `to`;
   * every row when the step is 1): a reader that can fetch only those rows feeds them with `addSampledRows`.
   */
  readonly sampledRows: { from: number; to: number }
  /** `rowCount` sampled rows from sampled index `firstIndex` on, one after another in `pixels` (`rowBytes` apart). */
  addSampledRows(pixels: ArrayLike<number>, channels: 3 | 4, firstIndex: number, rowCount: number, rowBytes?: number): void
  /** The averaged image, premultiplied; call once every needed row is in. */
  result(): PremultipliedImage
}

/**
 * The sampling step for an analysis copy: every pixel up to 4x reduction, then every `step`-th pixel of
 * every `step`-th row, so that each output pixel still averages at least 2 x 2 samples (enough against
 * aliasing for scoring 8 px blocks) but a 4K photo costs a sixteenth of the reads. The same on every
 * platform (it only depends on the sizes). At 4 x 4 samples the crop windows of the fixtures were the
 * same, at four times the reads.
 */
export function analysisSampleStep(source: Size, width: number, height: number): number {
  return Math.max(1, Math.floor(Math.min(source.width / width, source.height / height) / 2))
}

/**
 * Area-averages `region` of a `source`-sized picture into width x height, premultiplied. With a `step`
 * above 1 it averages the picture's every `step`-th pixel of every `step`-th row (pixel (step i, step j)
 * standing for the step x step block it starts), for analysis copies of large pictures.
 */
export function createAreaShrinker(source: Size, region: Region, width: number, height: number, step = 1): AreaShrinker {
  // in sampled pixels: sample i is source pixel i * step
  const sampledWidth = Math.ceil(source.width / step)
  const sampledHeight = Math.ceil(source.height / step)
  const xs = areaWeights(region.x / step, region.width / step, sampledWidth, width)
  const ys = areaWeights(region.y / step, region.height / step, sampledHeight, height)
  const rowFrom = ys.first[0]
  const rowTo = ys.first[height - 1] + ys.count[height - 1]
  const out = createPremultipliedImage(width, height)
  const dst = out.data
  const stride = width * 4
  const line = new Float32Array(stride)
  // the first output row that may still need a source row (output rows read ever later source rows)
  let pending = 0

  function addRow(pixels: ArrayLike<number>, channels: 3 | 4, start: number, y: number): void {
    sumRow(pixels, channels, start, step, xs, line)
    while (pending < height && ys.first[pending] + ys.count[pending] <= y) pending++
    spreadRow(line, y, pending, ys, dst)
  }

  return {
    rows: { from: rowFrom * step, to: Math.min(source.height, (rowTo - 1) * step + 1) },
    addRows(pixels, channels, firstRow, rowCount, rowBytes = source.width * channels) {
      // the sampled rows in this band: source rows that are multiples of step
      const from = Math.max(rowFrom, Math.ceil(firstRow / step))
      const to = Math.min(rowTo, Math.ceil((firstRow + rowCount) / step))
      for (let y = from; y < to; y++) addRow(pixels, channels, (y * step - firstRow) * rowBytes, y)
    },
    sampledRows: { from: rowFrom, to: rowTo },
    addSampledRows(pixels, channels, firstIndex, rowCount, rowBytes = source.width * channels) {
      const from = Math.max(rowFrom, firstIndex)
      const to = Math.min(rowTo, firstIndex + rowCount)
      for (let y = from; y < to; y++) addRow(pixels, channels, (y - firstIndex) * rowBytes, y)
    },
    result: () => out
  }
}

// The two row steps below are functions of their own, each one loop nest that V8 optimises on its own
// soon after a process starts (the CLI's case), where one function of both stayed slow longer.

/**
 * One sampled source row (`channels` 3: opaque RGB, 4: RGBA with straight alpha; samples `step` pixels
 * apart) averaged along x into `line` (RGBA floats, premultiplied).
 */
function sumRow(pixels: ArrayLike<number>, channels: 3 | 4, start: number, step: number, xs: AxisWeights, line: Float32Array): void {
  const { first, count, offset, weights } = xs
  const pixelStep = channels * step
  for (let x = 0; x < first.length; x++) {
    let r = 0
    let g = 0
    let b = 0
    let a = 0
    const n = count[x]
    const wOffset = offset[x]
    let p = start + first[x] * pixelStep
    if (channels === 3) {
      // opaque: the same sums as below with alpha 255, without reading or testing it
      for (let k = 0; k < n; k++, p += pixelStep) {
        const w = weights[wOffset + k]
        r += pixels[p] * w
        g += pixels[p + 1] * w
        b += pixels[p + 2] * w
        a += 255 * w
      }
    } else {
      for (let k = 0; k < n; k++, p += pixelStep) {
        const w = weights[wOffset + k]
        const alpha = pixels[p + 3]
        if (alpha === 255) {
          r += pixels[p] * w
          g += pixels[p + 1] * w
          b += pixels[p + 2] * w
        } else {
          // premultiplied to whole levels, exactly what a canvas stores: the browser (which can only
          // return colour rounded through that) and Node then feed identical numbers from here on
          const f = alpha / 255
          r += Math.round(pixels[p] * f) * w
          g += Math.round(pixels[p + 1] * f) * w
          b += Math.round(pixels[p + 2] * f) * w
        }
        a += alpha * w
      }
    }
    const o = x * 4
    line[o] = r
    line[o + 1] = g
    line[o + 2] = b
    line[o + 3] = a
  }
}

/** `line` (sampled row `y` averaged along x) added, with its weight, to every output row that reads it, from output row `from` on. */
function spreadRow(line: Float32Array, y: number, from: number, ys: AxisWeights, dst: Float32Array): void {
  const stride = line.length
  const height = ys.first.length
  for (let oy = from; oy < height && ys.first[oy] <= y; oy++) {
    const k = y - ys.first[oy]
    if (k >= ys.count[oy]) continue
    const w = ys.weights[ys.offset[oy] + k]
    const outRow = oy * stride
    for (let i = 0; i < stride; i++) dst[outRow + i] += line[i] * w
  }
}
