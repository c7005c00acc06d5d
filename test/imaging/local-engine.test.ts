import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { RATIO_IDS, ratioValue, type Box, type RatioId } from '../../src/core/ratios'
import { nodeCodec } from '../../src/imaging/codec-node'
import { prepareSource, reframeRgba } from '../../src/imaging/reframe-rgba'
import type { RgbaImage } from '../../src/imaging/rgba-image'
import { smartCropBox } from '../../src/imaging/smart-crop'
import { isReframeError } from '../../src/core/reframe-error'
import { createLocalProvider } from '../../src/providers/local'
import type { EncodedImage } from '../../src/core/image-header'
import { encodeGradient, fixture } from './fixture-images'

function encoded(bytes: Uint8Array, format: EncodedImage['format'] = 'png'): EncodedImage {
  return { bytes, width: 0, height: 0, format }
}

function expectRatio(size: { width: number; height: number }, ratio: RatioId) {
  const t = ratioValue(ratio)
  // exact within 1 px on the side that was derived from the other
  const error = Math.min(Math.abs(size.width - size.height * t), Math.abs(size.height - size.width / t))
  expect(error, `${size.width}x${size.height} for ${ratio}`).toBeLessThanOrEqual(1)
}

/**
 * Along each axis: a window at least as long as `subject` holds all of it; a shorter one lies inside it
 * (the most of the subject geometry allows, none of the window spent beside it).
 */
function expectKeeps(window: Box, subject: Box, label: string) {
  for (const [start, length] of [
    ['x', 'width'],
    ['y', 'height']
  ] as const) {
    const inner = window[length] >= subject[length] ? subject : window
    const outer = inner === subject ? window : subject
    const message = `${label} ${start}: ${JSON.stringify(window)} vs ${JSON.stringify(subject)}`
    expect(inner[start], message).toBeGreaterThanOrEqual(outer[start])
    expect(inner[start] + inner[length], message).toBeLessThanOrEqual(outer[start] + outer[length])
  }
}

function pixelAt(image: RgbaImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4
  return Array.from(image.data.subarray(i, i + 4))
}

describe('offline engine output sizes', () => {
  it('gives every ratio exactly (within 1 px) in both modes, crop never larger than the source', async () => {
    const source = prepareSource(await nodeCodec.decode(fixture('coffee.png'))) // 600x400
    for (const ratio of RATIO_IDS) {
      const crop = await reframeRgba(source, ratio, { mode: 'crop', fill: 'blur' })
      expectRatio(crop, ratio)
      expect(crop.width).toBeLessThanOrEqual(600)
      expect(crop.height).toBeLessThanOrEqual(400)
      expect(crop.width === 600 || crop.height === 400).toBe(true) // the largest window, not a smaller one
      for (const fill of ['blur', 'edge'] as const) {
        const framed = await reframeRgba(source, ratio, { mode: 'fill', fill })
        expectRatio(framed, ratio)
        expect(framed.width).toBeGreaterThanOrEqual(600)
        expect(framed.height).toBeGreaterThanOrEqual(400)
        expect(framed.width === 600 || framed.height === 400).toBe(true) // the source at full size, not more
      }
    }
  })

  it('handles 1 px images and extreme strips', async () => {
    for (const [w, h] of [
      [1, 1],
      [1, 300],
      [3000, 1]
    ]) {
      const bytes = await encodeGradient(w, h, 'png')
      const source = prepareSource(await nodeCodec.decode(bytes))
      for (const ratio of ['1:1', '9:16', '21:9', '1.91:1'] as const) {
        const crop = await reframeRgba(source, ratio, { mode: 'crop', fill: 'blur' })
        expect(crop.width).toBeGreaterThanOrEqual(1)
        expect(crop.width).toBeLessThanOrEqual(w)
        expect(crop.height).toBeLessThanOrEqual(h)
        const fill = await reframeRgba(source, ratio, { mode: 'fill', fill: 'blur' })
        expectRatio(fill, ratio)
      }
    }
  })

  it('caps a 10000 px input at 4096 px on the long edge, ratio kept', async () => {
    const bytes = new Uint8Array(
      await sharp({ create: { width: 10000, height: 2500, channels: 3, background: '#336699' } })
        .png({ compressionLevel: 1 })
        .toBuffer()
    )
    const source = prepareSource(await nodeCodec.decode(bytes))
    for (const ratio of ['1:1', '16:9', '9:16'] as const) {
      for (const mode of ['crop', 'fill'] as const) {
        const out = await reframeRgba(source, ratio, { mode, fill: 'blur' })
        expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(4096)
        expectRatio(out, ratio)
      }
    }
    const crop = await reframeRgba(source, '16:9', { mode: 'crop', fill: 'blur' })
    expect(crop).toMatchObject({ width: 4096, height: 2304 })
    expect(pixelAt(crop, 2000, 1000)).toEqual([0x33, 0x66, 0x99, 255])
  })
})

