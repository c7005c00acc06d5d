// Names and writes one result. Never replaces an input; never replaces anything else unless
// --overwrite: an existing name gets a number (`-2`, `-3`, ...) instead. Exclusive creation makes
// this safe when two jobs want the same name at once.
import { writeFile } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { sizeSlug, type SizeId } from '../core/sizes'
import type { EncodedImage } from '../core/image-header'

const EXTENSIONS = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif' } as const
const MAX_SUFFIX = 999

/** `photo.png`, 9:16, 1152x2048 jpeg -> `photo.9x16.1152x2048.jpg` */
export function outputName(input: string, ratio: SizeId, image: Pick<EncodedImage, 'width' | 'height' | 'format'>, suffix = 1): string {
  const name = basename(input, extname(input))
  const count = suffix > 1 ? `-${suffix}` : ''
  return `${name}.${sizeSlug(ratio)}.${image.width}x${image.height}${count}.${EXTENSIONS[image.format]}`
}

export type WriteTarget = {
  input: string
  /** Output folder; the input's own folder when absent. */
  outDir?: string
  overwrite: boolean
  /** Every input of this run (resolved): never written to. */
  inputs: ReadonlySet<string>
}

/** Writes `image` and returns the path actually used. */
export async function writeOutput(target: WriteTarget, ratio: SizeId, image: EncodedImage): Promise<string> {
  const folder = target.outDir ?? dirname(target.input)
  for (let suffix = 1; suffix <= MAX_SUFFIX; suffix++) {
    const path = resolve(join(folder, outputName(target.input, ratio, image, suffix)))
    if (target.inputs.has(path)) continue
    try {
      await writeFile(path, image.bytes, { flag: target.overwrite ? 'w' : 'wx' })
      return path
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  throw new Error(`Every name up to -${MAX_SUFFIX} is taken in ${folder}; clean the folder or use --out.`)
}
