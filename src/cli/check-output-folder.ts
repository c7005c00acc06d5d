// Whether results can be saved where they are going, asked before any job starts: a hosted job whose
// result cannot be written is paid for and lost. --out is created when missing; then a probe file is
// created and removed in it, which is the only honest test (modes, read-only mounts, ACLs and quotas
// all answer it; access(2) does not).
import { randomBytes } from 'node:crypto'
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { relativeName } from './relative-name'

/** Why a folder cannot be written, in a few words, from the error's code. */
function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'read-only file system'
    case 'ENOSPC':
      return 'no space left'
    case 'EDQUOT':
      return 'disk quota exceeded'
    case 'EEXIST':
      // a link to nothing, for one
      return 'something that is not a folder has that name'
    default:
      return code ?? (error instanceof Error ? error.message : String(error))
  }
}

/** Null when a file can be created and removed in `folder`; otherwise why not. */
export async function whyNotWritable(folder: string): Promise<string | null> {
  const probe = join(folder, `.luma-reframe-probe-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    // 'wx' creates a new file or fails; it never follows a link someone left at that name
    await writeFile(probe, '', { flag: 'wx' })
  } catch (error) {
    return why(error)
  }
  await unlink(probe).catch(() => undefined)
  return null
}

/** The nearest existing ancestor of `path` that is not a folder (what ENOTDIR is about), if any. */
async function fileInTheWay(path: string): Promise<string | null> {
  for (let at = path; ; at = dirname(at)) {
    const info = await stat(at).catch(() => null)
    if (info !== null) return info.isDirectory() ? null : at
    if (dirname(at) === at) return null
  }
}

/**
 * Creates --out when missing and checks it can be written; returns the problem as one sentence for
 * the person (exit 2), or null when it is usable.
 */
export async function checkOutDir(outDir: string, cwd: string): Promise<string | null> {
  const shown = relativeName(outDir, cwd)
  const existing = await stat(outDir).catch(() => null)
  if (existing !== null && !existing.isDirectory()) return `--out ${shown} is a file, not a folder; choose a folder.`
  if (existing === null) {
    try {
      await mkdir(outDir, { recursive: true })
    } catch (error) {
      const blocker = await fileInTheWay(outDir)
      if (blocker !== null) return `--out ${shown} cannot be created: ${relativeName(blocker, cwd)} is a file, not a folder; choose a folder.`
      return `--out ${shown} cannot be created (${why(error)}); choose a folder you can write to.`
    }
  }
  const problem = await whyNotWritable(outDir)
  return problem === null ? null : `--out ${shown} is not writable (${problem}); choose a folder you can write to.`
}
