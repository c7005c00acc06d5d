// Recognises an encoded image from its bytes (never from a file name or content type) and reads its
// pixel size from the header. Pure: no decoding, works the same in the browser and in Node.
import type { ImageFormat } from './provider'

export type SniffedImage = { format: ImageFormat; width: number; height: number }

/** Format and size of PNG, JPEG, WebP or GIF bytes; undefined for anything else or a truncated header. */
export function sniffImage(bytes: Uint8Array): SniffedImage | undefined {
  if (isPng(bytes)) return sizeOf('png', readU32be(bytes, 16), readU32be(bytes, 20))
  if (isGif(bytes)) return sizeOf('gif', readU16le(bytes, 6), readU16le(bytes, 8))
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return sniffJpeg(bytes)
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return sniffWebp(bytes)
  return undefined
}

function sizeOf(format: ImageFormat, width: number | undefined, height: number | undefined): SniffedImage | undefined {
  if (!width || !height) return undefined
  return { format, width, height }
}

function isPng(b: Uint8Array): boolean {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  return b.length >= 24 && signature.every((v, i) => b[i] === v) && ascii(b, 12, 4) === 'IHDR'
}

function isGif(b: Uint8Array): boolean {
  const head = ascii(b, 0, 6)
  return b.length >= 10 && (head === 'GIF87a' || head === 'GIF89a')
}

// Walks the marker segments to the first start-of-frame; EXIF thumbnails live inside APP1 and are skipped.
function sniffJpeg(b: Uint8Array): SniffedImage | undefined {
  let i = 2
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return undefined
    const marker = b[i + 1]
    if (marker === 0xff) {
      i += 1 // fill byte
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2 // markers without a length
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return undefined // end of image / scan before any frame header
    const length = readU16be(b, i + 2)
    if (length === undefined || length < 2) return undefined
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isStartOfFrame) return sizeOf('jpeg', readU16be(b, i + 7), readU16be(b, i + 5))
    i += 2 + length
  }
  return undefined
}

function sniffWebp(b: Uint8Array): SniffedImage | undefined {
  const chunk = ascii(b, 12, 4)
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined
    const w = readU16le(b, 26)
    const h = readU16le(b, 28)
    return sizeOf('webp', w === undefined ? undefined : w & 0x3fff, h === undefined ? undefined : h & 0x3fff)
  }
  if (chunk === 'VP8L') {
    if (b.length < 25 || b[20] !== 0x2f) return undefined
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)
    return sizeOf('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1)
  }
  if (chunk === 'VP8X') {
    if (b.length < 30) return undefined
    const w = 1 + (b[24] | (b[25] << 8) | (b[26] << 16))
    const h = 1 + (b[27] | (b[28] << 8) | (b[29] << 16))
    return sizeOf('webp', w, h)
  }
  return undefined
}

function ascii(b: Uint8Array, start: number, length: number): string {
  if (b.length < start + length) return ''
  return String.fromCharCode(...b.subarray(start, start + length))
}

function readU16be(b: Uint8Array, i: number): number | undefined {
  return i + 1 < b.length ? (b[i] << 8) | b[i + 1] : undefined
}

function readU16le(b: Uint8Array, i: number): number | undefined {
  return i + 1 < b.length ? b[i] | (b[i + 1] << 8) : undefined
}

function readU32be(b: Uint8Array, i: number): number | undefined {
  return i + 3 < b.length ? ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3] : undefined
}
