// Three box blurs in a row approximate a Gaussian closely and cost the same for any radius: the
// salient-subject analysis blurs its small copy with them, identically in the browser and in Node.
import type { PremultipliedImage } from './premultiplied-image'

/**
 * Blurs in place: `passes` box blurs of `radius` px along x, then along y (edges clamped), of the
 * first `channels` of each pixel's four (the others are left as they are).
 */
export function boxBlur(image: PremultipliedImage, radius: number, passes = 3, channels = 4): void {
  const r = Math.max(0, Math.floor(radius))
  if (r === 0) return
  const { width, height, data } = image
  const line = new Float32Array(Math.max(width, height) * 4)
  for (let pass = 0; pass < passes; pass++) {
    for (let y = 0; y < height; y++) blurLine(data, y * width * 4, 4, width, r, line, channels)
    for (let x = 0; x < width; x++) blurLine(data, x * 4, width * 4, height, r, line, channels)
  }
}

/** One 1-D box blur over `length` pixels starting at `start`, `step` floats apart. */
function blurLine(data: Float32Array, start: number, step: number, length: number, r: number, line: Float32Array, channels: number): void {
  for (let i = 0, p = start; i < length; i++, p += step) {
    line[i * 4] = data[p]
    line[i * 4 + 1] = data[p + 1]
    line[i * 4 + 2] = data[p + 2]
    line[i * 4 + 3] = data[p + 3]
  }
  const scale = 1 / (2 * r + 1)
  const last = length - 1
  for (let c = 0; c < channels; c++) {
    let sum = 0
    for (let k = -r; k <= r; k++) sum += line[Math.min(last, Math.max(0, k)) * 4 + c]
    for (let i = 0, p = start; i < length; i++, p += step) {
      data[p + c] = sum * scale
      sum += line[Math.min(last, i + r + 1) * 4 + c] - line[Math.max(0, i - r) * 4 + c]
    }
  }
}
