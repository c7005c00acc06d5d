// Paths as a person typed them: relative to where the command ran, absolute when outside it.
import { isAbsolute, relative } from 'node:path'

export function relativeName(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}
