// Expands the command line's files and folders into the list of images to reframe. Folders are read
// one level deep, by extension, skipping hidden files and this tool's own outputs (safe re-runs).
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|gif)$/i
/** `<name>.<ratio>.<w>x<h>[-n].<ext>`, e.g. `photo.9x16.1152x2048.jpg` or `photo.1.91x1.1910x1000-2.png`. */
const OUTPUT_NAME = /\.\d+(\.\d+)?x\d+\.\d+x\d+(-\d+)?\.[a-z]+$/i

export type InputProblem = { path: string; message: string }
export type CollectedInputs = { files: string[]; problems: InputProblem[] }

export async function collectInputs(args: string[], cwd: string): Promise<CollectedInputs> {
  const files: string[] = []
  const problems: InputProblem[] = []
  for (const arg of args) {
    const path = resolve(cwd, arg)
    let info
    try {
      info = await stat(path)
    } catch {
      problems.push({ path: arg, message: 'No such file or folder.' })
      continue
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).sort()
      const images = names.filter((n) => !n.startsWith('.') && IMAGE_EXTENSIONS.test(n) && !OUTPUT_NAME.test(n))
      if (images.length === 0) problems.push({ path: arg, message: 'The folder holds no PNG, JPEG, WebP or GIF images.' })
      files.push(...images.map((n) => join(path, n)))
    } else {
      // a file named explicitly is always tried, whatever its extension: decoding decides
      files.push(path)
    }
  }
  return { files: [...new Set(files)], problems }
}

export function isOwnOutputName(name: string): boolean {
  return OUTPUT_NAME.test(name)
}
