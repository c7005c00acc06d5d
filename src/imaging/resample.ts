// Area averaging on RGBA buffers, identical in the browser and in Node (plain arithmetic, no platform
// scaler): the analysis copy, and results scaled down without a platform backend.
import { createAreaShrinker, type Region } from './area-shrinker'
import { toRgba, type PremultipliedImage } from './premultiplied-image'
import type { RgbaImage } from './rgba-image'

/** Area-average `region` of `image` into width x height, premultiplied (the blur and backdrop work on this). */
export function shrinkToPremultiplied(image: RgbaImage, region: Region, width: number, height: number): PremultipliedImage {
  const shrinker = createAreaShrinker(image, region, width, height)
  shrinker.addRows(image.data, 4, 0, image.height)
  return shrinker.result()
}

/** Shrinks (or keeps) `image` to exactly width x height by area averaging. */
export function resampleArea(image: RgbaImage, width: number, height: number): RgbaImage {
  if (width === image.width && height === image.height) {
    return { width, height, data: new Uint8ClampedArray(image.data) }
  }
  return toRgba(shrinkToPremultiplied(image, { x: 0, y: 0, width: image.width, height: image.height }, width, height))
}
