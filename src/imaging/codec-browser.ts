// Browser codec for the plugin UI: createImageBitmap decodes (EXIF orientation applied, first GIF
// frame), a 2D canvas reads the pixels and encodes PNG/JPEG. OffscreenCanvas when there is one.
import { ReframeError } from '../core/reframe-error'
import { JPEG_QUALITY, type ImageCodec, type OutputFormat } from './codec'
import { throwIfDamaged } from './image-damage'
import { flattenOnWhite, isOpaque, type RgbaImage } from './rgba-image'

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement

function createCanvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  return canvas
}

function context2d(canvas: AnyCanvas): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  const context = canvas.getContext('2d', { willReadFrequently: true }) as
    | OffscreenCanvasRenderingContext2D
    | CanvasRenderingContext2D
    | null
  if (!context) throw new ReframeError('decode', 'This browser cannot give the engine a 2D canvas.')
  return context
}

async function toBlob(canvas: AnyCanvas, type: string): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality: JPEG_QUALITY })
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`canvas could not encode ${type}`))), type, JPEG_QUALITY)
  )
}

export const browserCodec: ImageCodec = {
  async decode(bytes: Uint8Array): Promise<RgbaImage> {
    throwIfDamaged(bytes)
    let bitmap: ImageBitmap
    try {
      bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), {
        imageOrientation: 'from-image',
        premultiplyAlpha: 'none'
      })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new ReframeError('decode', `This file is not an image the engine can read (${reason}).`, { cause: error })
    }
    try {
      const canvas = createCanvas(bitmap.width, bitmap.height)
      const context = context2d(canvas)
      context.drawImage(bitmap, 0, 0)
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height)
      return { width: bitmap.width, height: bitmap.height, data }
    } finally {
      bitmap.close()
    }
  },

  async encode(image: RgbaImage, format: OutputFormat): Promise<Uint8Array> {
    // canvas JPEG turns transparency black; white matches what sharp does in Node
    const pixels = format === 'jpeg' && !isOpaque(image) ? flattenOnWhite(image) : image
    const canvas = createCanvas(image.width, image.height)
    context2d(canvas).putImageData(new ImageData(pixels.data as Uint8ClampedArray<ArrayBuffer>, image.width, image.height), 0, 0)
    const blob = await toBlob(canvas, format === 'jpeg' ? 'image/jpeg' : 'image/png')
    return new Uint8Array(await blob.arrayBuffer())
  }
}
