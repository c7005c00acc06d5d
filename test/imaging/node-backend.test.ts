// What each Layer field means, drawn by the sharp backend (the canvas backend is held to the same
// pictures by browser-backend.test.ts): boxes and clipping, mirrors, darkening, feathers, blur edges,
// JPEG on white, and copies that stay exact.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { nodeBackend } from '../../src/imaging/backend-node'
import type { Layer, Picture, RenderRecipe } from '../../src/imaging/render-recipe'
import { encodeGradient, fixture } from './fixture-images'
import { decodeRgba, type Pixels } from './image-compare'

function pixelAt(image: Pixels, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4
  return Array.from(image.data.subarray(i, i + 4))
}

async function draw(picture: Picture, recipe: Omit<RenderRecipe, 'format'> & { format?: RenderRecipe['format'] }): Promise<Pixels> {
  const out = await nodeBackend.render({ format: 'png', ...recipe }, { source: picture })
  expect({ width: out.width, height: out.height }).toEqual({ width: recipe.width, height: recipe.height })
  return decodeRgba(out.bytes)
}

/** 8x4 px, every pixel its own colour: red = 30 x column, green = 60 x row. */
async function tinyPicture(): Promise<Picture> {
  const data = Buffer.alloc(8 * 4 * 3)
  for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) data.set([30 * x, 60 * y, 100], (y * 8 + x) * 3)
  return nodeBackend.decode(new Uint8Array(await sharp(data, { raw: { width: 8, height: 4, channels: 3 } }).png().toBuffer()))
}

const whole = (picture: Picture) => ({ x: 0, y: 0, width: picture.width, height: picture.height })

