// Results are made safe for figma.createImage: PNG/JPEG only, at most 4096 px, presets cropped.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { nodeCodec } from '../../src/imaging/codec-node'
import { encodedImageOf, readImageHeader } from '../../src/core/image-header'
import type { EncodedImage } from '../../src/core/image-header'
import { prepareResult } from '../../src/imaging/prepare-result'
import { fixture } from '../ui/fake-main'

async function encoded(bytes: Buffer | Uint8Array): Promise<EncodedImage> {
  const data = new Uint8Array(bytes)
  const image = encodedImageOf(data)
  if (image === null) throw new Error('fixture is not an image')
  return image
}

const native = { target: '16:9', requested: '16:9', sourceAspect: 1.5, placement: 'center' } as const

describe('prepareResult', () => {
  it('converts a WebP result to PNG of the same size', async () => {
    const webp = await encoded(await sharp(fixture('coffee.png')).webp().toBuffer())
    const out = await prepareResult(webp, native, nodeCodec)
    expect(readImageHeader(out.bytes)).toMatchObject({ format: 'png', width: 600, height: 400 })
    expect(out).toMatchObject({ format: 'png', width: 600, height: 400 })
  })

  it('converts a GIF result to PNG', async () => {
    const gif = await encoded(fixture('no_time_for_that_tiny.gif'))
    const out = await prepareResult(gif, native, nodeCodec)
    expect(readImageHeader(out.bytes)?.format).toBe('png')
  })

  it('scales a 5000 px result to 4096 px on its long edge, keeping its shape and format', async () => {
    const big = await encoded(await sharp(fixture('rocket.jpg')).resize(5000, 2813, { fit: 'fill' }).jpeg().toBuffer())
    const out = await prepareResult(big, native, nodeCodec)
    expect(readImageHeader(out.bytes)).toMatchObject({ format: 'jpeg', width: 4096, height: 2304 })
  })

  it('passes a native-ratio PNG or JPEG within limits through untouched', async () => {
    const jpeg = await encoded(fixture('rocket.jpg'))
    expect(await prepareResult(jpeg, native, nodeCodec)).toBe(jpeg)
  })

  it('crops a preset from a native result keeping the source where the placement put it', async () => {
    // 21:9 generated for a 1.91:1 target from a square source placed at the start: source = left 512 px (green)
    const source = await sharp({ create: { width: 512, height: 512, channels: 3, background: '#00ff00' } }).png().toBuffer()
    const bytes = await sharp({ create: { width: 1216, height: 512, channels: 3, background: '#ff00ff' } })
      .composite([{ input: source, left: 0, top: 0 }])
      .png()
      .toBuffer()
    const out = await prepareResult(await encoded(bytes), { target: '1.91:1', requested: '21:9', sourceAspect: 1, placement: 'start' }, nodeCodec)
    expect(out.height).toBe(512)
    expect(out.width / out.height).toBeCloseTo(1.91, 2)
    const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true })
    const green = (x: number) => data[(256 * info.width + x) * info.channels + 1] > 200 && data[(256 * info.width + x) * info.channels] < 60
    expect(Array.from({ length: info.width }, (_, x) => x).filter(green)).toHaveLength(512)
  })
})
