// The offline engine as the CLI runs it (the sharp backend): sizes, the subject kept by smart crop,
// crops never enlarged, fill that keeps the photo's own pixels and meets it without a step, and bad files.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { RATIO_IDS, ratioValue, type Box, type RatioId } from '../../src/core/ratios'
import { nodeBackend } from '../../src/imaging/backend-node'
import { fillPlacement, fillRecipe } from '../../src/imaging/fill-recipe'
import { DamagedImageError, isFinalError } from '../../src/imaging/image-damage'
import type { Picture } from '../../src/imaging/render-recipe'
import { analysisImageOf, analysisMaxEdge, smartCropBox, type AnalysisImage } from '../../src/imaging/smart-crop'
import { isReframeError } from '../../src/core/reframe-error'
import { createLocalProvider, type LocalFill, type LocalMode } from '../../src/providers/local'
import type { EncodedImage } from '../../src/core/image-header'
import { encodeGradient, fixture } from './fixture-images'
import { decodeRgba, lumaAt, type Pixels } from './image-compare'

function encoded(bytes: Uint8Array, format: EncodedImage['format'] = 'png'): EncodedImage {
  return { bytes, width: 0, height: 0, format }
}

/** Every ratio's output of one source through the offline provider, decoded. */
async function reframeAll(bytes: Uint8Array, ratios: readonly RatioId[], mode: LocalMode, fill: LocalFill = 'blur', format: EncodedImage['format'] = 'png') {
  const provider = createLocalProvider({ backend: nodeBackend, mode, fill })
  const uploaded = await provider.upload(encoded(bytes, format))
  const outputs = []
  for (const ratio of ratios) {
    const result = await provider.reframe(uploaded, ratio)
    const pixels = await decodeRgba(result.bytes)
    expect({ width: pixels.width, height: pixels.height }).toEqual({ width: result.width, height: result.height })
    outputs.push({ ratio, result, pixels })
  }
  return outputs
}

async function analysed(bytes: Uint8Array): Promise<{ picture: Picture; analysis: AnalysisImage }> {
  const picture = await nodeBackend.decode(bytes)
  return { picture, analysis: analysisImageOf(await nodeBackend.analysis(picture, analysisMaxEdge(picture)), picture) }
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

function pixelAt(image: Pixels, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4
  return Array.from(image.data.subarray(i, i + 4))
}

function rowOf(image: Pixels, y: number, x = 0, width = image.width): Buffer {
  return Buffer.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x + width) * 4))
}

