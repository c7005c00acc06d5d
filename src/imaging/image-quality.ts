// Measures of a composited result, for tests and benchmarks: how much of the original survived (SSIM)
// and whether the seam between original and generated pixels shows (gradient across the seam against
// the picture's own gradients). Pure arithmetic on RGBA buffers, on luminance (Rec. 601 luma, alpha
// ignored: the images measured are opaque outputs).
import type { Box } from '../core/ratios'
import type { RgbaImage } from './rgba-image'

/** Standard SSIM constants for 8-bit data (Wang et al. 2004): K1 = 0.01, K2 = 0.03, L = 255. */
const C1 = (0.01 * 255) ** 2
const C2 = (0.03 * 255) ** 2
/** The standard 11 x 11 Gaussian window, sigma 1.5. */
const SIGMA = 1.5
const RADIUS = 5

/**
 * Mean structural similarity of two images of the same size, on luminance, with the standard Gaussian
 * window (11 x 11, sigma 1.5) and constants (Wang et al. 2004): 1 for identical images, lower as
 * structure, contrast or brightness differ. With `region` (whole pixels), the mean covers only the
 * windows centred in it, each window still seeing the pixels around it (clamped at the image's edges).
 */
export function ssim(a: RgbaImage, b: RgbaImage, region?: Box): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`ssim needs images of one size (${a.width}x${a.height} vs ${b.width}x${b.height})`)
  const area = clampRegion(region ?? { x: 0, y: 0, width: a.width, height: a.height }, a)
  if (area.width <= 0 || area.height <= 0) throw new Error('ssim region is empty')
  // the statistics are only needed around the region: blur a window of it, RADIUS px larger
  const pad = {
    x: Math.max(0, area.x - RADIUS),
    y: Math.max(0, area.y - RADIUS),
    right: Math.min(a.width, area.x + area.width + RADIUS),
    bottom: Math.min(a.height, area.y + area.height + RADIUS)
  }
  const width = pad.right - pad.x
  const height = pad.bottom - pad.y
  const la = luma(a, pad.x, pad.y, width, height)
  const lb = luma(b, pad.x, pad.y, width, height)
  const n = width * height
  const aa = new Float32Array(n)
  const bb = new Float32Array(n)
  const ab = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    aa[i] = la[i] * la[i]
    bb[i] = lb[i] * lb[i]
    ab[i] = la[i] * lb[i]
  }
  const kernel = gaussianKernel()
  const [ma, mb, saa, sbb, sab] = [la, lb, aa, bb, ab].map((plane) => gaussianBlur(plane, width, height, kernel))
  let sum = 0
  for (let y = area.y; y < area.y + area.height; y++) {
    for (let x = area.x; x < area.x + area.width; x++) {
      const i = (y - pad.y) * width + (x - pad.x)
      const mu1 = ma[i]
      const mu2 = mb[i]
      const var1 = saa[i] - mu1 * mu1
      const var2 = sbb[i] - mu2 * mu2
      const cov = sab[i] - mu1 * mu2
      sum += ((2 * mu1 * mu2 + C1) * (2 * cov + C2)) / ((mu1 * mu1 + mu2 * mu2 + C1) * (var1 + var2 + C2))
    }
  }
  return sum / (area.width * area.height)
}

/**
 * How much a seam shows: the mean gradient across the source box's edges, within `band` px either
 * side of them, divided by the mean gradient of the rest of the image. About 1 when the seam is as
 * smooth as the picture around it; a hard step at the seam gives several times that. Only edges
 * inside the image count (an edge on the border is no seam); across means the horizontal difference
 * at the left and right edges and the vertical one at the top and bottom. The rest of the image is
 * measured with the mean of both differences, so that the two compare on any picture whose texture
 * has no preferred direction. Infinity when the image is flat away from the seam; NaN when the box
 * has no edge inside the image.
 */
export function seamGradientRatio(image: RgbaImage, sourceBox: Box, band: number): number {
  const { width, height } = image
  const l = luma(image, 0, 0, width, height)
  const inBand = new Uint8Array(width * height)
  const x0 = Math.round(sourceBox.x)
  const y0 = Math.round(sourceBox.y)
  const x1 = Math.round(sourceBox.x + sourceBox.width)
  const y1 = Math.round(sourceBox.y + sourceBox.height)
  const r = Math.max(1, Math.round(band))
  let seamSum = 0
  let seamCount = 0
  // vertical seams (left, right): differences between x and x + 1 across the edge column
  for (const edge of [x0, x1]) {
    if (edge <= 0 || edge >= width) continue
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, edge - r); x < Math.min(width - 1, edge + r); x++) {
        seamSum += Math.abs(l[y * width + x + 1] - l[y * width + x])
        seamCount += 1
        inBand[y * width + x] = 1
        inBand[y * width + x + 1] = 1
      }
    }
  }
  // horizontal seams (top, bottom): differences between y and y + 1 across the edge row
  for (const edge of [y0, y1]) {
    if (edge <= 0 || edge >= height) continue
    for (let y = Math.max(0, edge - r); y < Math.min(height - 1, edge + r); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        seamSum += Math.abs(l[(y + 1) * width + x] - l[y * width + x])
        seamCount += 1
        inBand[y * width + x] = 1
        inBand[(y + 1) * width + x] = 1
      }
    }
  }
  if (seamCount === 0) return Number.NaN
  const outside = meanGradientOutside(l, width, height, inBand)
  const rest = Number.isNaN(outside) ? 0 : outside
  const seam = seamSum / seamCount
  if (rest === 0) return seam === 0 ? 1 : Number.POSITIVE_INFINITY
  return seam / rest
}

