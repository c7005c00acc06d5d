// Reads an image's format, pixel size and whether it can hold transparency from its first bytes,
// without decoding: enough to pick an export format and to check bytes before figma.createImage.

export type ImageFormat = 'png' | 'jpeg' | 'gif'

export type ImageHeader = {
  format: ImageFormat
  width: number
  height: number
  /** True when the file can carry transparent pixels (PNG alpha or tRNS, GIF); JPEG never does. */
  hasAlpha: boolean
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The header of a PNG, JPEG or GIF; null for anything else or for truncated bytes. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return readPng(bytes)
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return readJpeg(bytes)
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return readGif(bytes)
  return null
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, index) => bytes[index] === value)
}

function uint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0
}

function chunkType(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3])
}

function readPng(bytes: Uint8Array): ImageHeader | null {
  // IHDR must be the first chunk: length(4) type(4) width(4) height(4) depth(1) colour type(1)
  if (bytes.length < 33 || chunkType(bytes, 12) !== 'IHDR') return null
  const width = uint32(bytes, 16)
  const height = uint32(bytes, 20)
  const colourType = bytes[25]
  if (width === 0 || height === 0) return null
  // colour types 4 (grey + alpha) and 6 (RGBA) carry alpha; the others only through a tRNS chunk,
  // which must come before the first IDAT
  let hasAlpha = colourType === 4 || colourType === 6
  let offset = 8
  while (!hasAlpha && offset + 8 <= bytes.length) {
    const length = uint32(bytes, offset)
    const type = chunkType(bytes, offset + 4)
    if (type === 'tRNS') hasAlpha = true
    if (type === 'IDAT' || type === 'IEND') break
    offset += 12 + length
  }
  return { format: 'png', width, height, hasAlpha }
}

function readJpeg(bytes: Uint8Array): ImageHeader | null {
  let offset = 2
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
    const length = (bytes[offset + 2] << 8) | bytes[offset + 3]
    // SOF0..SOF15 carry the size, except DHT (c4), JPG (c8) and DAC (cc)
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrameHeader) {
      if (offset + 9 > bytes.length) return null
      const height = (bytes[offset + 5] << 8) | bytes[offset + 6]
      const width = (bytes[offset + 7] << 8) | bytes[offset + 8]
      if (width === 0 || height === 0) return null
      return { format: 'jpeg', width, height, hasAlpha: false }
    }
    if (marker === 0xda || length < 2) return null
    offset += 2 + length
  }
  return null
}

function readGif(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 10) return null
  const width = bytes[6] | (bytes[7] << 8)
  const height = bytes[8] | (bytes[9] << 8)
  if (width === 0 || height === 0) return null
  return { format: 'gif', width, height, hasAlpha: true }
}

export const IMAGE_MIME: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif'
}
