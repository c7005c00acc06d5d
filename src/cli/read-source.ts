// A file's pixels as the engine gets them, read safely (regular files only, capped) and refused from
// its header when it promises more pixels than the budget, before anything decodes it. The offline
// engine gets the bytes untouched; hosts get an upright, capped copy made in a pixel worker.
import { basename } from 'node:path'
import { readImageHeader, uprightSize, type ImageHeader } from '../core/image-header'
import { ReframeError } from '../core/reframe-error'
import type { ExportedSource } from '../pipeline/run-batch'
import { InputRefused } from './input-refused'
import { transferablesOf } from './pixel-protocol'
import type { PixelWorkers } from './pixel-workers'
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

export type ReadSourceOptions = { hosted: boolean; workers: PixelWorkers; signal?: AbortSignal }

/** `shownAs`: the file as the person named it, for messages. */
export async function readSourceAsync(path: string, shownAs: string, options: ReadSourceOptions): Promise<ExportedSource> {
  const bytes = await readInputFileAsync(path, shownAs, options.signal)
  const header = readImageHeader(bytes)
  if (header === null) throw new ReframeError('decode', 'This file is not a readable image (no PNG, JPEG, WebP or GIF header).')
  checkPixelBudget(header, path)
  if (options.hosted) {
    const { result } = await options.workers.run('hosted-source', { bytes }, { signal: options.signal, transfer: transferablesOf(bytes) })
    return result
  }
  // a file has no canvas: its layer is its upright picture
  return { image: { bytes, width: header.width, height: header.height, format: header.format }, layer: uprightSize(header) }
}
