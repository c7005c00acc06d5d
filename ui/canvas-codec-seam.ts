// SEAM (temporary): the canvas ImageCodec until the offline engine's src/imaging/codec-browser.ts
// lands; then main.tsx imports that one and this file goes away.
import { JPEG_QUALITY, type ImageCodec } from '../src/imaging/codec'
import { ReframeError } from '../src/providers/errors'

function context(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d')
  if (ctx === null) throw new ReframeError('decode', 'This browser cannot draw images (no 2D canvas).')
  return ctx
}

export const canvasCodecSeam: ImageCodec = {
  async decode(bytes) {
    let bitmap: ImageBitmap
    try {
      bitmap = await createImageBitmap(new Blob([bytes as BlobPart]))
    } catch (error) {
      throw new ReframeError('decode', 'This file is not an image the browser can read.', { cause: error })
    }
    const ctx = context(bitmap.width, bitmap.height)
    ctx.drawImage(bitmap, 0, 0)
    bitmap.close()
    const { data, width, height } = ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height)
    return { data, width, height }
  },
  async encode(image, format) {
    const ctx = context(image.width, image.height)
    ctx.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0)
    const blob = await ctx.canvas.convertToBlob({ type: format === 'jpeg' ? 'image/jpeg' : 'image/png', quality: JPEG_QUALITY })
    return new Uint8Array(await blob.arrayBuffer())
  }
}