describe('smart crop keeps the subject', () => {
  // Measured once by eye: the boxes were drawn on the images with sharp (an SVG rectangle overlay) and
  // looked at in an image viewer until they hugged the face: astronaut forehead (below the hair) to
  // chin and ear to ear; the cat from the outer corners of both eyes down to the mouth; the rocket
  // (drawn the same way, checked at 3x zoom) from the tip of its fairing to where it meets the pad,
  // body edge to body edge, without the service tower around it.
  const ASTRONAUT_FACE: Box = { x: 172, y: 80, width: 106, height: 108 }
  const CHELSEA_FACE: Box = { x: 135, y: 85, width: 210, height: 180 }
  const ROCKET_BODY: Box = { x: 310, y: 127, width: 26, height: 280 }

  it('keeps the whole of the astronaut face in every ratio', async () => {
    const image = await nodeCodec.decode(fixture('astronaut.png'))
    const source = prepareSource(image)
    for (const ratio of RATIO_IDS) {
      const box = await smartCropBox(source.analysis, image, ratio)
      expect(box.x).toBeLessThanOrEqual(ASTRONAUT_FACE.x)
      expect(box.y).toBeLessThanOrEqual(ASTRONAUT_FACE.y)
      expect(box.x + box.width).toBeGreaterThanOrEqual(ASTRONAUT_FACE.x + ASTRONAUT_FACE.width)
      expect(box.y + box.height, ratio).toBeGreaterThanOrEqual(ASTRONAUT_FACE.y + ASTRONAUT_FACE.height)
    }
  })

  it("keeps the whole cat face where the window can hold it, and stays on the face where it cannot", async () => {
    const image = await nodeCodec.decode(fixture('chelsea.png'))
    const source = prepareSource(image)
    let holding = 0
    for (const ratio of RATIO_IDS) {
      const box = await smartCropBox(source.analysis, image, ratio)
      if (box.width >= CHELSEA_FACE.width && box.height >= CHELSEA_FACE.height) holding++
      expectKeeps(box, CHELSEA_FACE, ratio)
    }
    // both cases are exercised: 9:16, 9:21 and 2:3 are narrower than the face, the others can hold it
    expect(holding).toBe(RATIO_IDS.length - 3)
  })

  it('keeps the whole rocket body in every window tall enough for it (9:16 and 9:21 included)', async () => {
    const image = await nodeCodec.decode(fixture('rocket.jpg'))
    const source = prepareSource(image)
    for (const ratio of RATIO_IDS) {
      const box = await smartCropBox(source.analysis, image, ratio)
      if (box.height >= ROCKET_BODY.height) {
        expectKeeps(box, ROCKET_BODY, ratio)
      } else {
        // 21:9 is 274 px tall, 6 px short of the rocket: most of the window is still rocket
        const kept = Math.min(box.y + box.height, ROCKET_BODY.y + ROCKET_BODY.height) - Math.max(box.y, ROCKET_BODY.y)
        expect(kept / box.height, `${ratio} ${JSON.stringify(box)}`).toBeGreaterThanOrEqual(0.9)
        expect(box.x).toBeLessThanOrEqual(ROCKET_BODY.x)
        expect(box.x + box.width).toBeGreaterThanOrEqual(ROCKET_BODY.x + ROCKET_BODY.width)
      }
    }
  })
})

