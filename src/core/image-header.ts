// Reads an encoded image's format, pixel size, transparency and EXIF orientation from its first bytes,
// without decoding (never from a file name or a content type). The one parser of the project: it picks
// export formats, checks bytes before figma.createImage and sniffs downloaded results.

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp'

/** figma.createImage refuses anything larger on either side; no image this project makes is larger. */
export const MAX_IMAGE_EDGE = 4096

export const IMAGE_MIME: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp'
}

/** An encoded image with its real pixel size and format (read from the bytes). */
export type EncodedImage = {
  bytes: Uint8Array
  width: number
  height: number
  format: ImageFormat
}

export type ImageHeader = {
  format: ImageFormat
  /** Stored pixel size, before any EXIF orientation is applied. */
  width: number
  height: number
  /** True when the file can carry transparent pixels (PNG alpha or tRNS, GIF, WebP alpha); JPEG never does. */
  hasAlpha: boolean
  /** EXIF orientation 1..8 (1 = stored upright). Only JPEG and WebP carry one here. */
  orientation: number
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The header of a PNG, JPEG, GIF or WebP; null for anything else or for truncated bytes. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return readPng(bytes)
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return readJpeg(bytes)
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return readGif(bytes)
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return readWebp(bytes)
  return null
}

/** Orientations 5..8 turn the picture a quarter: the upright image has width and height swapped. */
export function uprightSize(header: Pick<ImageHeader, 'width' | 'height' | 'orientation'>): { width: number; height: number } {
  return header.orientation >= 5 ? { width: header.height, height: header.width } : { width: header.width, height: header.height }
}

function header(format: ImageFormat, width: number, height: number, hasAlpha: boolean, orientation = 1): ImageHeader | null {
  if (!(width > 0 && height > 0)) return null
  return { format, width, height, hasAlpha, orientation: orientation >= 1 && orientation <= 8 ? orientation : 1 }
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, index) => bytes[index] === value)
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  if (bytes.length < start + length) return ''
  return String.fromCharCode(...bytes.subarray(start, start + length))
}

function u16be(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 8) | bytes[offset + 1]
}

function u16le(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8)
}

function u32be(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0
}

function u24le(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16)
}

function readPng(bytes: Uint8Array): ImageHeader | null {
  // IHDR must be the first chunk: length(4) type(4) width(4) height(4) depth(1) colour type(1)
  if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') return null
  const colourType = bytes[25]
  // colour types 4 (grey + alpha) and 6 (RGBA) carry alpha; the others only through a tRNS chunk,
  // which must come before the first IDAT
  let hasAlpha = colourType === 4 || colourType === 6
  let offset = 8
  while (!hasAlpha && offset + 8 <= bytes.length) {
    const type = ascii(bytes, offset + 4, 4)
    if (type === 'tRNS') hasAlpha = true
    if (type === 'IDAT' || type === 'IEND') break
    offset += 12 + u32be(bytes, offset)
  }
  return header('png', u32be(bytes, 16), u32be(bytes, 20), hasAlpha)
}

function readJpeg(bytes: Uint8Array): ImageHeader | null {
  let offset = 2
  let orientation = 1
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null
    const marker = bytes[offset + 1]
    // fill bytes and markers without a length
    if (marker === 0xff) {
      offset += 1
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2
      continue
    }
    const length = u16be(bytes, offset + 2)
    if (marker === 0xe1 && ascii(bytes, offset + 4, 6) === 'Exif\0\0') {
      orientation = exifOrientation(bytes.subarray(offset + 10, Math.min(bytes.length, offset + 2 + length)))
    }
    // SOF0..SOF15 carry the size, except DHT (c4), JPG (c8) and DAC (cc)
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrameHeader) {
      if (offset + 9 > bytes.length) return null
      return header('jpeg', u16be(bytes, offset + 7), u16be(bytes, offset + 5), false, orientation)
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) return null
    offset += 2 + length
  }
  return null
}

/** Tag 0x0112 of IFD0 in a TIFF block (the body of an Exif segment or chunk); 1 when absent. */
function exifOrientation(tiff: Uint8Array): number {
  if (tiff.length < 8) return 1
  const little = ascii(tiff, 0, 2) === 'II'
  if (!little && ascii(tiff, 0, 2) !== 'MM') return 1
  const u16 = (at: number) => (little ? u16le(tiff, at) : u16be(tiff, at))
  const u32 = (at: number) => (little ? (u16le(tiff, at) | (u16le(tiff, at + 2) << 16)) >>> 0 : u32be(tiff, at))
  const ifd = u32(4)
  if (ifd + 2 > tiff.length) return 1
  const entries = u16(ifd)
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12
    if (entry + 12 > tiff.length) return 1
    if (u16(entry) === 0x0112) return u16(entry + 8)
  }
  return 1
}

function readGif(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 10) return null
  return header('gif', u16le(bytes, 6), u16le(bytes, 8), true)
}

function readWebp(bytes: Uint8Array): ImageHeader | null {
  const chunk = ascii(bytes, 12, 4)
  if (chunk === 'VP8 ') {
    if (bytes.length < 30 || bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return null
    return header('webp', u16le(bytes, 26) & 0x3fff, u16le(bytes, 28) & 0x3fff, false)
  }
  if (chunk === 'VP8L') {
    if (bytes.length < 25 || bytes[20] !== 0x2f) return null
    const bits = (bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24)) >>> 0
    const alphaUsed = ((bits >>> 28) & 1) === 1
    return header('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, alphaUsed)
  }
  if (chunk === 'VP8X') {
    if (bytes.length < 30) return null
    const flags = bytes[20]
    return header('webp', 1 + u24le(bytes, 24), 1 + u24le(bytes, 27), (flags & 0x10) !== 0, webpOrientation(bytes, flags))
  }
  return null
}

/** The EXIF chunk of an extended WebP (flag bit 3), when the bytes hold it. */
function webpOrientation(bytes: Uint8Array, flags: number): number {
  if ((flags & 0x08) === 0) return 1
  let offset = 12
  while (offset + 8 <= bytes.length) {
    const size = u16le(bytes, offset + 4) | (u16le(bytes, offset + 6) << 16)
    if (ascii(bytes, offset, 4) === 'EXIF') {
      const body = bytes.subarray(offset + 8, Math.min(bytes.length, offset + 8 + size))
      // some writers keep the JPEG-style "Exif\0\0" prefix
      return exifOrientation(ascii(body, 0, 6) === 'Exif\0\0' ? body.subarray(6) : body)
    }
    offset += 8 + size + (size % 2)
  }
  return 1
}

/** The bytes as an EncodedImage (format and stored size from the header); null when they are not an image. */
export function encodedImageOf(bytes: Uint8Array): EncodedImage | null {
  const found = readImageHeader(bytes)
  return found === null ? null : { bytes, width: found.width, height: found.height, format: found.format }
}
