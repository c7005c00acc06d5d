// A file dropped on the preview's canvas, made an image the way Figma imports one: PNG, JPEG and GIF
// as they are (EXIF orientation kept: the fake shows the photo upright, as Figma does), WebP decoded and
// kept as PNG, and anything over 4096 px a side scaled down to fit. The fake's createImage, like
// Figma's plugin API, refuses WebP and oversized images; Figma's own import does not.
import { MAX_IMAGE_EDGE, readImageHeader, uprightSize } from '../../src/core/image-header'
import { fitWithin } from '../../src/core/reframe-plan'

const JPEG_QUALITY = 0.92

export async function importableImageAsync(bytes: Uint8Array): Promise<Uint8Array> {
  const header = readImageHeader(bytes)
  if (header === null) throw new Error('Image type is unsupported: drop a PNG, JPEG, GIF or WebP file')
  const upright = uprightSize(header)
  if (header.format !== 'webp' && Math.max(upright.width, upright.height) <= MAX_IMAGE_EDGE) return bytes
  // decoded upright, so the stored copy needs no orientation of its own
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { imageOrientation: 'from-image' })
  try {
    const size = fitWithin(bitmap, MAX_IMAGE_EDGE)
    const canvas = new OffscreenCanvas(size.width, size.height)
    const context = canvas.getContext('2d')
    if (context === null) throw new Error('This browser has no 2D canvas to import the image with')
    context.imageSmoothingQuality = 'high'
    context.drawImage(bitmap, 0, 0, size.width, size.height)
    const type = header.format === 'jpeg' ? 'image/jpeg' : 'image/png'
    const blob = await canvas.convertToBlob({ type, quality: JPEG_QUALITY })
    return new Uint8Array(await blob.arrayBuffer())
  } finally {
    bitmap.close()
  }
}
