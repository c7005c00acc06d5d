// Reads one input file, and only a regular one: a FIFO would block forever and /dev/zero never ends.
// The type is checked before opening; the file is then opened non-blocking and checked again on the
// open descriptor, so a path swapped for a pipe in between cannot hang the run. At most
// MAX_INPUT_BYTES are read.
import { constants } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { InputRefused } from './input-refused'

/** 100 MB: larger than any photo or export a person reframes, small enough to hold in memory. */
export const MAX_INPUT_BYTES = 100 * 1024 * 1024

/** Read in pieces so Cancel is noticed between them. */
const CHUNK = 4 * 1024 * 1024

export function notRegularFile(shownAs: string): InputRefused {
  return new InputRefused(`${shownAs} is not a regular file; skipped.`)
}

function tooLarge(path: string): InputRefused {
  return new InputRefused(`${basename(path)} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB, the most luma-reframe reads of one file.`)
}

/**
 * The file's bytes in a buffer of their own (so they can be handed to a worker without a copy).
 * `shownAs` names the file in messages (the path as the person typed it).
 */
export async function readInputFileAsync(path: string, shownAs: string, signal?: AbortSignal): Promise<Uint8Array> {
  if (!(await stat(path)).isFile()) throw notRegularFile(shownAs)
  // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; no effect on files
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY)
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw notRegularFile(shownAs)
    if (info.size > MAX_INPUT_BYTES) throw tooLarge(path)
    // the size it says, in a buffer of exactly that size (the usual case: no copy)...
    const sized = new Uint8Array(info.size)
    let length = 0
    while (length < sized.length) {
      signal?.throwIfAborted()
      const { bytesRead } = await handle.read(sized, length, Math.min(CHUNK, sized.length - length), null)
      if (bytesRead === 0) return sized.slice(0, length)
      length += bytesRead
    }
    // ...then whatever it holds beyond that (a file still being written, a size the kernel does not know)
    const more: Uint8Array[] = []
    let total = length
    for (;;) {
      signal?.throwIfAborted()
      // a small look first: almost always there is nothing more
      const chunk = new Uint8Array(Math.min(more.length === 0 ? 64 * 1024 : CHUNK, MAX_INPUT_BYTES + 1 - total))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      more.push(chunk.subarray(0, bytesRead))
      total += bytesRead
      if (total > MAX_INPUT_BYTES) throw tooLarge(path)
    }
    if (more.length === 0) return sized
    const whole = new Uint8Array(total)
    whole.set(sized)
    let at = sized.length
    for (const part of more) {
      whole.set(part, at)
      at += part.length
    }
    return whole
  } finally {
    await handle.close()
  }
}
