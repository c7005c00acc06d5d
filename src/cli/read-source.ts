// A file's pixels as the engine gets them. The offline engine reads the bytes untouched. Hosts get an
// upright, 8-bit sRGB PNG (JPEG for JPEG inputs) of at most 4096 px, so EXIF rotation, CMYK or 16-bit
// input mean the same to every host as they do to the designer.
import { readFile } from 'node:fs/promises'
import { encodedImageOf, MAX_IMAGE_EDGE } from '../core/image-header'
import { ReframeError } from '../core/reframe-error'
import { fitWithin } from '../core/reframe-plan'
import type { ImageCodec } from '../imaging/codec'
import { resampleArea } from '../imaging/resample'
import type { ExportedSource } from '../pipeline/run-batch'

export async function readSourceAsync(path: string, codec: ImageCodec, hosted: boolean): Promise<ExportedSource> {
  const bytes = new Uint8Array(await readFile(path))
  const original = encodedImageOf(bytes)
  if (original === null) throw new ReframeError('decode', 'This file is not a readable image (no PNG, JPEG, WebP or GIF header).')
  let pixels = await codec.decode(bytes)
  // a file has no canvas: its layer is its upright picture
  const layer = { width: pixels.width, height: pixels.height }
  if (!hosted) return { image: original, layer }
  const size = fitWithin(pixels, MAX_IMAGE_EDGE)
  if (size.width !== pixels.width || size.height !== pixels.height) pixels = resampleArea(pixels, size.width, size.height)
  const format = original.format === 'jpeg' ? 'jpeg' : 'png'
  return { image: { bytes: await codec.encode(pixels, format), width: pixels.width, height: pixels.height, format }, layer }
}
