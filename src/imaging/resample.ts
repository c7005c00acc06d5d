// Resampling on RGBA buffers, identical in the browser and in Node (plain arithmetic, no platform
// scaler): area averaging to shrink, bilinear to stretch a small blurred backdrop over a frame.
import type { Box } from '../core/ratios'
import { createPremultipliedImage, toRgba, type PremultipliedImage } from './premultiplied-image'
import type { RgbaImage } from './rgba-image'

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

/** Area-average `region` of `image` into width x height, premultiplied (the blur and backdrop work on this). */
export function shrinkToPremultiplied(image: RgbaImage, region: Region, width: number, height: number): PremultipliedImage {
  const xs = areaWeights(region.x, region.width, image.width, width)
  const ys = areaWeights(region.y, region.height, image.height, height)
  const src = image.data
  const rowFrom = ys.first[0]
  const rowTo = ys.first[height - 1] + ys.count[height - 1]
  // horizontal pass over only the rows the vertical pass will read
  const rows = new Float32Array((rowTo - rowFrom) * width * 4)
  for (let y = rowFrom; y < rowTo; y++) {
    const srcRow = y * image.width * 4
    const outRow = (y - rowFrom) * width * 4
    for (let x = 0; x < width; x++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      const n = xs.count[x]
      const wOffset = xs.offset[x]
      let p = srcRow + xs.first[x] * 4
      for (let k = 0; k < n; k++, p += 4) {
        const w = xs.weights[wOffset + k]
        const alpha = src[p + 3]
        if (alpha === 255) {
          r += src[p] * w
          g += src[p + 1] * w
          b += src[p + 2] * w
        } else {
          // premultiplied to whole levels, exactly what a canvas stores: the browser (which can only
          // return colour rounded through that) and Node then feed identical numbers from here on
          const f = alpha / 255
          r += Math.round(src[p] * f) * w
          g += Math.round(src[p + 1] * f) * w
          b += Math.round(src[p + 2] * f) * w
        }
        a += alpha * w
      }
      const o = outRow + x * 4
      rows[o] = r
      rows[o + 1] = g
      rows[o + 2] = b
      rows[o + 3] = a
    }
  }
  const out = createPremultipliedImage(width, height)
  const dst = out.data
  const stride = width * 4
  for (let y = 0; y < height; y++) {
    const n = ys.count[y]
    const wOffset = ys.offset[y]
    const base = (ys.first[y] - rowFrom) * stride
    const outRow = y * stride
    for (let k = 0; k < n; k++) {
      const w = ys.weights[wOffset + k]
      const from = base + k * stride
      for (let i = 0; i < stride; i++) dst[outRow + i] += rows[from + i] * w
    }
  }
  return out
}

/** Shrinks (or keeps) `image` to exactly width x height by area averaging. */
export function resampleArea(image: RgbaImage, width: number, height: number): RgbaImage {
  if (width === image.width && height === image.height) {
    return { width, height, data: new Uint8ClampedArray(image.data) }
  }
  return toRgba(shrinkToPremultiplied(image, { x: 0, y: 0, width: image.width, height: image.height }, width, height))
}

/**
 * Stretches `source` bilinearly over the whole of `target`, but writes only the pixels inside `region`
 * (the margins around a pasted original), multiplying colour by `brightness`. Separable: each target
 * row first blends two source rows (a few dozen pixels), then every pixel blends two of those.
 */
export function drawBilinear(target: RgbaImage, source: PremultipliedImage, region: Box, brightness = 1): void {
  if (region.width <= 0 || region.height <= 0) return
  const sx = source.width / target.width
  const sy = source.height / target.height
  const left = new Int32Array(region.width)
  const fx = new Float32Array(region.width)
  for (let i = 0; i < region.width; i++) {
    const u = Math.max(0, Math.min(source.width - 1, (region.x + i + 0.5) * sx - 0.5))
    left[i] = Math.min(source.width - 2, Math.floor(u)) * 4
    fx[i] = u - left[i] / 4
  }
  // a 1 px wide source has no right neighbour: pad the blended row by one pixel
  const row = new Float32Array((source.width + 1) * 4)
  const src = source.data
  const dst = target.data
  const sw4 = source.width * 4
  for (let j = 0; j < region.height; j++) {
    const y = region.y + j
    const v = Math.max(0, Math.min(source.height - 1, (y + 0.5) * sy - 0.5))
    const top = Math.floor(v) * sw4
    const bottom = Math.min(source.height - 1, Math.floor(v) + 1) * sw4
    const fy = v - Math.floor(v)
    for (let k = 0; k < sw4; k++) row[k] = src[top + k] + (src[bottom + k] - src[top + k]) * fy
    for (let k = 0; k < 4; k++) row[sw4 + k] = row[sw4 - 4 + k]
    let o = (y * target.width + region.x) * 4
    for (let i = 0; i < region.width; i++, o += 4) {
      const p = Math.max(0, left[i])
      const f = fx[i]
      const a = row[p + 3] + (row[p + 7] - row[p + 3]) * f
      if (a <= 0) {
        dst[o] = dst[o + 1] = dst[o + 2] = dst[o + 3] = 0
        continue
      }
      const k = (255 * brightness) / a
      dst[o] = (row[p] + (row[p + 4] - row[p]) * f) * k
      dst[o + 1] = (row[p + 1] + (row[p + 5] - row[p + 1]) * f) * k
      dst[o + 2] = (row[p + 2] + (row[p + 6] - row[p + 2]) * f) * k
      dst[o + 3] = a
    }
  }
}
