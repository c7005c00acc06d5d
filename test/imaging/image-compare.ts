// Pixel comparisons for the imaging tests: decoded with sharp to premultiplied RGBA, so that the colour
// under fully transparent pixels (which encoders keep or drop as they like) never counts.
import sharp from 'sharp'

export type Pixels = { width: number; height: number; data: Uint8Array }

export async function decodeRgba(bytes: Uint8Array | Buffer): Promise<Pixels> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/**
 * Mean absolute difference per channel (premultiplied R, G, B and A, 0..255) over the interior: the
 * image less `border` px on every side. Returns the worst channel and all four.
 */
export function meanAbsoluteDifference(a: Pixels, b: Pixels, border: number): { worst: number; channels: number[] } {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`)
  const sums = [0, 0, 0, 0]
  let count = 0
  for (let y = border; y < a.height - border; y++) {
    for (let x = border; x < a.width - border; x++) {
      const i = (y * a.width + x) * 4
      const alphaA = a.data[i + 3] / 255
      const alphaB = b.data[i + 3] / 255
      for (let c = 0; c < 3; c++) sums[c] += Math.abs(a.data[i + c] * alphaA - b.data[i + c] * alphaB)
      sums[3] += Math.abs(a.data[i + 3] - b.data[i + 3])
      count++
    }
  }
  const channels = sums.map((s) => s / Math.max(1, count))
  return { worst: Math.max(...channels), channels }
}

/** Rec. 601 luma of pixel (x, y), premultiplied (transparent counts as black). */
export function lumaAt(image: Pixels, x: number, y: number): number {
  const i = (y * image.width + x) * 4
  const a = image.data[i + 3] / 255
  return (0.299 * image.data[i] + 0.587 * image.data[i + 1] + 0.114 * image.data[i + 2]) * a
}