describe('the sharp backend draws each layer as the recipe says', () => {
  it('copies a region 1:1 into its box, leaves the rest of the output transparent, and clips what falls outside', async () => {
    const picture = await tinyPicture()
    const out = await draw(picture, {
      width: 12,
      height: 4,
      layers: [
        { picture: 'source', from: { x: 2, y: 1, width: 3, height: 2 }, to: { x: 0, y: 0, width: 3, height: 2 } },
        { picture: 'source', from: whole(picture), to: { x: 8, y: 2, width: 8, height: 4 } } // mostly outside
      ]
    })
    expect(pixelAt(out, 0, 0)).toEqual([60, 60, 100, 255])
    expect(pixelAt(out, 2, 1)).toEqual([120, 120, 100, 255])
    expect(pixelAt(out, 5, 0)).toEqual([0, 0, 0, 0])
    expect(pixelAt(out, 8, 2)).toEqual([0, 0, 100, 255])
    expect(pixelAt(out, 11, 3)).toEqual([90, 60, 100, 255])
  })

  it('mirrors left-right and top-bottom', async () => {
    const picture = await tinyPicture()
    const out = await draw(picture, {
      width: 16,
      height: 4,
      layers: [
        { picture: 'source', from: whole(picture), to: { x: 0, y: 0, width: 8, height: 4 }, flip: { x: true } },
        { picture: 'source', from: whole(picture), to: { x: 8, y: 0, width: 8, height: 4 }, flip: { y: true } }
      ]
    })
    expect(pixelAt(out, 0, 0)).toEqual([210, 0, 100, 255])
    expect(pixelAt(out, 7, 3)).toEqual([0, 180, 100, 255])
    expect(pixelAt(out, 8, 0)).toEqual([0, 180, 100, 255])
    expect(pixelAt(out, 15, 3)).toEqual([210, 0, 100, 255])
  })

  it('darkens colour by the brightness factor and keeps alpha', async () => {
    const picture = await tinyPicture()
    const out = await draw(picture, {
      width: 8,
      height: 4,
      layers: [{ picture: 'source', from: whole(picture), to: whole(picture), brightness: 0.5 }]
    })
    expect(pixelAt(out, 4, 2)).toEqual([60, 60, 50, 255])
  })

  it('feathers each named edge with a linear ramp measured at pixel centres, ramps multiplying', async () => {
    const picture = await nodeBackend.decode(new Uint8Array(await sharp({ create: { width: 50, height: 50, channels: 3, background: '#ffffff' } }).png().toBuffer()))
    const layer: Layer = { picture: 'source', from: whole(picture), to: { x: 0, y: 0, width: 40, height: 40 }, feather: { width: 10, edges: ['left', 'top'] } }
    const out = await draw(picture, { width: 40, height: 40, layers: [layer] })
    const alpha = (x: number, y: number) => pixelAt(out, x, y)[3]
    expect(alpha(0, 20)).toBe(Math.round(255 * 0.05))
    expect(alpha(4, 20)).toBe(Math.round(255 * 0.45))
    expect(alpha(9, 20)).toBe(Math.round(255 * 0.95))
    expect(alpha(10, 20)).toBe(255)
    expect(alpha(4, 4)).toBe(Math.round(255 * 0.45 * 0.45))
    expect(alpha(39, 39)).toBe(255) // right and bottom were not named
  })

  it('blurs with the edges extended: an opaque layer stays opaque, and its colour, to the edges of its box', async () => {
    const bytes = await encodeGradient(200, 100, 'png')
    const picture = await nodeBackend.decode(bytes)
    const out = await draw(picture, {
      width: 300,
      height: 100,
      layers: [{ picture: 'source', from: whole(picture), to: { x: 50, y: 0, width: 200, height: 100 }, blur: 20 }]
    })
    expect(pixelAt(out, 50, 0)[3]).toBe(255)
    expect(pixelAt(out, 249, 99)[3]).toBe(255)
    expect(pixelAt(out, 49, 50)[3]).toBe(0)
    // the left edge is dark red (the gradient starts at 0), not mixed with transparent black or the right side
    expect(pixelAt(out, 50, 50)[0]).toBeLessThan(40)
    // and it is blurred: neighbouring columns in the middle differ by about the gradient's own step, smoothly
    expect(Math.abs(pixelAt(out, 150, 50)[0] - pixelAt(out, 151, 50)[0])).toBeLessThanOrEqual(3)
  })

  it('flattens JPEG output on white', async () => {
    const picture = await tinyPicture()
    const out = await nodeBackend.render(
      { width: 16, height: 8, format: 'jpeg', layers: [{ picture: 'source', from: whole(picture), to: { x: 0, y: 0, width: 8, height: 4 } }] },
      { source: picture }
    )
    const pixels = await decodeRgba(out.bytes)
    expect(pixelAt(pixels, 14, 6).slice(0, 3).every((c) => c > 245)).toBe(true)
  })

  it('keeps a translucent copy exact, to the level, next to other layers', async () => {
    const bytes = fixture('logo.png')
    const flow = fixture('Flow.png')
    for (const input of [bytes, flow]) {
      const picture = await nodeBackend.decode(input)
      const source = await decodeRgba(input)
      const out = await draw(picture, {
        width: picture.width + 60,
        height: picture.height,
        layers: [
          { picture: 'source', from: { x: 0, y: 0, width: 40, height: picture.height }, to: { x: 0, y: 0, width: 50, height: picture.height }, blur: 8, brightness: 0.7 },
          { picture: 'source', from: whole(picture), to: { x: 60, y: 0, width: picture.width, height: picture.height } }
        ]
      })
      for (let y = 0; y < picture.height; y += 3) {
        const row = Buffer.from(out.data.subarray((y * out.width + 60) * 4, (y * out.width + 60 + picture.width) * 4))
        expect(row.equals(Buffer.from(source.data.subarray(y * picture.width * 4, (y + 1) * picture.width * 4))), `row ${y}`).toBe(true)
      }
      expect(pixelAt(out, 55, 10)).toEqual([0, 0, 0, 0]) // between the two: nothing
    }
  })

  it('lays an opaque copy that other layers do not touch out exactly too, with the rest transparent', async () => {
    const picture = await tinyPicture()
    const out = await draw(picture, {
      width: 40,
      height: 4,
      layers: [
        { picture: 'source', from: whole(picture), to: { x: 0, y: 0, width: 8, height: 4 } },
        { picture: 'source', from: whole(picture), to: { x: 30, y: 0, width: 8, height: 4 }, brightness: 0.5 }
      ]
    })
    expect(pixelAt(out, 3, 2)).toEqual([90, 120, 100, 255])
    expect(pixelAt(out, 20, 2)).toEqual([0, 0, 0, 0])
    expect(pixelAt(out, 33, 2)).toEqual([45, 60, 50, 255])
  })

  it('keeps an opaque 1:1 top layer with matched seams exact over an opaque or a translucent layer beneath', async () => {
    const source = await tinyPicture()
    for (const alpha of [255, 128]) {
      const under = Buffer.alloc(20 * 10 * 4)
      for (let i = 0; i < 20 * 10; i++) under.set([200, 40, 40, alpha], i * 4)
      const result = await nodeBackend.decode(new Uint8Array(await sharp(under, { raw: { width: 20, height: 10, channels: 4 } }).png().toBuffer()))
      const encoded = await nodeBackend.render(
        {
          width: 20,
          height: 10,
          format: 'png',
          layers: [
            { picture: 'result', from: whole(result), to: { x: 0, y: 0, width: 20, height: 10 } },
            { picture: 'source', from: whole(source), to: { x: 6, y: 3, width: 8, height: 4 }, match: { width: 3, edges: ['top', 'right', 'bottom', 'left'] } }
          ]
        },
        { result, source }
      )
      const out = await decodeRgba(encoded.bytes)
      for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) expect(pixelAt(out, 6 + x, 3 + y)).toEqual([30 * x, 60 * y, 100, 255])
      // the band outside moved towards the layer; the corners of the output kept the result's own colour
      expect(pixelAt(out, 5, 4)).not.toEqual([200, 40, 40, alpha])
      expect(pixelAt(out, 0, 0)).toEqual([200, 40, 40, alpha])
    }
  })
})
