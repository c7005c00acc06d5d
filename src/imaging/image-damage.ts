// Damaged files, found from their bytes before any decoder sees them: decoders disagree on what to do
// with a file that ends early (sharp refuses it; a browser may draw the part it got over grey), so the
// engine decides once, the same way on every platform, and says what is wrong in words a person reads.
import { ReframeError, isReframeError } from '../core/reframe-error'
import type { ImageFormat } from '../core/image-header'

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

/**
 * A decode error for damaged bytes. Its message names the damage after a subject ("This image" unless
 * told): callers that know the file name get "coffee.jpg is a damaged JPEG: the file ends early." with
 * `error.forFile('coffee.jpg')`. Retrying cannot help (`final`), since the bytes will not change.
 */
export class DamagedImageError extends ReframeError {
  readonly damage: ImageDamage
  readonly final = true

  constructor(damage: ImageDamage, subject = 'This image') {
    super('decode', `${subject} ${describeDamage(damage)}.`, {
      action: 'Export or save the image again: the file itself is damaged, so retrying will not help.'
    })
    this.damage = damage
  }

  /** The same error, naming the file: "coffee.jpg is a damaged JPEG: the file ends early." */
  forFile(name: string): DamagedImageError {
    return new DamagedImageError(this.damage, name)
  }
}

/**
 * True when retrying the same work cannot succeed: the engine could not read the bytes (damaged or not
 * an image at all). Every decode error is final; network, host and rate-limit errors are not.
 */
export function isFinalError(error: unknown): boolean {
  return isReframeError(error) && error.kind === 'decode'
}

/** Throws a DamagedImageError when the bytes are a damaged PNG, JPEG, GIF or WebP. */
export function throwIfDamaged(bytes: Uint8Array): void {
  const damage = findImageDamage(bytes)
  if (damage !== null) throw new DamagedImageError(damage)
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

/**
 * For a PNG whose chunks are whole: whether its compressed image data (the IDAT stream) is whole too,
 * by inflating it with the platform's DecompressionStream (Node 18+ and every browser), counting bytes
 * and throwing nothing away but memory. Slower than the structural check (it inflates the image once),
 * so backends call it when a decoder refuses a PNG, or where a decoder might draw half a picture.
 */
export async function findPngStreamDamageAsync(bytes: Uint8Array): Promise<ImageDamage | null> {
  const structural = findImageDamage(bytes)
  if (structural !== null || !(bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG')) return structural
  const parts: Uint8Array[] = []
  for (let offset = 8; offset + 8 <= bytes.length; ) {
    const length = u32be(bytes, offset)
    const type = ascii(bytes, offset + 4, 4)
    if (type === 'IDAT') parts.push(bytes.subarray(offset + 8, offset + 8 + length))
    if (type === 'IEND') break
    offset += 12 + length
  }
  const expected = inflatedPngSize(bytes)
  let inflated = 0
  try {
    const stream = new Blob(parts as BlobPart[]).stream().pipeThrough(new DecompressionStream('deflate'))
    const reader = stream.getReader()
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      inflated += value.byteLength
    }
  } catch {
    return damaged('png', 'its image data is cut short or corrupt')
  }
  return expected !== null && inflated < expected ? damaged('png', 'its image data is cut short') : null
}

/** Filtered scanline bytes the IHDR promises (every Adam7 pass when interlaced); null when unknown. */
function inflatedPngSize(bytes: Uint8Array): number | null {
  if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') return null
  const width = u32be(bytes, 16)
  const height = u32be(bytes, 20)
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[bytes[25]]
  if (channels === undefined) return null
  const bitsPerPixel = channels * bytes[24]
  const rows = (w: number, h: number) => (w <= 0 || h <= 0 ? 0 : h * (1 + Math.ceil((w * bitsPerPixel) / 8)))
  if (bytes[28] === 0) return rows(width, height)
  // Adam7: [x start, y start, x step, y step] of the seven passes
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2]
  ]
  let total = 0
  for (const [x0, y0, dx, dy] of passes) total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy))
  return total
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
