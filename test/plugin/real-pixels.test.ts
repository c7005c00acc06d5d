// The real image around a cropped layer, as main reports it: in the selection (cheaply, from the paint
// and Figma's image size) and in export-source (the untouched file and where it lies), only when the
// layer is plainly a window onto that file.
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import type { Box } from '../../src/core/ratios'
import { imageRect, loadFixture, startMain, type Main } from './start-main'

let main: Main
afterEach(() => main?.stop())

/** A 1280x720 photo (16:9), the fixture of a photo shown in a layer of another shape. */
async function widePhoto(): Promise<Uint8Array> {
  return new Uint8Array(await sharp(loadFixture('Elephants_3840x2160.jpg')).resize(1280, 720).jpeg({ quality: 90 }).toBuffer())
}

/** A rectangle filled (FILL) with `bytes`, like a photo dropped into a square frame. */
function photoRect(bytes: Uint8Array, box: Box, paint: Partial<ImagePaint> = {}) {
  const rect = main.fake.api.createRectangle()
  rect.name = 'Elephants'
  rect.resize(box.width, box.height)
  rect.x = box.x
  rect.y = box.y
  rect.fills = [{ type: 'IMAGE', imageHash: main.fake.api.createImage(bytes).hash, scaleMode: 'FILL', ...paint }]
  return rect
}

function expectBox(actual: Box | undefined, expected: Box) {
  expect(actual).toBeDefined()
  for (const key of ['x', 'y', 'width', 'height'] as const) expect(actual![key]).toBeCloseTo(expected[key], 6)
}

/** A 16:9 image filling a 300x300 layer: 533.33 units wide, centred. */
const AROUND_SQUARE: Box = { x: -(1600 / 3 - 300) / 2, y: 0, width: 1600 / 3, height: 300 }

describe('the real image around a cropped layer', () => {
  it('lists where the whole photo lies around a square layer showing its middle', async () => {
    main = await startMain()
    const bytes = await widePhoto()
    const square = photoRect(bytes, { x: 0, y: 0, width: 300, height: 300 })
    const plain = imageRect(main.fake, 'coffee.png', { x: 400, y: 0, width: 600, height: 400 })
    main.figma.currentPage.selection = [square, plain]
    const selection = await main.readyAsync()
    const [squareInfo, plainInfo] = selection.sources
    expectBox(squareInfo.available, AROUND_SQUARE)
    // a layer that shows all of its image has nothing around it
    expect(plainInfo.available).toBeUndefined()
    // cheaply: the selection asks for the image's size, and reads each file once (its damage check)
    expect(main.fake.hooks.getBytesCalls).toBe(2)
    expect(main.fake.hooks.getSizeCalls).toBeGreaterThan(0)
  })

  it('sends the untouched file and where it lies when asked, and only then', async () => {
    main = await startMain()
    const bytes = await widePhoto()
    const square = photoRect(bytes, { x: 0, y: 0, width: 300, height: 300 })
    main.figma.currentPage.selection = [square]
    await main.readyAsync()
    const exported = await main.ui.request('export-source', { nodeId: square.id, maxEdge: 2048, real: true })
    // what the layer shows, as always: its middle 720x720 at the file's density
    expect(exported).toMatchObject({ mime: 'image/jpeg', width: 720, height: 720, layer: { width: 300, height: 300 } })
    expect(exported.real).toMatchObject({ mime: 'image/jpeg', width: 1280, height: 720 })
    expect(exported.real!.bytes).toEqual(bytes)
    expectBox(exported.real!.box, AROUND_SQUARE)
    const without = await main.ui.request('export-source', { nodeId: square.id, maxEdge: 256 })
    expect(without.real).toBeUndefined()
  })

  it('reads a CROP window back into the whole image', async () => {
    main = await startMain()
    const meadow = loadFixture('GreenMeadow.jpg') // 1280x1024
    const cropped = photoRect(meadow, { x: 0, y: 0, width: 400, height: 400 }, { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.25], [0, 0.625, 0.2]] })
    main.figma.currentPage.selection = [cropped]
    const selection = await main.readyAsync()
    expectBox(selection.sources[0].available, { x: -200, y: -128, width: 800, height: 640 })
    const exported = await main.ui.request('export-source', { nodeId: cropped.id, maxEdge: 2048, real: true })
    expect(exported.real).toMatchObject({ width: 1280, height: 1024 })
    expectBox(exported.real!.box, { x: -200, y: -128, width: 800, height: 640 })
  })

  it('reports no real image for a layer whose look a render changes, for FIT, or for a window past the edge', async () => {
    main = await startMain()
    const bytes = await widePhoto()
    const looks: Array<[string, ReturnType<typeof photoRect>]> = [
      ['filters', photoRect(bytes, { x: 0, y: 0, width: 300, height: 300 }, { filters: { exposure: 0.3 } })],
      ['paint opacity', photoRect(bytes, { x: 400, y: 0, width: 300, height: 300 }, { opacity: 0.5 })],
      ['FIT', photoRect(bytes, { x: 800, y: 0, width: 300, height: 300 }, { scaleMode: 'FIT' })],
      ['a window past the edge', photoRect(bytes, { x: 1200, y: 0, width: 300, height: 300 }, { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.7], [0, 1, 0]] })]
    ]
    const rounded = photoRect(bytes, { x: 1600, y: 0, width: 300, height: 300 })
    rounded.cornerRadius = 24
    const turned = photoRect(bytes, { x: 2000, y: 0, width: 300, height: 300 })
    turned.rotation = 15
    looks.push(['rounded corners', rounded], ['a rotated layer', turned])
    main.figma.currentPage.selection = looks.map(([, node]) => node)
    const selection = await main.readyAsync()
    expect(selection.sources.map((source) => [source.name, source.available])).toEqual(looks.map(() => ['Elephants', undefined]))
    for (const [why, node] of looks) {
      const exported = await main.ui.request('export-source', { nodeId: node.id, maxEdge: 512, real: true })
      expect([why, exported.real]).toEqual([why, undefined])
    }
  })
})
