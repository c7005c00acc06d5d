// A file's pixels as hosts get them: an upright, 8-bit sRGB PNG (JPEG for JPEG inputs) of at most
// 4096 px, so EXIF rotation, CMYK or 16-bit input mean the same to every host as they do to the
// designer. Runs in a pixel worker (see pixel-worker.ts).
import { encodedImageOf } from '../core/image-header'
import { ReframeError } from '../core/reframe-error'
import { fitWithin, MAX_IMAGE_EDGE } from '../core/reframe-plan'
import type { ImageCodec } from '../imaging/codec'
import { resampleArea } from '../imaging/resample'
import type { ExportedSource } from '../pipeline/run-batch'

export async function hostedSourceAsync(bytes: Uint8Array, codec: ImageCodec): Promise<ExportedSource> {
  const original = encodedImageOf(bytes)
  if (original === null) throw new ReframeError('decode', 'This file is not a readable image (no PNG, JPEG, WebP or GIF header).')
  let pixels = await codec.decode(bytes)
  // a file has no canvas: its layer is its upright picture
  const layer = { width: pixels.width, height: pixels.height }
  const size = fitWithin(pixels, MAX_IMAGE_EDGE)
  if (size.width !== pixels.width || size.height !== pixels.height) pixels = resampleArea(pixels, size.width, size.height)
  const format = original.format === 'jpeg' ? 'jpeg' : 'png'
  return { image: { bytes: await codec.encode(pixels, format), width: pixels.width, height: pixels.height, format }, layer }
}