describe('fill', () => {
  it('keeps the source pixels unchanged where it is placed (center, start, end)', async () => {
    const image = await nodeCodec.decode(fixture('chelsea.png')) // 451x300
    const provider = createLocalProvider({ codec: nodeCodec, mode: 'fill', fill: 'blur' })
    const uploaded = await provider.upload(encoded(fixture('chelsea.png')))
    const expectedX = { center: 0, start: 0, end: 0 }
    for (const placement of ['center', 'start', 'end'] as const) {
      const result = await provider.reframe(uploaded, '16:9', { placement })
      expect(result.format).toBe('png')
      const out = await nodeCodec.decode(result.bytes)
      expect(out).toMatchObject({ width: 533, height: 300 })
      const x = placement === 'start' ? 0 : placement === 'end' ? 533 - 451 : Math.floor((533 - 451) / 2)
      expectedX[placement] = x
      for (let y = 0; y < 300; y++) {
        const row = out.data.subarray((y * 533 + x) * 4, (y * 533 + x + 451) * 4)
        const src = image.data.subarray(y * 451 * 4, (y + 1) * 451 * 4)
        expect(Buffer.compare(Buffer.from(row), Buffer.from(src)), `row ${y} at ${placement}`).toBe(0)
      }
      // the margin is the darkened blur, not a copy of the edge and not empty
      const margin = placement === 'start' ? pixelAt(out, 532, 150) : pixelAt(out, 0, 150)
      expect(margin[3]).toBe(255)
    }
    expect(new Set(Object.values(expectedX)).size).toBe(3)
  })

  it('darkens and blurs the backdrop (it is darker and smoother than the source it covers)', async () => {
    const image = await nodeCodec.decode(fixture('astronaut.png'))
    const out = await reframeRgba(prepareSource(image), '9:16', { mode: 'fill', fill: 'blur' }) // 512x910, margins top and bottom
    const luma = (p: number[]) => 0.3 * p[0] + 0.59 * p[1] + 0.11 * p[2]
    let backdrop = 0
    let source = 0
    let roughness = 0
    for (let x = 1; x < 512; x++) {
      backdrop += luma(pixelAt(out, x, 20))
      source += luma(pixelAt(image, x, 20))
      roughness += Math.abs(luma(pixelAt(out, x, 20)) - luma(pixelAt(out, x - 1, 20)))
    }
    expect(backdrop).toBeLessThan(source)
    expect(roughness / 511).toBeLessThan(2) // neighbouring pixels of a heavy blur barely differ
  })

  it('keeps transparency: a transparent PNG stays PNG with its alpha intact', async () => {
    const provider = createLocalProvider({ codec: nodeCodec, mode: 'fill', fill: 'blur' })
    // logo.png has an alpha channel but every pixel is opaque; Flow.png is mostly transparent
    const source = await nodeCodec.decode(fixture('Flow.png')) // 1920x1200 RGBA
    const transparent = source.data.filter((_, i) => i % 4 === 3 && source.data[i] === 0).length
    expect(transparent).toBeGreaterThan(0)
    const result = await provider.reframe(await provider.upload(encoded(fixture('Flow.png'))), '16:9')
    expect(result.format).toBe('png')
    const meta = await sharp(result.bytes).metadata()
    expect(meta.hasAlpha).toBe(true)
    const out = await nodeCodec.decode(result.bytes) // 2133x1200, source at x = 106
    expect(out).toMatchObject({ width: 2133, height: 1200 })
    for (let y = 0; y < 1200; y += 13) {
      for (let x = 0; x < 1920; x += 13) expect(pixelAt(out, 106 + x, y)).toEqual(pixelAt(source, x, y))
    }
    // the backdrop made from a transparent source is itself (mostly) transparent: no grey slab
    expect(pixelAt(out, 20, 20)[3]).toBeLessThan(64)
  })

  it('edge fill continues the edge colour and fades towards its average', async () => {
    const bytes = await encodeGradient(200, 100, 'png') // red rises left to right, green top to bottom
    const image = await nodeCodec.decode(bytes)
    const out = await reframeRgba(prepareSource(image), '9:16', { mode: 'fill', fill: 'edge' }) // 200x356
    const top = Math.floor((356 - 100) / 2)
    const nearEdge = pixelAt(out, 10, top - 1)
    const farEdge = pixelAt(out, 10, 0)
    // right above the source: its top row's colour; at the border: that row's average (red ~128)
    expect(Math.abs(nearEdge[0] - pixelAt(image, 10, 0)[0])).toBeLessThan(12)
    expect(Math.abs(farEdge[0] - 128)).toBeLessThan(6)
    expect(nearEdge[1]).toBeLessThan(10)
  })
})

describe('crop mode', () => {
  it('copies the chosen window pixel for pixel (never resampled below the cap)', async () => {
    const image = await nodeCodec.decode(fixture('coffee.png'))
    const source = prepareSource(image)
    const box = await smartCropBox(source.analysis, image, '9:16')
    const out = await reframeRgba(source, '9:16', { mode: 'crop', fill: 'blur' })
    expect(out).toMatchObject({ width: box.width, height: box.height })
    expect(pixelAt(out, 5, 7)).toEqual(pixelAt(image, box.x + 5, box.y + 7))
    expect(pixelAt(out, box.width - 1, box.height - 1)).toEqual(pixelAt(image, box.x + box.width - 1, box.y + box.height - 1))
  })
})

describe('bad input', () => {
  it('rejects bytes that are not an image with a decode error a person can read', async () => {
    const provider = createLocalProvider({ codec: nodeCodec })
    const error = await provider.upload(encoded(new TextEncoder().encode('not an image at all'))).catch((e: unknown) => e)
    expect(isReframeError(error) && error.kind).toBe('decode')
    expect((error as Error).message).toMatch(/not an image the engine can read/)
  })

  it('rejects a truncated PNG', async () => {
    const bytes = fixture('astronaut.png').slice(0, 2000)
    const error = await nodeCodec.decode(bytes).catch((e: unknown) => e)
    expect(isReframeError(error) && error.kind).toBe('decode')
  })

  it('stops when cancelled', async () => {
    const provider = createLocalProvider({ codec: nodeCodec })
    const uploaded = await provider.upload(encoded(fixture('chelsea.png')))
    const controller = new AbortController()
    controller.abort()
    const error = await provider.reframe(uploaded, '1:1', { signal: controller.signal }).catch((e: unknown) => e)
    expect(isReframeError(error) && error.kind).toBe('cancelled')
  })
})
