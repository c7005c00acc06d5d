// Decoded pixels as the engine sees them on every platform: 8-bit RGBA, straight (not premultiplied)
// alpha, rows top to bottom, already upright. Codecs produce and consume exactly this.
import type { Box } from '../core/ratios'

export type RgbaImage = {
  width: number
  height: number
  /** width * height * 4 bytes, RGBA, straight alpha. */
  data: Uint8ClampedArray
}

export function createRgbaImage(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8ClampedArray(width * height * 4) }
}

/** True when every pixel is fully opaque (the image can be written as JPEG without loss of alpha). */
export function isOpaque(image: RgbaImage): boolean {
  const { data } = image
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false
  return true
}

/** A copy of `box` (integer pixels, inside the image). */
export function cropRgba(image: RgbaImage, box: Box): RgbaImage {
  const out = createRgbaImage(box.width, box.height)
  const rowBytes = box.width * 4
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * image.width + box.x) * 4
    out.data.set(image.data.subarray(from, from + rowBytes), y * rowBytes)
  }
  return out
}

/** Writes `source` into `target` at (x, y), replacing pixels (alpha included) rather than blending. */
export function pasteRgba(target: RgbaImage, source: RgbaImage, x: number, y: number): void {
  const rowBytes = source.width * 4
  for (let row = 0; row < source.height; row++) {
    const from = row * rowBytes
    target.data.set(source.data.subarray(from, from + rowBytes), ((y + row) * target.width + x) * 4)
  }
}

/** A copy composited onto white and fully opaque (for JPEG, which has no alpha). */
export function flattenOnWhite(image: RgbaImage): RgbaImage {
  const out = createRgbaImage(image.width, image.height)
  const src = image.data
  const dst = out.data
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3] / 255
    const under = 255 * (1 - a)
    dst[i] = src[i] * a + under
    dst[i + 1] = src[i + 1] * a + under
    dst[i + 2] = src[i + 2] * a + under
    dst[i + 3] = 255
  }
  return out
}
