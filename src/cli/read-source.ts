// A file's pixels as the engine gets them, read safely (regular files only, capped) and refused from
// its header when it promises more pixels than the budget, before anything decodes it. The offline
// engine gets the bytes untouched (its backend decodes them upright); hosts get an upright, 8-bit sRGB
// PNG (JPEG for JPEG inputs) of at most 4096 px, so EXIF rotation, CMYK or 16-bit input mean the same
// to every host as they do to the designer.
import { basename } from 'node:path'
import { findImageDamage } from '../core/image-damage'
import { MAX_IMAGE_EDGE, readImageHeader, uprightSize, type ImageHeader } from '../core/image-header'
import { ReframeError } from '../core/reframe-error'
import { fitWithin } from '../core/reframe-plan'
import { DamagedImageError } from '../imaging/image-damage'
import type { ImageBackend } from '../imaging/render-recipe'
import type { ExportedSource } from '../pipeline/run-batch'
import { InputRefused } from './input-refused'
import { readInputFileAsync } from './read-input-file'

/**
 * 50 megapixels: a 40+ MP camera's photos fit; past it, decoding alone needs gigabytes (a 10000 px
 * square PNG of a few kB unpacks to 400 MB of RGBA, then the engine makes several copies).
 */
export const MAX_INPUT_PIXELS = 50_000_000

function megapixels(pixels: number): string {
  const mp = pixels / 1_000_000
  return mp >= 100 ? String(Math.round(mp)) : String(Math.round(mp * 10) / 10)
}

/** Refuses a file whose header promises more pixels than the budget. */
export function checkPixelBudget(header: Pick<ImageHeader, 'width' | 'height'>, path: string): void {
  const pixels = header.width * header.height
  if (pixels <= MAX_INPUT_PIXELS) return
  throw new InputRefused(
    `${basename(path)} is ${header.width}x${header.height} px (${megapixels(pixels)} MP); the limit is ${megapixels(MAX_INPUT_PIXELS)} MP.`
  )
}

export type ReadSourceOptions = { hosted: boolean; backend: ImageBackend; signal?: AbortSignal }

/** `shownAs`: the file as the person named it, for messages. */
export async function readSourceAsync(path: string, shownAs: string, options: ReadSourceOptions): Promise<ExportedSource> {
  const bytes = await readInputFileAsync(path, shownAs, options.signal)
  // said once for the file, by its name, before any size of it is tried
  const damage = findImageDamage(bytes)
  if (damage !== null) throw new DamagedImageError(damage, basename(path))
  const header = readImageHeader(bytes)
  if (header === null) throw new ReframeError('decode', 'This file is not a readable image (no PNG, JPEG, WebP or GIF header).')
  checkPixelBudget(header, path)
  // a file has no canvas: its layer is its upright picture
  const layer = uprightSize(header)
  if (!options.hosted) return { image: { bytes, ...layer, format: header.format }, layer }
  const picture = await options.backend.decode(bytes)
  const size = fitWithin(picture, MAX_IMAGE_EDGE)
  const image = await options.backend.render(
    {
      width: size.width,
      height: size.height,
      layers: [{ picture: 'source', from: { x: 0, y: 0, width: picture.width, height: picture.height }, to: { x: 0, y: 0, ...size } }],
      format: header.format === 'jpeg' ? 'jpeg' : 'png'
    },
    { source: picture }
  )
  options.backend.release?.(picture)
  return { image, layer: { width: picture.width, height: picture.height } }
}
