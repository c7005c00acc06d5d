// Expands the command line's files and folders into the list of images to reframe. Folders are read
// one level deep, by extension, skipping hidden files and this tool's own outputs (safe re-runs; see
// own-output-names.ts for which names count).
// Only regular files are taken: a FIFO, a device or a socket is reported and skipped, never opened.
import type { BigIntStats } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ownOutputMatcher } from './own-output-names'
import { notRegularFile } from './read-input-file'

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|gif)$/i

export type InputProblem = { path: string; message: string }
export type CollectedInputs = {
  files: string[]
  problems: InputProblem[]
  /** Device and inode of every input: an output path that is an input under another name is never written. */
  identities: ReadonlySet<string>
}

export function fileIdentity(info: Pick<BigIntStats, 'dev' | 'ino'>): string {
  return `${info.dev}:${info.ino}`
}

async function statOrNull(path: string): Promise<BigIntStats | null> {
  try {
    return await stat(path, { bigint: true })
  } catch {
    return null
  }
}

/** `isOwnOutput`: names in a folder to leave out (this tool's outputs); a file named explicitly is always taken. */
export async function collectInputs(args: string[], cwd: string, isOwnOutput: (fileName: string) => boolean = ownOutputMatcher()): Promise<CollectedInputs> {
  const files: string[] = []
  const problems: InputProblem[] = []
  const identities = new Set<string>()
  const take = (path: string, info: BigIntStats) => {
    files.push(path)
    identities.add(fileIdentity(info))
  }
  for (const arg of args) {
    const path = resolve(cwd, arg)
    const info = await statOrNull(path)
    if (info === null) {
      problems.push({ path: arg, message: 'No such file or folder.' })
      continue
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).sort()
      const images = names.filter((n) => !n.startsWith('.') && IMAGE_EXTENSIONS.test(n) && !isOwnOutput(n))
      let found = 0
      for (const name of images) {
        const entry = await statOrNull(join(path, name))
        // gone since the listing, or a folder named like an image: folders are read one level deep
        if (entry === null || entry.isDirectory()) continue
        found += 1
        if (entry.isFile()) take(join(path, name), entry)
        else problems.push({ path: join(arg, name), message: notRegularFile(join(arg, name)).message })
      }
      if (found === 0) problems.push({ path: arg, message: 'The folder holds no PNG, JPEG, WebP or GIF images.' })
    } else if (info.isFile()) {
      // a file named explicitly is always tried, whatever its extension: decoding decides
      take(path, info)
    } else {
      problems.push({ path: arg, message: notRegularFile(arg).message })
    }
  }
  return { files: [...new Set(files)], problems, identities }
}

/** A problem as one line: the message alone when it already names the file. */
export function describeProblem(problem: InputProblem): string {
  return problem.message.startsWith(problem.path) ? problem.message : `${problem.path}: ${problem.message}`
}