describe('offline engine output sizes', () => {
  it('gives every ratio exactly (within 1 px) in both modes, crop never larger than the source', async () => {
    const bytes = fixture('coffee.png') // 600x400
    for (const { ratio, result } of await reframeAll(bytes, RATIO_IDS, 'crop')) {
      expectRatio(result, ratio)
      expect(result.width).toBeLessThanOrEqual(600)
      expect(result.height).toBeLessThanOrEqual(400)
      expect(result.width === 600 || result.height === 400).toBe(true) // the largest window, not a smaller one
    }
    for (const fill of ['blur', 'edge'] as const) {
      for (const { ratio, result } of await reframeAll(bytes, RATIO_IDS, 'fill', fill)) {
        expectRatio(result, ratio)
        expect(result.width).toBeGreaterThanOrEqual(600)
        expect(result.height).toBeGreaterThanOrEqual(400)
        expect(result.width === 600 || result.height === 400).toBe(true) // the source at full size, not more
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
      const ratios = ['1:1', '9:16', '21:9', '1.91:1'] as const
      for (const { result } of await reframeAll(bytes, ratios, 'crop')) {
        expect(result.width).toBeGreaterThanOrEqual(1)
        expect(result.width).toBeLessThanOrEqual(w)
        expect(result.height).toBeLessThanOrEqual(h)
      }
      for (const fill of ['blur', 'edge'] as const) {
        for (const { ratio, result } of await reframeAll(bytes, ratios, 'fill', fill)) expectRatio(result, ratio)
      }
    }
  })

  it('caps a 10000 px input at 4096 px on the long edge, ratio kept', async () => {
    const bytes = new Uint8Array(
      await sharp({ create: { width: 10000, height: 2500, channels: 3, background: '#336699' } })
        .png({ compressionLevel: 1 })
        .toBuffer()
    )
    for (const mode of ['crop', 'fill'] as const) {
      for (const { ratio, result } of await reframeAll(bytes, ['1:1', '16:9', '9:16'], mode)) {
        expect(Math.max(result.width, result.height)).toBeLessThanOrEqual(4096)
        expectRatio(result, ratio)
      }
    }
    const [crop] = await reframeAll(bytes, ['16:9'], 'crop')
    expect(crop.result).toMatchObject({ width: 4096, height: 2304 })
    expect(pixelAt(crop.pixels, 2000, 1000)).toEqual([0x33, 0x66, 0x99, 255])
  })
})

describe('smart crop is never enlarged', () => {
  it('gives a 600x400 photo at 9:16 its 225x400 window, pixel for pixel, not a frame scaled up', async () => {
    const bytes = fixture('coffee.png')
    const source = await decodeRgba(bytes)
    const { picture, analysis } = await analysed(bytes)
    const box = await smartCropBox(analysis, picture, '9:16')
    const [{ result, pixels }] = await reframeAll(bytes, ['9:16'], 'crop')
    expect(result).toMatchObject({ width: 225, height: 400 })
    expect({ width: box.width, height: box.height }).toEqual({ width: 225, height: 400 })
    for (let y = 0; y < 400; y++) {
      expect(rowOf(pixels, y).equals(rowOf(source, y, box.x, 225)), `row ${y}`).toBe(true)
    }
  })

  it('shrinks a window over 4096 px on both sides together, and never enlarges a small one', async () => {
    const big = new Uint8Array(await sharp({ create: { width: 8000, height: 5000, channels: 3, background: '#808080' } }).png({ compressionLevel: 1 }).toBuffer())
    const [square, tall] = await reframeAll(big, ['1:1', '9:16'], 'crop')
    expect(square.result).toMatchObject({ width: 4096, height: 4096 }) // 5000x5000 window, both sides x 0.8192
    expect(tall.result).toMatchObject({ width: 2304, height: 4096 }) // 2813x5000 window, both sides x 0.8192
    for (const { result } of await reframeAll(await encodeGradient(40, 30, 'png'), RATIO_IDS, 'crop')) {
      expect(result.width).toBeLessThanOrEqual(40)
      expect(result.height).toBeLessThanOrEqual(30)
    }
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
    const { picture, analysis } = await analysed(fixture('astronaut.png'))
    for (const ratio of RATIO_IDS) {
      const box = await smartCropBox(analysis, picture, ratio)
      expect(box.x).toBeLessThanOrEqual(ASTRONAUT_FACE.x)
      expect(box.y).toBeLessThanOrEqual(ASTRONAUT_FACE.y)
      expect(box.x + box.width).toBeGreaterThanOrEqual(ASTRONAUT_FACE.x + ASTRONAUT_FACE.width)
      expect(box.y + box.height, ratio).toBeGreaterThanOrEqual(ASTRONAUT_FACE.y + ASTRONAUT_FACE.height)
    }
  })

  it('keeps the whole cat face where the window can hold it, and stays on the face where it cannot', async () => {
    const { picture, analysis } = await analysed(fixture('chelsea.png'))
    let holding = 0
    for (const ratio of RATIO_IDS) {
      const box = await smartCropBox(analysis, picture, ratio)
      if (box.width >= CHELSEA_FACE.width && box.height >= CHELSEA_FACE.height) holding++
      expectKeeps(box, CHELSEA_FACE, ratio)
    }
    // both cases are exercised: 9:16, 9:21 and 2:3 are narrower than the face, the others can hold it
    expect(holding).toBe(RATIO_IDS.length - 3)
  })

  it('keeps the whole rocket body in every window tall enough for it (9:16 and 9:21 included)', async () => {
    const { picture, analysis } = await analysed(fixture('rocket.jpg'))
    for (const ratio of RATIO_IDS) {
      const box = await smartCropBox(analysis, picture, ratio)
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

describe("a size of the photo's own shape", () => {
  it('is the file itself, byte for byte, in both modes: no decode-and-encode loss and no work', async () => {
    const cases: Array<[string, RatioId, EncodedImage['format']]> = [
      ['Elephants_3840x2160.jpg', '16:9', 'jpeg'],
      ['coffee.png', '3:2', 'png']
    ]
    for (const [name, ratio, format] of cases) {
      for (const mode of ['crop', 'fill'] as const) {
        const bytes = fixture(name)
        const [output] = await reframeAll(bytes, [ratio], mode, 'blur', format)
        expect(Buffer.from(output.result.bytes).equals(Buffer.from(bytes)), `${name} ${mode}`).toBe(true)
        expect(output.result.format).toBe(format)
      }
    }
  })

  it('draws a file stored turned (EXIF orientation 3 or 6) upright instead of passing its bytes on', async () => {
    const stored = await encodeGradient(300, 200, 'jpeg')
    // 3: stored upside down, the same size shown; 6: stored 300x200, shown 200x300
    for (const [orientation, ratio] of [
      [3, '3:2'],
      [6, '2:3']
    ] as const) {
      const turned = await sharp(stored).withMetadata({ orientation }).jpeg().toBuffer()
      const upright = await decodeRgba(await sharp(turned).rotate().png().toBuffer())
      for (const mode of ['crop', 'fill'] as const) {
        const [output] = await reframeAll(turned, [ratio], mode, 'blur', 'jpeg')
        expect(Buffer.from(output.result.bytes).equals(turned), `${orientation} ${mode}`).toBe(false)
        expect({ width: output.pixels.width, height: output.pixels.height }).toEqual({ width: upright.width, height: upright.height })
        // the top-left corner is the upright image's (a JPEG round trip away), not the stored one's
        const corner = pixelAt(output.pixels, 2, 2)
        const expected = pixelAt(upright, 2, 2)
        for (let c = 0; c < 3; c++) expect(Math.abs(corner[c] - expected[c]), `${orientation} ${mode} channel ${c}`).toBeLessThanOrEqual(12)
      }
    }
  })

  it('draws a WebP of the same shape as PNG (Figma places PNG, JPEG and GIF only)', async () => {
    const webp = await sharp(await encodeGradient(300, 200, 'png')).webp().toBuffer()
    const [output] = await reframeAll(webp, ['3:2'], 'crop', 'blur', 'webp')
    expect(output.result.format).toBe('png')
    expect(Buffer.from(output.result.bytes).subarray(1, 4).toString()).toBe('PNG')
  })
})

describe('fill', () => {
  it('keeps the source pixels unchanged where it is placed (center, start, end)', async () => {
    const image = await decodeRgba(fixture('chelsea.png')) // 451x300
    for (const fill of ['blur', 'edge'] as const) {
      const provider = createLocalProvider({ backend: nodeBackend, mode: 'fill', fill })
      const uploaded = await provider.upload(encoded(fixture('chelsea.png')))
      const placedAt = new Set<number>()
      for (const placement of ['center', 'start', 'end'] as const) {
        const result = await provider.reframe(uploaded, '16:9', { placement })
        expect(result.format).toBe('png')
        const out = await decodeRgba(result.bytes)
        expect(out).toMatchObject({ width: 533, height: 300 })
        const x = placement === 'start' ? 0 : placement === 'end' ? 533 - 451 : Math.floor((533 - 451) / 2)
        placedAt.add(x)
        for (let y = 0; y < 300; y++) {
          expect(rowOf(out, y, x, 451).equals(rowOf(image, y)), `${fill} row ${y} at ${placement}`).toBe(true)
        }
        // the margin is filled, not empty
        const margin = placement === 'start' ? pixelAt(out, 532, 150) : pixelAt(out, 0, 150)
        expect(margin[3]).toBe(255)
      }
      expect(placedAt.size).toBe(3)
    }
  })

  it('darkens and blurs the backdrop (it is darker and smoother than the source it covers)', async () => {
    const image = await decodeRgba(fixture('astronaut.png'))
    const [{ pixels: out }] = await reframeAll(fixture('astronaut.png'), ['9:16'], 'fill') // 512x910, margins top and bottom
    let backdrop = 0
    let source = 0
    let roughness = 0
    for (let x = 1; x < 512; x++) {
      backdrop += lumaAt(out, x, 20)
      source += lumaAt(image, x, 20)
      roughness += Math.abs(lumaAt(out, x, 20) - lumaAt(out, x - 1, 20))
    }
    expect(backdrop).toBeLessThan(source)
    expect(roughness / 511).toBeLessThan(2) // neighbouring pixels of a heavy blur barely differ
  })

  it('keeps transparency: a transparent PNG stays PNG with its alpha intact', async () => {
    // logo.png has an alpha channel but every pixel is opaque; Flow.png is mostly transparent
    const source = await decodeRgba(fixture('Flow.png')) // 1920x1200 RGBA
    expect(source.data.some((value, i) => i % 4 === 3 && value === 0)).toBe(true)
    const [{ result, pixels: out }] = await reframeAll(fixture('Flow.png'), ['16:9'], 'fill')
    expect(result.format).toBe('png')
    expect((await sharp(result.bytes).metadata()).hasAlpha).toBe(true)
    expect(out).toMatchObject({ width: 2133, height: 1200 }) // source at x = 106
    for (let y = 0; y < 1200; y++) expect(rowOf(out, y, 106, 1920).equals(rowOf(source, y)), `row ${y}`).toBe(true)
    // the backdrop made from a transparent source is itself (mostly) transparent: no grey slab
    expect(pixelAt(out, 20, 20)[3]).toBeLessThan(64)
  })

  it('meets the photo without a step: across each seam the frame is no rougher than the photo beside it', async () => {
    // Mean |luma difference| between neighbouring pixels across the seam (the 4 pairs from 2 px outside
    // to 2 px inside it), against the photo's own mean in the same direction over the 16 px inside that
    // seam (the photo's texture there: a sky, or wood grain). The same frame without the bleed and
    // reflections (a hard seam) is measured for reference.
    const cases = [
      ['coffee.png', '9:16'],
      ['astronaut.png', '9:16'],
      ['chelsea.png', '9:16'],
      ['rocket.jpg', '9:16'],
      ['GreenMeadow.jpg', '9:16'],
      ['coffee.png', '16:9'],
      ['rocket.jpg', '21:9']
    ] as const
    for (const [name, ratio] of cases) {
      const picture = await nodeBackend.decode(fixture(name))
      const { placed } = fillPlacement(picture, ratio, 'center')
      for (const style of ['blur', 'edge'] as const) {
        const recipe = fillRecipe(picture, ratio, { style, placement: 'center', format: 'png' })
        const hardSeam = { ...recipe, layers: recipe.layers.filter((layer) => layer.feather === undefined) }
        const soft = seamRoughness(await decodeRgba((await nodeBackend.render(recipe, { source: picture })).bytes), placed)
        const hard = seamRoughness(await decodeRgba((await nodeBackend.render(hardSeam, { source: picture })).bytes), placed)
        for (const [index, seam] of soft.entries()) {
          console.log(
            `seam ${name} ${ratio} ${style} ${seam.side}: across the seam ${seam.across.toFixed(2)}, photo beside it ${seam.photo.toFixed(2)}, ratio ${(seam.across / seam.photo).toFixed(2)} (hard seam: ${(hard[index].across / hard[index].photo).toFixed(2)})`
          )
          expect(seam.across / seam.photo, `${name} ${ratio} ${style} ${seam.side}`).toBeLessThanOrEqual(1.5)
        }
      }
    }
  })

  it('edge fill mirrors the photo across the seam, then softens and darkens it with distance', async () => {
    const bytes = fixture('rocket.jpg') // 640x427; 21:9 is 996x427, margins of 178 px left and right
    const source = await decodeRgba(bytes)
    const [{ pixels: out }] = await reframeAll(bytes, ['21:9'], 'fill', 'edge', 'jpeg')
    const left = 178
    // next to the seam: the photo's own first columns, mirrored (column left - 1 - k shows column k)
    let mirrored = 0
    let shifted = 0
    for (let y = 20; y < 400; y += 4) {
      for (let k = 0; k < 6; k++) {
        mirrored += Math.abs(lumaAt(out, left - 1 - k, y) - lumaAt(source, k, y))
        shifted += Math.abs(lumaAt(out, left - 1 - k, y) - lumaAt(source, 20 + k, y))
      }
    }
    expect(mirrored).toBeLessThan(shifted / 2)
    // far from the seam it is smoother and darker than near it
    const roughness = (x: number) => {
      let sum = 0
      for (let y = 1; y < 427; y++) sum += Math.abs(lumaAt(out, x, y) - lumaAt(out, x, y - 1))
      return sum / 426
    }
    const brightness = (x0: number, x1: number) => {
      let sum = 0
      for (let y = 0; y < 427; y++) for (let x = x0; x < x1; x++) sum += lumaAt(out, x, y)
      return sum / (427 * (x1 - x0))
    }
    expect(roughness(10)).toBeLessThan(roughness(left - 3) / 2)
    expect(brightness(0, 20)).toBeLessThan(brightness(left - 20, left))
  })

  it('edge fill makes no streaks at 21:9: the margin varies along the extension about as much as across it, like the photo', async () => {
    // Streaks are change across the extension with none along it. The old "stretched edge" repeated the
    // edge column over the margin (along/across = 0); a stretched edge is drawn here for reference.
    for (const name of ['coffee.png', 'chelsea.png', 'rocket.jpg', 'astronaut.png']) {
      const picture = await nodeBackend.decode(fixture(name))
      const source = await decodeRgba(fixture(name))
      const [{ pixels: out }] = await reframeAll(fixture(name), ['21:9'], 'fill', 'edge')
      const { frame, placed } = fillPlacement(source, '21:9', 'center')
      const stretchedEdge = await nodeBackend.render(
        {
          ...frame,
          format: 'png',
          layers: [
            { picture: 'source', from: { x: 0, y: 0, width: 1, height: source.height }, to: { x: 0, y: 0, width: placed.x, height: placed.height } },
            { picture: 'source', from: { x: 0, y: 0, ...frame }, to: placed }
          ]
        },
        { source: picture }
      )
      const margin = { from: 0, to: placed.x }
      const mirror = alongOverAcross(out, margin)
      const photo = alongOverAcross(source, { from: 0, to: source.width })
      const streaks = alongOverAcross(await decodeRgba(stretchedEdge.bytes), margin)
      console.log(`streaks ${name} 21:9: along/across in the margin ${mirror.toFixed(2)}, in the photo ${photo.toFixed(2)} (stretched edge: ${streaks.toFixed(2)})`)
      expect(mirror).toBeGreaterThan(0.5 * photo)
      expect(streaks).toBeLessThan(0.05)
    }
  })
})

/** Mean |luma step| along x (the extension of a side margin) over mean |luma step| along y, in columns `from`..`to`. */
function alongOverAcross(image: Pixels, columns: { from: number; to: number }): number {
  let along = 0
  let across = 0
  for (let y = 1; y < image.height; y++) {
    for (let x = columns.from + 1; x < columns.to; x++) {
      along += Math.abs(lumaAt(image, x, y) - lumaAt(image, x - 1, y))
      across += Math.abs(lumaAt(image, x, y) - lumaAt(image, x, y - 1))
    }
  }
  return along / Math.max(1e-9, across)
}

/**
 * For each seam of a photo `placed` in a frame: mean |luma step| across it (the 4 pairs centred on it)
 * and in the photo beside it (the pairs within 16 px inside), perpendicular to the seam.
 */
function seamRoughness(image: Pixels, placed: Box): Array<{ side: string; across: number; photo: number }> {
  const vertical = placed.y > 0 // margins above and below: seams along the photo's top and bottom rows
  const luma = (along: number, across: number) => (vertical ? lumaAt(image, along, across) : lumaAt(image, across, along))
  const start = vertical ? placed.x : placed.y
  const length = vertical ? placed.width : placed.height
  const first = vertical ? placed.y : placed.x
  const last = first + (vertical ? placed.height : placed.width) // the first pixel past the photo
  // each seam: where it is (the first pixel of the photo's side) and which way the photo lies
  const seams = [
    { side: vertical ? 'top' : 'left', at: first, inward: 1 },
    { side: vertical ? 'bottom' : 'right', at: last, inward: -1 }
  ].filter((seam) => (seam.inward === 1 ? seam.at > 0 : seam.at < (vertical ? image.height : image.width)))
  const step = (i: number, k: number) => Math.abs(luma(i, k + 1) - luma(i, k))
  return seams.map(({ side, at, inward }) => {
    let across = 0
    let photo = 0
    for (let i = start; i < start + length; i++) {
      for (let k = at - 2; k < at + 2; k++) across += step(i, k)
      for (let d = 0; d < 16; d++) photo += step(i, inward === 1 ? at + d : at - 2 - d)
    }
    return { side, across: across / (4 * length), photo: photo / (16 * length) }
  })
}

describe('bad input', () => {
  it('rejects bytes that are not an image with a decode error a person can read', async () => {
    const provider = createLocalProvider({ backend: nodeBackend })
    const error = await provider.upload(encoded(new TextEncoder().encode('not an image at all'))).catch((e: unknown) => e)
    expect(isReframeError(error) && error.kind).toBe('decode')
    expect((error as Error).message).toMatch(/not an image the engine can read/)
  })

  it('rejects a truncated PNG and a JPEG cut in half as damaged, for good (no retry helps)', async () => {
    const provider = createLocalProvider({ backend: nodeBackend })
    const png = fixture('astronaut.png').slice(0, 2000)
    const jpeg = fixture('rocket.jpg')
    const half = jpeg.slice(0, jpeg.length >> 1)
    const pngError = await provider.upload(encoded(png)).catch((e: unknown) => e)
    const jpegError = await provider.upload(encoded(half, 'jpeg')).catch((e: unknown) => e)
    expect(pngError).toBeInstanceOf(DamagedImageError)
    expect((pngError as Error).message).toBe('This image is a damaged PNG: the file ends early.')
    expect(jpegError).toBeInstanceOf(DamagedImageError)
    expect((jpegError as DamagedImageError).kind).toBe('decode')
    expect((jpegError as DamagedImageError).final).toBe(true)
    expect(isFinalError(jpegError)).toBe(true)
    expect((jpegError as DamagedImageError).forFile('coffee.jpg').message).toBe('coffee.jpg is a damaged JPEG: the file ends early.')
    expect((jpegError as DamagedImageError).userMessage).toMatch(/retrying will not help/)
  })

  it('stops when cancelled', async () => {
    const provider = createLocalProvider({ backend: nodeBackend })
    const uploaded = await provider.upload(encoded(fixture('chelsea.png')))
    const controller = new AbortController()
    controller.abort()
    const error = await provider.reframe(uploaded, '1:1', { signal: controller.signal }).catch((e: unknown) => e)
    expect(isReframeError(error) && error.kind).toBe('cancelled')
  })
})
