// Names and writes one result: the name from the run's pattern (FILE_NAME_PATTERN unless --name), the
// extension from the image's format. Never replaces an input; never replaces anything else unless
// --overwrite: an existing name gets a number (`-2`, `-3`, ...) instead. Exclusive creation makes
// this safe when two jobs want the same name at once.
//
// Nothing is ever written through a symlink: a new file is created exclusively (O_EXCL fails on any
// existing name, links included), and --overwrite writes a new temporary file in the same folder and
// renames it over the old name, which replaces a link itself rather than the file it points to.
import { randomBytes } from 'node:crypto'
import { unlinkSync } from 'node:fs'
import { lstat, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { FILE_NAME_PATTERN, formatName } from '../core/result-name'
import type { SizeId } from '../core/sizes'
import type { EncodedImage } from '../core/image-header'
import { fileIdentity } from './collect-inputs'

const EXTENSIONS = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif' } as const
const MAX_SUFFIX = 999

/**
 * `coffee.png`, ig-portrait, a 1080x1350 jpeg -> `coffee_ig-portrait_1080x1350.jpg`; 16:9 at 711x400
 * png -> `coffee_16x9_711x400.png`. `suffix` numbers a name already taken (`-2`, `-3`).
 */
export function outputName(
  input: string,
  size: SizeId,
  image: Pick<EncodedImage, 'width' | 'height' | 'format'>,
  pattern: string = FILE_NAME_PATTERN,
  suffix = 1
): string {
  const name = formatName(pattern, { name: basename(input, extname(input)), size, width: image.width, height: image.height }, 'file')
  const count = suffix > 1 ? `-${suffix}` : ''
  return `${name}${count}.${EXTENSIONS[image.format]}`
}

export type WriteTarget = {
  input: string
  /** Output folder; the input's own folder when absent. */
  outDir?: string
  overwrite: boolean
  /** How files are named (FILE_NAME_PATTERN when absent). */
  namePattern?: string
  /** Every input of this run (resolved): never written to. */
  inputs: ReadonlySet<string>
  /** Device and inode of every input (see collectInputs): never replaced, whatever name reaches it. */
  inputIdentities?: ReadonlySet<string>
}

/** Files this process created and has not finished writing: an interrupted run removes them. */
const unfinished = new Set<string>()

/** Removes half-written outputs (synchronously: the process is about to exit). */
export function removeUnfinishedWrites(): void {
  for (const path of unfinished) {
    try {
      unlinkSync(path)
    } catch {
      // already gone or never reached the disk: nothing to clean
    }
  }
  unfinished.clear()
}

/** Creates `path` (failing with EEXIST when anything has that name) and writes `bytes` into it. */
async function createFile(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx')
  unfinished.add(path)
  try {
    await handle.writeFile(bytes)
    await handle.close()
  } catch (error) {
    await handle.close().catch(() => undefined)
    await unlink(path).catch(() => undefined)
    throw error
  } finally {
    unfinished.delete(path)
  }
}

/** Puts `bytes` at `path` in one step, replacing whatever entry is there (a link is replaced, not followed). */
async function replaceFile(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`)
  await createFile(temporary, bytes)
  unfinished.add(temporary)
  try {
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  } finally {
    unfinished.delete(temporary)
  }
}

/** Whether the entry at `path` is one of the inputs (the same file under another name or folder). */
async function isAnInput(path: string, identities: ReadonlySet<string> | undefined): Promise<boolean> {
  if (identities === undefined || identities.size === 0) return false
  const info = await lstat(path, { bigint: true }).catch(() => null)
  return info !== null && identities.has(fileIdentity(info))
}

/** Writes `image` and returns the path actually used. */
export async function writeOutput(target: WriteTarget, size: SizeId, image: EncodedImage): Promise<string> {
  const folder = target.outDir ?? dirname(target.input)
  for (let suffix = 1; suffix <= MAX_SUFFIX; suffix++) {
    const path = resolve(join(folder, outputName(target.input, size, image, target.namePattern, suffix)))
    if (target.inputs.has(path)) continue
    if (target.overwrite) {
      if (await isAnInput(path, target.inputIdentities)) continue
      await replaceFile(path, image.bytes)
      return path
    }
    try {
      await createFile(path, image.bytes)
      return path
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  throw new Error(`Every name up to -${MAX_SUFFIX} is taken in ${folder}; clean the folder or use --out.`)
}
