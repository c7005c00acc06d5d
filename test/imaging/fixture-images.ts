// Shared by the imaging tests: the real fixture photos, and odd-format inputs made with sharp at test time.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/images')

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)))
}

/** width x height RGB noise-free gradient, so every pixel differs and positions can be checked. */
export function gradientRaw(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      data[i] = Math.round((x / Math.max(1, width - 1)) * 255)
      data[i + 1] = Math.round((y / Math.max(1, height - 1)) * 255)
      data[i + 2] = 128
    }
  }
  return data
}

export async function encodeGradient(width: number, height: number, format: 'png' | 'jpeg'): Promise<Uint8Array> {
  const image = sharp(gradientRaw(width, height), { raw: { width, height, channels: 3 } })
  return new Uint8Array(await (format === 'png' ? image.png() : image.jpeg({ quality: 95 })).toBuffer())
}
