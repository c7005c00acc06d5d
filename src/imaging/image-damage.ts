// Damaged files as errors: the structural check is core's (core/image-damage, pure); this adds the error
// a decode throws for them, which no retry can cure, and the deeper PNG check that inflates the image
// data (DecompressionStream, which the plugin's main thread does not have).
import { damageSentence, describeDamage, findImageDamage, type ImageDamage } from '../core/image-damage'
import { ReframeError, isReframeError } from '../core/reframe-error'

export { describeDamage, findImageDamage, type ImageDamage }

/**
 * A decode error for damaged bytes. Its message names the damage after a subject ("This image" unless
 * told): callers that know the file name get "coffee.jpg is a damaged JPEG: the file ends early." with
 * `error.forFile('coffee.jpg')`. Retrying cannot help (`final`), since the bytes will not change.
 */
export class DamagedImageError extends ReframeError {
  readonly damage: ImageDamage
  readonly final = true

  constructor(damage: ImageDamage, subject = 'This image') {
    super('decode', damageSentence(subject, damage), {
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
    return { format: 'png', problem: 'its image data is cut short or corrupt' }
  }
  return expected !== null && inflated < expected ? { format: 'png', problem: 'its image data is cut short' } : null
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
