// Images of the fake: createImage validates bytes as Figma does (PNG, JPEG or GIF, at most 4096 px a side),
// and an image's size is its upright picture's, EXIF orientation applied, as Figma shows a phone photo.
import { readImageHeader, uprightSize } from '../../../src/core/image-header'

export const MAX_IMAGE_EDGE = 4096

/** Deterministic 40-hex-digit hash (Figma's image hashes are SHA-1 hex): five seeded FNV-1a passes of 8 digits each. */
function hashBytes(bytes: Uint8Array): string {
  let out = ''
  for (const seed of [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35]) {
    let h = seed >>> 0
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i]
      h = Math.imul(h, 0x01000193) >>> 0
    }
    // unsigned again after the xor, or a pass with the top bit set prints as '-…'
    h = (h ^ bytes.length) >>> 0
    out += h.toString(16).padStart(8, '0')
  }
  return out
}

/** Which of an image's async calls is made (the fake counts them apart: sizes are cheap, bytes are not). */
export type ImageCall = 'bytes' | 'size'

export class FakeImage implements Image {
  readonly hash: string
  readonly #bytes: Uint8Array
  readonly #size: { width: number; height: number }
  readonly #delay: (call: ImageCall) => Promise<void>
  constructor(bytes: Uint8Array, size: { width: number; height: number }, delay: (call: ImageCall) => Promise<void>) {
    this.#bytes = bytes.slice()
    this.hash = hashBytes(this.#bytes)
    this.#size = size
    this.#delay = delay
  }
  async getBytesAsync(): Promise<Uint8Array> {
    await this.#delay('bytes')
    return this.#bytes.slice()
  }
  async getSizeAsync(): Promise<{ width: number; height: number }> {
    await this.#delay('size')
    return { ...this.#size }
  }
  /** Test access without the async delay. */
  get bytes(): Uint8Array {
    return this.#bytes.slice()
  }
}

export class ImageStore {
  readonly #images = new Map<string, FakeImage>()
  constructor(private readonly delay: (call: ImageCall) => Promise<void>) {}

  create(bytes: Uint8Array): FakeImage {
    if (!(bytes instanceof Uint8Array)) throw new Error('createImage: expected a Uint8Array')
    const header = readImageHeader(bytes)
    if (header === null || header.format === 'webp') throw new Error('Image type is unsupported')
    if (header.width > MAX_IMAGE_EDGE || header.height > MAX_IMAGE_EDGE) throw new Error('Image is too large')
    const image = new FakeImage(bytes, uprightSize(header), this.delay)
    const existing = this.#images.get(image.hash)
    if (existing) return existing
    this.#images.set(image.hash, image)
    return image
  }

  get(hash: string): FakeImage | null {
    return this.#images.get(hash) ?? null
  }
}