/**
 * Gradients around the box's edges that lie inside the image, on luminance, each the mean absolute
 * difference ACROSS the edge (horizontal at the left and right edges, vertical at the top and bottom):
 * - seam: within `band` px either side of the edge;
 * - near: the same differences in the flanks beyond the band, from `band` to `3 band` px on each side
 *   (inside the box and outside it, the two sides weighted equally, as the band holds them equally):
 *   what the band would measure if the edge were no seam;
 * - own: the whole image's mean gradient away from the band (both directions averaged), as before.
 * `own` weighs the source and the surround by their areas: a 9:16 frame of a landscape photo is
 * mostly smooth generated surround, so `own` falls well below what the band (half original texture)
 * reads even where nothing steps. `near` compares the band with its own surroundings, so seam/near
 * rises above 1 only for what the seam adds.
 */
export function seamGradients(image: RgbaImage, box: Box, band: number): { seam: number; near: number; own: number } {
  const { width, height } = image
  const l = luma(image, 0, 0, width, height)
  const inBand = new Uint8Array(width * height)
  const [x0, y0, x1, y1] = [box.x, box.y, box.x + box.width, box.y + box.height].map(Math.round)
  const r = Math.max(1, Math.round(band))
  const totals = { seam: [0, 0], inside: [0, 0], outside: [0, 0] }
  // differences between p and p + 1 across an edge, for p in [from, to) (perpendicular), along [a0, a1)
  const across = (vertical: boolean, from: number, to: number, a0: number, a1: number, into: number[], mark: boolean) => {
    const limit = vertical ? width : height
    const along = vertical ? height : width
    for (let p = Math.max(0, from); p < Math.min(limit - 1, to); p++) {
      for (let a = Math.max(0, a0); a < Math.min(along, a1); a++) {
        const i = vertical ? a * width + p : p * width + a
        const j = vertical ? i + 1 : i + width
        into[0] += Math.abs(l[j] - l[i])
        into[1] += 1
        if (mark) inBand[i] = inBand[j] = 1
      }
    }
  }
  for (const [edge, vertical, inward] of [[x0, true, 1], [x1, true, -1], [y0, false, 1], [y1, false, -1]] as const) {
    if (edge <= 0 || edge >= (vertical ? width : height)) continue
    const [a0, a1] = vertical ? [y0, y1] : [x0, x1]
    const [lo, hi] = vertical ? [x0, x1] : [y0, y1]
    across(vertical, edge - r, edge + r, a0, a1, totals.seam, true)
    // flanks: inside the box (never past its middle), and outside it
    const inside = inward > 0 ? [edge + r, Math.min(edge + 3 * r, (lo + hi) >> 1)] : [Math.max(edge - 3 * r, (lo + hi) >> 1), edge - r]
    const outside = inward > 0 ? [edge - 3 * r, edge - r] : [edge + r, edge + 3 * r]
    across(vertical, inside[0], inside[1], a0, a1, totals.inside, false)
    across(vertical, outside[0], outside[1], a0, a1, totals.outside, false)
  }
  const mean = ([sum, count]: number[]) => (count > 0 ? sum / count : Number.NaN)
  const sides = [mean(totals.inside), mean(totals.outside)].filter(Number.isFinite)
  return {
    seam: mean(totals.seam),
    near: sides.length > 0 ? sides.reduce((a, b) => a + b, 0) / sides.length : Number.NaN,
    own: meanGradientOutside(l, width, height, inBand)
  }
}

/** The image's own mean gradient (right and down neighbours) over the pixels not marked in `inBand`; NaN if none. */
function meanGradientOutside(l: Float32Array, width: number, height: number, inBand: Uint8Array): number {
  let sum = 0
  let count = 0
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const i = y * width + x
      if (inBand[i]) continue
      sum += (Math.abs(l[i + 1] - l[i]) + Math.abs(l[i + width] - l[i])) / 2
      count += 1
    }
  }
  return count > 0 ? sum / count : Number.NaN
}

function clampRegion(region: Box, image: RgbaImage): Box {
  const x = Math.max(0, Math.round(region.x))
  const y = Math.max(0, Math.round(region.y))
  const right = Math.min(image.width, Math.round(region.x + region.width))
  const bottom = Math.min(image.height, Math.round(region.y + region.height))
  return { x, y, width: right - x, height: bottom - y }
}

function luma(image: RgbaImage, left: number, top: number, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height)
  const d = image.data
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = ((top + y) * image.width + left + x) * 4
      out[y * width + x] = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]
    }
  }
  return out
}

function gaussianKernel(): Float32Array {
  const k = new Float32Array(2 * RADIUS + 1)
  let sum = 0
  for (let i = -RADIUS; i <= RADIUS; i++) {
    k[i + RADIUS] = Math.exp(-(i * i) / (2 * SIGMA * SIGMA))
    sum += k[i + RADIUS]
  }
  return k.map((v) => v / sum)
}

/** Separable Gaussian blur, edges clamped. */
function gaussianBlur(plane: Float32Array, width: number, height: number, kernel: Float32Array): Float32Array {
  const tmp = new Float32Array(plane.length)
  const out = new Float32Array(plane.length)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0
      for (let k = -RADIUS; k <= RADIUS; k++) s += kernel[k + RADIUS] * plane[y * width + Math.min(width - 1, Math.max(0, x + k))]
      tmp[y * width + x] = s
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0
      for (let k = -RADIUS; k <= RADIUS; k++) s += kernel[k + RADIUS] * tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x]
      out[y * width + x] = s
    }
  }
  return out
}
