import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { RgbaImage } from '../../src/imaging/rgba-image'
import { nodeBackend } from '../../src/imaging/backend-node'
import { createLocalProvider } from '../../src/providers/local'
import { fixture, gradientRaw } from './fixture-images'

/** The backend's picture at full size, as 8-bit RGBA (its analysis copy at the picture's own long edge). */
async function decodeRgba(bytes: Uint8Array): Promise<RgbaImage> {
  const picture = await nodeBackend.decode(bytes)
  return nodeBackend.analysis(picture, Math.max(picture.width, picture.height))
}

const W = 64
const H = 40

function pixel(image: RgbaImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4
  return Array.from(image.data.subarray(i, i + 4))
}

/** A raw gradient in sharp, ready to be written in any format. */
const gradient = () => sharp(gradientRaw(W, H), { raw: { width: W, height: H, channels: 3 } })

function expectGradient(image: RgbaImage, tolerance: number) {
  expect(image).toMatchObject({ width: W, height: H })
  for (const [x, y] of [
    [0, 0],
    [W - 1, 0],
    [0, H - 1],
    [W - 1, H - 1],
    [30, 20]
  ]) {
    const [r, g, , a] = pixel(image, x, y)
    expect(Math.abs(r - Math.round((x / (W - 1)) * 255)), `red at ${x},${y}`).toBeLessThanOrEqual(tolerance)
    expect(Math.abs(g - Math.round((y / (H - 1)) * 255)), `green at ${x},${y}`).toBeLessThanOrEqual(tolerance)
    expect(a).toBe(255)
  }
}

describe('the Node backend decodes every input the engine promises, upright, as 8-bit RGBA', () => {
  it('16-bit PNG', async () => {
    const bytes = await gradient().toColourspace('rgb16').png().toBuffer()
    expect((await sharp(bytes).metadata()).depth).toBe('ushort')
    expectGradient(await decodeRgba(bytes), 1)
  })

  it('CMYK JPEG', async () => {
    const bytes = await gradient().toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer()
    expect((await sharp(bytes).metadata()).space).toBe('cmyk')
    // saturated RGB is out of CMYK gamut, so colours shift; what must hold is size, opacity and that
    // red still grows left to right and green top to bottom (not inverted, not sideways)
    const image = await decodeRgba(bytes)
    expect(image).toMatchObject({ width: W, height: H })
    expect(pixel(image, W - 1, 0)[0] - pixel(image, 0, 0)[0]).toBeGreaterThan(150)
    expect(pixel(image, 0, H - 1)[1] - pixel(image, 0, 0)[1]).toBeGreaterThan(150)
    expect(pixel(image, 30, 20)[3]).toBe(255)
  })

  it('progressive JPEG', async () => {
    const bytes = await gradient().jpeg({ quality: 95, progressive: true }).toBuffer()
    expect((await sharp(bytes).metadata()).isProgressive).toBe(true)
    expectGradient(await decodeRgba(bytes), 6)
  })

  it('EXIF-rotated JPEG comes out upright', async () => {
    // stored sideways (rotated 90 degrees anticlockwise) with orientation 6 = "rotate 90 clockwise to show"
    const stored = await gradient().rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()
    const meta = await sharp(stored).metadata()
    expect(meta).toMatchObject({ width: H, height: W, orientation: 6 })
    expectGradient(await decodeRgba(stored), 6)
  })

  it('WebP', async () => {
    expectGradient(await decodeRgba(await gradient().webp({ lossless: true }).toBuffer()), 1)
  })

  it('GIF: the first frame of an animation', async () => {
    const decoded = await decodeRgba(fixture('no_time_for_that_tiny.gif'))
    expect(decoded).toMatchObject({ width: 14, height: 25 })
    const firstFrame = await sharp(fixture('no_time_for_that_tiny.gif'), { page: 0 }).ensureAlpha().raw().toBuffer()
    const secondFrame = await sharp(fixture('no_time_for_that_tiny.gif'), { page: 1 }).ensureAlpha().raw().toBuffer()
    expect(Buffer.compare(firstFrame, secondFrame)).not.toBe(0)
    expect(Buffer.from(decoded.data).equals(firstFrame)).toBe(true)
  })

  it('palette PNG and greyscale PNG', async () => {
    const palette = await decodeRgba(fixture('palette_color.png'))
    expect(palette).toMatchObject({ width: 10, height: 10 })
    const grey = await decodeRgba(fixture('camera.png'))
    expect(grey).toMatchObject({ width: 512, height: 512 })
    const [r, g, b, a] = pixel(grey, 100, 100)
    expect(r).toBe(g)
    expect(g).toBe(b)
    expect(a).toBe(255)
  })

  it('runs every odd format through the offline engine to an exact 9:16', async () => {
    const inputs = [
      await gradient().toColourspace('rgb16').png().toBuffer(),
      await gradient().toColourspace('cmyk').jpeg().toBuffer(),
      await gradient().rotate(-90).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
      await gradient().webp().toBuffer(),
      fixture('no_time_for_that_tiny.gif'),
      fixture('palette_color.png'),
      fixture('camera.png')
    ]
    for (const mode of ['crop', 'fill'] as const) {
      const provider = createLocalProvider({ backend: nodeBackend, mode })
      for (const bytes of inputs) {
        const uploaded = await provider.upload({ bytes: new Uint8Array(bytes), width: 0, height: 0, format: 'png' })
        const result = await provider.reframe(uploaded, '9:16')
        const meta = await sharp(result.bytes).metadata()
        expect({ width: meta.width, height: meta.height }).toEqual({ width: result.width, height: result.height })
        expect(Math.abs(result.width - (result.height * 9) / 16)).toBeLessThanOrEqual(1)
      }
    }
  })
})
