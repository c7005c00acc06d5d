// The salient-subject finder blurs one channel at a time (boxBlurPlane); crop windows stay what they
// were, and the same in the browser and in Node, only if that gives exactly the numbers of boxBlur.
import { describe, expect, it } from 'vitest'
import { boxBlur, boxBlurPlane } from '../../src/imaging/box-blur'
import { createPremultipliedImage } from '../../src/imaging/premultiplied-image'

/** A reproducible image of awkward floats (not whole numbers, so any change of order would show). */
function noisyImage(width: number, height: number) {
  const image = createPremultipliedImage(width, height)
  let seed = 12345
  for (let i = 0; i < image.data.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    image.data[i] = (seed / 2147483648) * 255.3
  }
  return image
}

describe('boxBlurPlane', () => {
  it.each([
    [37, 23, 1, 3],
    [37, 23, 5, 3],
    // a radius past the image's size clamps at both edges at once
    [9, 40, 12, 2],
    [64, 1, 3, 1]
  ])('blurs a %ix%i plane by radius %i (%i passes) bit for bit as boxBlur blurs that channel', (width, height, radius, passes) => {
    const image = noisyImage(width, height)
    for (let channel = 0; channel < 4; channel++) {
      const plane = new Float32Array(width * height)
      for (let i = 0; i < plane.length; i++) plane[i] = image.data[i * 4 + channel]
      boxBlurPlane(plane, width, height, radius, passes)
      const expected = createPremultipliedImage(width, height)
      expected.data.set(image.data)
      boxBlur(expected, radius, passes)
      const column = Float32Array.from({ length: width * height }, (_, i) => expected.data[i * 4 + channel])
      expect(plane).toEqual(column)
    }
  })

  it('leaves the plane as it is at radius 0', () => {
    const plane = Float32Array.from([1, 2, 3, 4])
    boxBlurPlane(plane, 2, 2, 0)
    expect([...plane]).toEqual([1, 2, 3, 4])
  })
})
