// Node codec for the offline engine and the CLI: sharp (libvips) decodes every input format the
// engine promises, upright and as 8-bit sRGB RGBA, and encodes PNG/JPEG.
import sharp from 'sharp'
import { ReframeError } from '../core/reframe-error'
import { JPEG_QUALITY, type ImageCodec, type OutputFormat } from './codec'
import { throwIfDamaged } from './image-damage'
import type { RgbaImage } from './rgba-image'

/** Largest input accepted: 10000 x 10000 px, with headroom for a few px more on one side. */
const MAX_INPUT_PIXELS = 10_240 * 10_240

export const nodeCodec: ImageCodec = {
  async decode(bytes: Uint8Array): Promise<RgbaImage> {
    throwIfDamaged(bytes)
    try {
      const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1, page: 0 })
        .rotate() // EXIF orientation: the image as people see it
        .toColourspace('srgb') // CMYK, grey, 16-bit and palette inputs all end as 8-bit sRGB
        .ensureAlpha()
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true })
      if (info.channels !== 4) throw new Error(`unexpected ${info.channels} channels after decoding`)
      return {
        width: info.width,
        height: info.height,
        data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength)
      }
    } catch (error) {
      throw new ReframeError('decode', `This file is not an image the engine can read (${describe(error)}).`, { cause: error })
    }
  },

  async encode(image: RgbaImage, format: OutputFormat): Promise<Uint8Array> {
    const pixels = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)
    const input = sharp(pixels, { raw: { width: image.width, height: image.height, channels: 4 } })
    const encoded =
      format === 'jpeg'
        ? input.flatten({ background: '#ffffff' }).jpeg({ quality: Math.round(JPEG_QUALITY * 100) })
        : // level 6 with no adaptive filtering: close to the default size, clearly faster on photos
          input.png({ compressionLevel: 6, adaptiveFiltering: false })
    const bytes = await encoded.toBuffer()
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0].replace(/^Input buffer /, '').trim() || 'unknown format'
}
