// A file's pixels as the engine gets them. The offline engine reads the bytes untouched. Hosts get an
// upright, 8-bit sRGB PNG (JPEG for JPEG inputs) of at most 4096 px, so EXIF rotation, CMYK or 16-bit
// input mean the same to every host as they do to the designer.
import { readFile } from 'node:fs/promises'
import { encodedImageOf, MAX_IMAGE_EDGE } from '../core/image-header'
import { ReframeError } from '../core/reframe-error'
import { fitWithin } from '../core/reframe-plan'
import type { ImageBackend } from '../imaging/render-recipe'
import type { ExportedSource } from '../pipeline/run-batch'

export async function readSourceAsync(path: string, backend: ImageBackend, hosted: boolean): Promise<ExportedSource> {
  const bytes = new Uint8Array(await readFile(path))
  const original = encodedImageOf(bytes)
  if (original === null) throw new ReframeError('decode', 'This file is not a readable image (no PNG, JPEG, WebP or GIF header).')
  const picture = await backend.decode(bytes)
  // a file has no canvas: its layer is its upright picture
  const layer = { width: picture.width, height: picture.height }
  // the engine sees the picture upright, so its size is the upright one
  if (!hosted) return { image: { ...original, ...layer }, layer }
  const size = fitWithin(picture, MAX_IMAGE_EDGE)
  const format = original.format === 'jpeg' ? 'jpeg' : 'png'
  const image = await backend.render(
    { width: size.width, height: size.height, layers: [{ picture: 'source', from: { x: 0, y: 0, ...layer }, to: { x: 0, y: 0, ...size } }], format },
    { source: picture }
  )
  return { image, layer }
}
