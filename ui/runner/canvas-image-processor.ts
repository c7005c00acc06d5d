// ImageProcessor for the plugin iframe: decode with createImageBitmap, crop and scale on a canvas,
// encode PNG or JPEG. Chromium (Figma's UI) decodes WebP and GIF natively.
// SEAM: switch to src/imaging/codec-browser.ts once the offline engine's codec lands, so there is
// one canvas codec in the project.
import type { EncodedImage } from '../../src/providers/provider'
import { fitWithin, type ImageProcessor, type ProcessOptions } from './image-processor'

const JPEG_QUALITY = 0.92

export function createCanvasImageProcessor(): ImageProcessor {
  return {
    async process(image: EncodedImage, options: ProcessOptions): Promise<EncodedImage> {
      const blob = new Blob([image.bytes as BlobPart], { type: `image/${image.format}` })
      const bitmap = await createImageBitmap(blob)
      try {
        const crop = options.crop ?? { x: 0, y: 0, width: bitmap.width, height: bitmap.height }
        const out = fitWithin(crop.width, crop.height, options.maxEdge)
        const canvas = new OffscreenCanvas(out.width, out.height)
        const context = canvas.getContext('2d')
        if (context === null) throw new Error('This browser cannot draw images (no 2D canvas).')
        context.imageSmoothingQuality = 'high'
        context.drawImage(bitmap, crop.x, crop.y, crop.width, crop.height, 0, 0, out.width, out.height)
        const type = options.format === 'jpeg' ? 'image/jpeg' : 'image/png'
        const encoded = await canvas.convertToBlob({ type, quality: JPEG_QUALITY })
        const bytes = new Uint8Array(await encoded.arrayBuffer())
        return { bytes, width: out.width, height: out.height, format: options.format }
      } finally {
        bitmap.close()
      }
    }
  }
}
