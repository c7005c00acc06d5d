// Float RGBA with premultiplied alpha: the working form for averaging and blurring, so that transparent
// pixels (whose colour is meaningless) never bleed a dark fringe into their neighbours.
import { createRgbaImage, type RgbaImage } from './rgba-image'

/** The same grid as RgbaImage; `data` is width * height * 4 floats: r*a/255, g*a/255, b*a/255, a (all 0..255). */
export type PremultipliedImage = Omit<RgbaImage, 'data'> & { data: Float32Array }

export const createPremultipliedImage = (width: number, height: number): PremultipliedImage => ({ width, height, data: new Float32Array(width * height * 4) })

/** Back to straight 8-bit RGBA, multiplying colour by `brightness` (1 keeps it). Uint8ClampedArray rounds to nearest on store. */
export function toRgba(image: PremultipliedImage, brightness = 1): RgbaImage {
  const out = createRgbaImage(image.width, image.height)
  const src = image.data
  const dst = out.data
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3]
    if (a <= 0) continue
    const k = (255 * brightness) / a
    dst[i] = src[i] * k
    dst[i + 1] = src[i + 1] * k
    dst[i + 2] = src[i + 2] * k
    dst[i + 3] = a
  }
  return out
}
