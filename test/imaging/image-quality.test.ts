// The measures used by composite benchmarks, on synthetic images whose answer is known.
import { describe, expect, it } from 'vitest'
import { seamGradientRatio, ssim } from '../../src/imaging/image-quality'
import { createRgbaImage, type RgbaImage } from '../../src/imaging/rgba-image'

/** A deterministic textured grey image: sums of a few waves plus fixed-seed noise (no preferred direction). */
function texture(width: number, height: number, seed = 1, phase = 0): RgbaImage {
  const image = createRgbaImage(width, height)
  let state = seed
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = 128 + 30 * Math.sin(x / 5 + y / 7 + phase) + 25 * Math.cos(x / 9 - y / 4 + 2 * phase) + 30 * (random() - 0.5)
      image.data.set([v, v, v, 255], (y * width + x) * 4)
    }
  }
  return image
}

function map(image: RgbaImage, f: (value: number, x: number, y: number) => number): RgbaImage {
  const out = createRgbaImage(image.width, image.height)
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4
      const v = f(image.data[i], x, y)
      out.data.set([v, v, v, 255], i)
    }
  }
  return out
}

describe('ssim', () => {
  it('is 1 for identical images and falls as they differ more', () => {
    const a = texture(96, 64)
    expect(ssim(a, a)).toBeCloseTo(1, 10)
    const brighter = map(a, (v) => v + 10)
    const noisy = map(a, (v, x, y) => v + (((x * 31 + y * 17) % 7) - 3) * 8)
    const other = texture(96, 64, 99, 2)
    const values = [ssim(a, brighter), ssim(a, noisy), ssim(a, other)]
    expect(values[0]).toBeLessThan(1)
    expect(values[0]).toBeGreaterThan(0.95)
    expect(values[1]).toBeLessThan(values[0])
    expect(values[2]).toBeLessThan(values[1])
    expect(values[2]).toBeLessThan(0.5)
  })

  it('is symmetric and counts colour through luminance only', () => {
    const a = texture(40, 40)
    const b = map(a, (v) => v * 0.9)
    expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 10)
    // same luma, different hue: red + blue traded against green keeps Rec. 601 luma nearly equal
    const tinted = createRgbaImage(a.width, a.height)
    for (let i = 0; i < a.data.length; i += 4) {
      const v = a.data[i]
      tinted.data.set([v + 20, v - 10.2, v, 255], i)
    }
    expect(ssim(a, tinted)).toBeGreaterThan(0.99)
  })

  it('measures only the region asked for, its windows still seeing the pixels around it', () => {
    const a = texture(120, 60)
    const b = map(a, (v, x) => (x >= 60 ? 255 - v : v))
    expect(ssim(a, b)).toBeLessThan(0.6)
    expect(ssim(a, b, { x: 0, y: 0, width: 50, height: 60 })).toBeCloseTo(1, 10)
    // windows centred within 5 px of the change see some of it
    const near = ssim(a, b, { x: 0, y: 0, width: 60, height: 60 })
    expect(near).toBeLessThan(1)
    expect(near).toBeGreaterThan(0.9)
  })

  it('refuses images of different sizes', () => {
    expect(() => ssim(texture(10, 10), texture(10, 11))).toThrow(/one size/)
  })
})

describe('seamGradientRatio', () => {
  const box = { x: 40, y: 30, width: 80, height: 60 }

  it('is about 1 where nothing was pasted: the seam band is as busy as the rest', () => {
    const ratio = seamGradientRatio(texture(160, 120), box, 3)
    expect(ratio).toBeGreaterThan(0.85)
    expect(ratio).toBeLessThan(1.15)
  })

  it('is high for a hard step at the box edges, and falls back towards 1 when the step is feathered', () => {
    const base = texture(160, 120)
    const inside = (x: number, y: number) => x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height
    const hard = map(base, (v, x, y) => (inside(x, y) ? v + 60 : v))
    // one difference in the band's six holds the step: about (60 + 5 x 12) / 6 / 12 on this texture
    const hardRatio = seamGradientRatio(hard, box, 3)
    expect(hardRatio).toBeGreaterThan(1.6)
    // a one-pixel band is the step itself and its neighbour
    expect(seamGradientRatio(hard, box, 1)).toBeGreaterThan(2.5)
    // the step spread linearly over 12 px inside the box: 5 levels a pixel, well under the texture's own
    const distance = (x: number, y: number) => Math.min(x - box.x, box.x + box.width - 1 - x, y - box.y, box.y + box.height - 1 - y)
    const soft = map(base, (v, x, y) => (inside(x, y) ? v + 60 * Math.min(1, (distance(x, y) + 1) / 12) : v))
    const softRatio = seamGradientRatio(soft, box, 3)
    expect(softRatio).toBeLessThan(hardRatio)
    expect(softRatio).toBeLessThan(1.2)
  })

  it('counts only edges inside the image: a box on the border has one seam, a box filling the image none', () => {
    const base = texture(160, 120)
    // the box spans the full height at the left: only its right edge is a seam
    const left = { x: 0, y: 0, width: 80, height: 120 }
    const stepped = map(base, (v, x) => (x < 80 ? v + 60 : v))
    expect(seamGradientRatio(stepped, left, 1)).toBeGreaterThan(2.5)
    expect(seamGradientRatio(base, left, 1)).toBeLessThan(1.2)
    // a box whose only inner edge is away from the step does not see it
    expect(seamGradientRatio(stepped, { x: 0, y: 0, width: 40, height: 120 }, 1)).toBeLessThan(1.2)
    expect(seamGradientRatio(base, { x: 0, y: 0, width: 160, height: 120 }, 3)).toBeNaN()
  })

  it('is infinite for a seam in an otherwise flat image, and 1 when everything is flat', () => {
    const flat = map(texture(60, 40), () => 100)
    const stepped = map(flat, (v, x) => (x >= 30 ? 160 : v))
    expect(seamGradientRatio(stepped, { x: 30, y: 0, width: 30, height: 40 }, 2)).toBe(Number.POSITIVE_INFINITY)
    expect(seamGradientRatio(flat, { x: 30, y: 0, width: 30, height: 40 }, 2)).toBe(1)
  })
})
