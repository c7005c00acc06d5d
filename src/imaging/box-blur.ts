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

/**
 * The same blur on one channel held as its own plane (width * height floats), in place: the numbers
 * are bit-identical to `boxBlur` on that channel (each row and column sums the same values in the same
 * order), but rows run over contiguous memory and columns are summed a row at a time, so nothing
 * strides across the image and no unused channel is touched. `scratch` (width * height floats) may be
 * passed to spare an allocation.
 */
export function boxBlurPlane(plane: Float32Array, width: number, height: number, radius: number, passes = 3, scratch = new Float32Array(width * height)): void {
  const r = Math.max(0, Math.floor(radius))
  if (r === 0) return
  const line = new Float32Array(width)
  const sums = new Float64Array(width)
  const scale = 1 / (2 * r + 1)
  for (let pass = 0; pass < passes; pass++) {
    for (let y = 0; y < height; y++) blurRow(plane, y * width, width, r, scale, line)
    blurColumns(plane, scratch, width, height, r, scale, sums)
  }
}

function blurRow(plane: Float32Array, start: number, width: number, r: number, scale: number, line: Float32Array): void {
  line.set(plane.subarray(start, start + width))
  const last = width - 1
  let sum = 0
  for (let k = -r; k <= r; k++) sum += line[Math.min(last, Math.max(0, k))]
  for (let i = 0; i < width; i++) {
    plane[start + i] = sum * scale
    sum += line[Math.min(last, i + r + 1)] - line[Math.max(0, i - r)]
  }
}

/** Every column's running sum at once, one row at a time; `copy` holds the plane as it was. */
function blurColumns(plane: Float32Array, copy: Float32Array, width: number, height: number, r: number, scale: number, sums: Float64Array): void {
  copy.set(plane)
  const last = height - 1
  sums.fill(0)
  for (let k = -r; k <= r; k++) {
    const row = Math.min(last, Math.max(0, k)) * width
    for (let x = 0; x < width; x++) sums[x] += copy[row + x]
  }
  for (let y = 0; y < height; y++) {
    const out = y * width
    const enter = Math.min(last, y + r + 1) * width
    const leave = Math.max(0, y - r) * width
    for (let x = 0; x < width; x++) {
      plane[out + x] = sums[x] * scale
      sums[x] += copy[enter + x] - copy[leave + x]
    }
  }
}
