// Luminance planes for locating a source: the result as grey, the source as grey weighted by its
// alpha, their statistics, and the pyramids of halved copies the search walks down.
import type { RgbaImage } from './rgba-image'

export type Grey = { width: number; height: number; value: Float32Array }
export type WeightedGrey = Grey & { weight: Float32Array }

/** Rec. 601 luma (what JPEG stores), 0..255; alpha ignored (results are opaque). */
export function luminance(image: RgbaImage): Grey {
  const value = new Float32Array(image.width * image.height)
  const d = image.data
  for (let p = 0, i = 0; p < value.length; p++, i += 4) value[p] = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]
  return { width: image.width, height: image.height, value }
}

/** Luma and a weight per pixel: the source's alpha, so that transparent pixels (colour undefined) never count. */
export function weightedLuminance(image: RgbaImage): WeightedGrey {
  const grey = luminance(image)
  const weight = new Float32Array(grey.value.length)
  for (let p = 0; p < weight.length; p++) weight[p] = image.data[p * 4 + 3] / 255
  return { ...grey, weight }
}

export function weightedStats(value: Float32Array, weight: Float32Array): { weight: number; std: number } {
  let sw = 0
  let s = 0
  let ss = 0
  for (let i = 0; i < value.length; i++) {
    const w = weight[i]
    sw += w
    s += w * value[i]
    ss += w * value[i] * value[i]
  }
  if (sw <= 0) return { weight: 0, std: 0 }
  return { weight: sw, std: Math.sqrt(Math.max(0, ss / sw - (s / sw) ** 2)) }
}

/** Halves a weighted image (alpha-weighted 2x2 means) while it stays at least 8 px a side. */
export function weightedPyramid(base: WeightedGrey): WeightedGrey[] {
  return halvings(base, (last, width, height) => {
    const value = new Float32Array(width * height)
    const weight = new Float32Array(width * height)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v = 0
        let w = 0
        for (const p of [2 * y * last.width + 2 * x, 2 * y * last.width + 2 * x + 1, (2 * y + 1) * last.width + 2 * x, (2 * y + 1) * last.width + 2 * x + 1]) {
          v += last.value[p] * last.weight[p]
          w += last.weight[p]
        }
        value[y * width + x] = w > 0 ? v / w : 0
        weight[y * width + x] = w / 4
      }
    }
    return { width, height, value, weight }
  })
}

/** Halves the image (2x2 means) until the next level would be under 8 px a side. */
export function greyPyramid(base: Grey): Grey[] {
  return halvings(base, (last, width, height) => {
    const value = new Float32Array(width * height)
    const v = last.value
    const w0 = last.width
    for (let y = 0; y < height; y++) {
      const a = 2 * y * w0
      const b = a + w0
      for (let x = 0; x < width; x++) {
        value[y * width + x] = (v[a + 2 * x] + v[a + 2 * x + 1] + v[b + 2 * x] + v[b + 2 * x + 1]) / 4
      }
    }
    return { width, height, value }
  })
}

/** `base`, then each level halved by `halve` (given the last level and the next one's size) while it stays at least 8 px a side. */
function halvings<T extends { width: number; height: number }>(base: T, halve: (last: T, width: number, height: number) => T): T[] {
  const levels = [base]
  for (;;) {
    const last = levels[levels.length - 1]
    const width = Math.floor(last.width / 2)
    const height = Math.floor(last.height / 2)
    if (width < 8 || height < 8) return levels
    levels.push(halve(last, width, height))
  }
}
