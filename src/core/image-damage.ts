// Damaged files, found from their bytes alone before any decoder sees them: decoders disagree on what
// to do with a file that ends early (sharp refuses it; a browser may draw the part it got over grey), so
// the project decides once, the same way everywhere, with no decoder: the plugin's main thread when it
// lists the selection, the command line when it reads a file, every backend before it decodes.
import type { ImageFormat } from './image-header'

export type ImageDamage = {
  format: ImageFormat
  /** What is wrong, completing "is a damaged JPEG: ...", e.g. "the file ends early". */
  problem: string
}

const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'JPEG', png: 'PNG', gif: 'GIF', webp: 'WebP' }

const ENDS_EARLY = 'the file ends early'
const NO_IMAGE_DATA = 'it holds no image data'

/** "is a damaged JPEG: the file ends early": the predicate, so that any subject can be put before it. */
export function describeDamage(damage: ImageDamage): string {
  return `is a damaged ${FORMAT_NAMES[damage.format]}: ${damage.problem}`
}


/** "coffee.jpg is a damaged JPEG: the file ends early." for a subject such as a file or layer name. */
export function damageSentence(subject: string, damage: ImageDamage): string {
  return `${subject} ${describeDamage(damage)}.`
}

/**
 * The damage visible in the file's structure, or null when it is whole (or not one of the four formats:
 * that is for the decoder to say). Walks segments, chunks or blocks only: cheap enough for every decode.
 * - JPEG: every segment complete and the end-of-image marker present after the image data;
 * - PNG: every chunk complete, image data present, and the IEND chunk;
 * - GIF: every block complete, a frame, and the trailer;
 * - WebP: the RIFF container as long as it says it is.
 */
export function findImageDamage(bytes: Uint8Array): ImageDamage | null {
  // the CLI checks a file as it reads it and the backend again as it decodes it: a 4K JPEG is scanned once
  let found = checked.get(bytes)
  if (found === undefined) {
    found = damageOf(bytes)
    checked.set(bytes, found)
  }
  return found
}

/** What each byte array seen was found to be (bytes handed to the engine are not changed afterwards). */
const checked = new WeakMap<Uint8Array, ImageDamage | null>()

function damageOf(bytes: Uint8Array): ImageDamage | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG') return pngDamage(bytes)
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegDamage(bytes)
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return gifDamage(bytes)
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webpDamage(bytes)
  return null
}

function damaged(format: ImageFormat, problem: string): ImageDamage {
  return { format, problem }
}

function jpegDamage(bytes: Uint8Array): ImageDamage | null {
  let offset = 2
  let scans = 0
  while (true) {
    // the next marker; stray bytes between segments are tolerated by every decoder, so skip them
    const at = bytes.indexOf(0xff, offset)
    if (at < 0 || at + 1 >= bytes.length) return damaged('jpeg', ENDS_EARLY)
    const marker = bytes[at + 1]
    if (marker === 0xff) {
      offset = at + 1 // fill byte
      continue
    }
    if (marker === 0xd9) return scans > 0 ? null : damaged('jpeg', NO_IMAGE_DATA)
    if (marker === 0x00 || marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset = at + 2
      continue
    }
    if (at + 4 > bytes.length) return damaged('jpeg', ENDS_EARLY)
    const end = at + 2 + ((bytes[at + 2] << 8) | bytes[at + 3])
    if (end > bytes.length) return damaged('jpeg', ENDS_EARLY)
    offset = end
    if (marker !== 0xda) continue
    // start of scan: entropy-coded data runs to the next marker that is not a stuffed 0xff00 or a restart
    scans++
    while (true) {
      const next = bytes.indexOf(0xff, offset)
      if (next < 0 || next + 1 >= bytes.length) return damaged('jpeg', ENDS_EARLY)
      const following = bytes[next + 1]
      if (following === 0x00 || (following >= 0xd0 && following <= 0xd7)) {
        offset = next + 2
        continue
      }
      offset = next
      break
    }
  }
}

function pngDamage(bytes: Uint8Array): ImageDamage | null {
  let offset = 8
  let imageData = false
  while (true) {
    if (offset + 8 > bytes.length) return damaged('png', ENDS_EARLY)
    const length = u32be(bytes, offset)
    const type = ascii(bytes, offset + 4, 4)
    if (offset + 12 + length > bytes.length) return damaged('png', ENDS_EARLY)
    if (type === 'IEND') return imageData ? null : damaged('png', NO_IMAGE_DATA)
    if (type === 'IDAT') imageData = true
    offset += 12 + length
  }
}

function gifDamage(bytes: Uint8Array): ImageDamage | null {
  if (bytes.length < 13) return damaged('gif', ENDS_EARLY)
  let offset = 13 + colourTableBytes(bytes[10])
  let frames = 0
  while (true) {
    if (offset >= bytes.length) return damaged('gif', ENDS_EARLY)
    const block = bytes[offset]
    if (block === 0x3b) return frames > 0 ? null : damaged('gif', NO_IMAGE_DATA)
    if (block === 0x21) {
      offset = skipSubBlocks(bytes, offset + 2)
    } else if (block === 0x2c) {
      if (offset + 10 > bytes.length) return damaged('gif', ENDS_EARLY)
      // descriptor (10 bytes), local colour table, LZW code size (1 byte), then the data sub-blocks
      offset = skipSubBlocks(bytes, offset + 10 + colourTableBytes(bytes[offset + 9]) + 1)
      frames++
    } else {
      return damaged('gif', 'its blocks are scrambled')
    }
    if (offset < 0) return damaged('gif', ENDS_EARLY)
  }
}

/** Bytes of the colour table a GIF packed-fields byte announces. */
function colourTableBytes(flags: number): number {
  return flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0
}

/** Offset after the terminator of the sub-blocks starting at `offset`; -1 when the bytes end first. */
function skipSubBlocks(bytes: Uint8Array, offset: number): number {
  let at = offset
  while (at < bytes.length) {
    const size = bytes[at]
    at += 1 + size
    if (size === 0) return at
  }
  return -1
}

function webpDamage(bytes: Uint8Array): ImageDamage | null {
  const riffEnd = 8 + u32le(bytes, 4)
  if (bytes.length < riffEnd) return damaged('webp', ENDS_EARLY)
  let offset = 12
  let imageData = false
  while (offset + 8 <= riffEnd) {
    const type = ascii(bytes, offset, 4)
    const size = u32le(bytes, offset + 4)
    if (offset + 8 + size > riffEnd) return damaged('webp', ENDS_EARLY)
    if (type === 'VP8 ' || type === 'VP8L' || type === 'ANMF') imageData = true
    offset += 8 + size + (size % 2)
  }
  return imageData ? null : damaged('webp', NO_IMAGE_DATA)
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  if (bytes.length < start + length) return ''
  return String.fromCharCode(...bytes.subarray(start, start + length))
}

function u32be(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0
}

function u32le(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0
}
