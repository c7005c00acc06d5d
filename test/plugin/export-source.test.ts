// export-source: what leaves Figma for a source, through the real channel. Main exports only layers
// the designer picked (see export-guard.test.ts), so each test selects its sources first.
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { imageRect, loadFixture, startMain, type Main } from './start-main'

let main: Main
afterEach(() => main?.stop())

/** The plugin running with one photo on the page, selected. */
async function startWithSelected(fixture: string, box: { x: number; y: number; width: number; height: number }) {
  main = await startMain()
  const [photo] = main.selectImages([fixture, box])
  await main.readyAsync()
  return photo
}

async function exportAsync(nodeId: string, maxEdge = 2048) {
  return main.ui.request('export-source', { nodeId, maxEdge })
}

describe('export-source', () => {
  it('sends the original JPEG bytes untouched when the layer shows exactly them', async () => {
    const photo = await startWithSelected('rocket.jpg', { x: 0, y: 0, width: 320, height: 213.5 })
    const exported = await exportAsync(photo.id)
    expect(exported).toMatchObject({ nodeId: photo.id, name: 'rocket', mime: 'image/jpeg', width: 640, height: 427 })
    expect(exported.bytes).toEqual(loadFixture('rocket.jpg'))
    // only the 96 px thumbnail was rendered, never an upload
    const renders = main.fake.hooks.exports.filter((e) => e.nodeId === photo.id)
    expect(renders.map((e) => (e.settings as ExportSettingsImage).constraint)).toEqual([{ type: 'WIDTH', value: 96 }])
  })

  it('renders a large photo down to the cap on its long edge, as JPEG', async () => {
    const photo = await startWithSelected('Elephants_3840x2160.jpg', { x: 0, y: 0, width: 1920, height: 1080 })
    const exported = await exportAsync(photo.id, 2048)
    expect(exported).toMatchObject({ mime: 'image/jpeg', width: 2048, height: 1152 })
    expect(await sharp(exported.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 2048, height: 1152 })
    expect(main.fake.hooks.exports.at(-1)?.settings).toMatchObject({
      format: 'JPG',
      constraint: { type: 'WIDTH', value: 2048 },
      useAbsoluteBounds: true
    })
  })

  it('does not upscale a small image shown large', async () => {
    // coffee.png is 600x400 but the layer is twice that
    const photo = await startWithSelected('coffee.png', { x: 0, y: 0, width: 1200, height: 800 })
    const exported = await exportAsync(photo.id, 4096)
    expect(exported).toMatchObject({ mime: 'image/jpeg', width: 600, height: 400 })
  })

  it('keeps transparency: PNG with alpha goes as PNG, original bytes when within the cap', async () => {
    const flow = await startWithSelected('Flow.png', { x: 0, y: 0, width: 480, height: 300 })
    const original = await exportAsync(flow.id, 2048)
    expect(original).toMatchObject({ mime: 'image/png', width: 1920, height: 1200 })
    expect(original.bytes).toEqual(loadFixture('Flow.png'))
    const capped = await exportAsync(flow.id, 1024)
    expect(capped).toMatchObject({ mime: 'image/png', width: 1024, height: 640 })
    const meta = await sharp(capped.bytes).metadata()
    expect(meta).toMatchObject({ format: 'png', hasAlpha: true })
  })

  it('renders what the user sees for a crop, and PNG for a rotated layer', async () => {
    main = await startMain()
    const cropped = imageRect(
      main.fake,
      'GreenMeadow.jpg',
      { x: 0, y: 0, width: 400, height: 400 },
      { scaleMode: 'CROP', imageTransform: [[0.5, 0, 0.25], [0, 0.625, 0.2]] }
    )
    const rotated = imageRect(main.fake, 'chelsea.png', { x: 1000, y: 0, width: 451, height: 300 })
    rotated.rotation = 30
    main.figma.currentPage.selection = [cropped, rotated]
    await main.readyAsync()
    const crop = await exportAsync(cropped.id)
    // the window shows 640x640 image px on a 400x400 layer: rendered at that density
    expect(crop).toMatchObject({ mime: 'image/jpeg', width: 640, height: 640 })
    const turned = await exportAsync(rotated.id)
    expect(turned.mime).toBe('image/png')
    const box = rotated.absoluteBoundingBox!
    // native density 1: the page box in pixels, give or take rounding
    expect(Math.abs(turned.width - box.width)).toBeLessThanOrEqual(1)
    expect(Math.abs(turned.height - box.height)).toBeLessThanOrEqual(1)
    expect(await sharp(turned.bytes).metadata()).toMatchObject({ width: turned.width, height: turned.height })
    expect((await sharp(turned.bytes).metadata()).hasAlpha).toBe(true)
  })

  it('exports a source nested in auto layout and in an instance', async () => {
    main = await startMain()
    const api = main.fake.api
    const card = api.createFrame()
    card.layoutMode = 'HORIZONTAL'
    card.resize(1000, 600)
    imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 300, height: 200 }, {}, card)
    const nested = imageRect(main.fake, 'astronaut.png', { x: 0, y: 0, width: 256, height: 256 }, {}, card)
    const component = api.createComponent()
    component.resize(200, 200)
    component.fills = [{ type: 'IMAGE', imageHash: api.createImage(loadFixture('logo.png')).hash, scaleMode: 'FILL' }]
    const instance = component.createInstance()
    main.figma.currentPage.selection = [nested, instance]
    await main.readyAsync()
    expect(await exportAsync(nested.id)).toMatchObject({ width: 512, height: 512, mime: 'image/jpeg' })
    expect(await exportAsync(instance.id)).toMatchObject({ width: 500, height: 500, mime: 'image/png' })
  })

  it('answers with a clear error for a deleted layer or a layer that is not a source', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const text = main.fake.api.createText()
    text.name = 'Caption'
    await main.readyAsync()
    photo.remove()
    await expect(exportAsync(photo.id)).rejects.toThrow('The layer was deleted, so it cannot be exported')
    await expect(exportAsync(text.id)).rejects.toThrow('Caption: text layers are not images')
  })
})
