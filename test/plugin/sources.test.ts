// Which selected layers are sources, and how the UI is kept told about them.
import sharp from 'sharp'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { imageRect, loadFixture, startMain, type Main } from './start-main'

let main: Main
afterEach(() => main?.stop())

const settle = () => new Promise((resolve) => setTimeout(resolve, 120))

describe('sources from the selection', () => {
  it('sends nothing before the UI is ready, then the current selection', async () => {
    main = await startMain()
    const [photo] = main.selectImages(['coffee.png', { x: 0, y: 0, width: 600, height: 400 }])
    await settle()
    expect(main.fake.hooks.posted).toEqual([])
    const selection = await main.readyAsync()
    expect(selection.sources.map((s) => s.nodeId)).toEqual([photo.id])
    expect(main.fake.hooks.showUiOptions).toMatchObject({ themeColors: true })
  })

  it('lists sources and explains every skipped layer in a mixed selection', async () => {
    main = await startMain()
    const { fake, figma } = main
    const api = fake.api
    const coffee = imageRect(fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const rocket = imageRect(fake, 'rocket.jpg', { x: 0, y: 500, width: 640, height: 427 })

    const title = api.createText()
    title.name = 'Title'
    title.characters = 'Hello'
    title.setRangeFills(0, 2, [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }])

    const hidden = imageRect(fake, 'chelsea.png', { x: 0, y: 1000, width: 451, height: 300 }, { visible: false })
    hidden.name = 'Hidden cat'
    const empty = api.createRectangle()
    empty.name = 'Placeholder'
    empty.fills = [{ type: 'IMAGE', imageHash: null, scaleMode: 'FILL' }]
    const video = api.createRectangle()
    video.name = 'Clip'
    video.fills = [{ type: 'VIDEO', videoHash: 'a'.repeat(40), scaleMode: 'FILL' } as unknown as Paint]
    const box = api.createRectangle()
    box.name = 'Grey box'

    // nested two levels deep, inside auto layout
    const card = api.createFrame()
    card.name = 'Card'
    card.x = 2000
    card.resize(800, 600)
    card.layoutMode = 'VERTICAL'
    const nested = imageRect(fake, 'astronaut.png', { x: 0, y: 0, width: 256, height: 256 }, {}, card)
    const rotated = imageRect(fake, 'GreenMeadow.jpg', { x: 3000, y: 0, width: 320, height: 256 })
    rotated.rotation = 30
    const component = api.createComponent()
    component.resize(500, 500)
    component.fills = [{ type: 'IMAGE', imageHash: api.createImage(loadFixture('logo.png')).hash, scaleMode: 'FIT' }]
    const instance = component.createInstance()
    instance.name = 'Logo instance'
    const group = api.group([api.createRectangle()], api.currentPage)
    group.name = 'Group 1'

    figma.currentPage.selection = [coffee, title, hidden, rocket, empty, video, box, nested, rotated, instance, group]
    const selection = await main.readyAsync()

    expect(selection.sources.map((s) => s.name)).toEqual(['coffee', 'rocket', 'astronaut', 'GreenMeadow', 'Logo instance'])
    expect(selection.skipped).toEqual([
      { nodeId: title.id, name: 'Title', reason: 'text layers are not images' },
      { nodeId: hidden.id, name: 'Hidden cat', reason: 'its image fill is hidden' },
      { nodeId: empty.id, name: 'Placeholder', reason: 'the image fill has no image yet' },
      { nodeId: video.id, name: 'Clip', reason: 'video fills are not supported' },
      { nodeId: box.id, name: 'Grey box', reason: 'no image fill' },
      { nodeId: group.id, name: 'Group 1', reason: 'no image fill of its own (select the image layer inside)' }
    ])
    const rotatedInfo = selection.sources.find((s) => s.nodeId === rotated.id)!
    // the rotated layer's size is its page box: what an export covers
    expect(rotatedInfo.width).toBeCloseTo(320 * Math.cos(Math.PI / 6) + 256 * Math.sin(Math.PI / 6), 3)
  })

  it('sends a small real PNG thumbnail with the source’s shape', async () => {
    main = await startMain()
    main.selectImages(['rocket.jpg', { x: 0, y: 0, width: 640, height: 427 }], ['palette_color.png', { x: 0, y: 600, width: 10, height: 10 }])
    const selection = await main.readyAsync()
    const [big, small] = selection.sources
    const meta = await sharp(big.thumbnail!).metadata()
    expect(meta).toMatchObject({ format: 'png', width: 96, height: 64 })
    expect(big).toMatchObject({ width: 640, height: 427 })
    // never blown up past the layer
    expect(await sharp(small.thumbnail!).metadata()).toMatchObject({ width: 10, height: 10 })
  })

  it('follows selection changes, coalescing bursts', async () => {
    main = await startMain()
    const { fake, figma } = main
    const a = imageRect(fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const b = imageRect(fake, 'chelsea.png', { x: 0, y: 500, width: 451, height: 300 })
    const c = imageRect(fake, 'rocket.jpg', { x: 0, y: 900, width: 640, height: 427 })
    await main.readyAsync()
    const before = main.selections.length
    figma.currentPage.selection = [a]
    figma.currentPage.selection = [a, b]
    figma.currentPage.selection = [c, b]
    await vi.waitFor(() => {
      const last = main.selections[main.selections.length - 1]
      expect(last.sources.map((s) => s.nodeId)).toEqual([c.id, b.id])
    }, { timeout: 60_000 })
    await settle()
    // three changes in a burst: one read for the last of them
    expect(main.selections.length - before).toBe(1)
  })

  it('never lets a slow read for an old selection overwrite a newer one', async () => {
    main = await startMain()
    const { fake, figma } = main
    const slow = imageRect(fake, 'Elephants_3840x2160.jpg', { x: 0, y: 0, width: 1920, height: 1080 })
    const quick = imageRect(fake, 'coffee.png', { x: 0, y: 1200, width: 600, height: 400 })
    await main.readyAsync()
    const before = main.selections.length
    fake.hooks.delayMs = 80
    const exportsBefore = fake.hooks.exports.length
    figma.currentPage.selection = [slow]
    // the old selection's thumbnail is being rendered when the user moves on
    await vi.waitFor(() => expect(fake.hooks.exports.length).toBeGreaterThan(exportsBefore), { timeout: 60_000 })
    fake.hooks.delayMs = 1
    figma.currentPage.selection = [quick]
    await vi.waitFor(() => {
      expect(main.selections[main.selections.length - 1].sources.map((s) => s.nodeId)).toEqual([quick.id])
    }, { timeout: 60_000 })
    // the old read has finished too by now
    await vi.waitFor(() => expect(fake.hooks.exportsRunning.count).toBe(0), { timeout: 60_000 })
    await settle()
    const sent = main.selections.slice(before).map((s) => s.sources.map((source) => source.nodeId))
    expect(sent).toEqual([[quick.id]])
  })

  it('flags a damaged image file on its row before any run, reading each image file once', async () => {
    main = await startMain()
    const { fake, figma } = main
    const whole = loadFixture('rocket.jpg')
    const cut = fake.api.createImage(whole.subarray(0, Math.floor(whole.length / 2)))
    const coffee = fake.api.createRectangle()
    coffee.name = 'coffee.jpg'
    coffee.resize(640, 427)
    coffee.fills = [{ type: 'IMAGE', imageHash: cut.hash, scaleMode: 'FILL' }]
    const rocket = imageRect(fake, 'rocket.jpg', { x: 0, y: 600, width: 640, height: 427 })
    figma.currentPage.selection = [coffee, rocket]
    const selection = await main.readyAsync()
    expect(selection.sources.map((s) => [s.name, s.damage])).toEqual([
      ['coffee.jpg', 'is a damaged JPEG: the file ends early'],
      ['rocket', undefined]
    ])
    const read = fake.hooks.getBytesCalls
    expect(read).toBe(2)
    // listed again (another selection change): the verdicts are kept, no file is read again
    figma.currentPage.selection = [rocket]
    figma.currentPage.selection = [rocket, coffee]
    const again = await main.nextSelection((next) => next.sources.length === 2)
    expect(again.sources.map((s) => s.damage)).toEqual([undefined, 'is a damaged JPEG: the file ends early'])
    expect(fake.hooks.getBytesCalls).toBe(read)
  })

  it('drops a deleted layer from the sources', async () => {
    main = await startMain()
    const [a, b] = main.selectImages(['coffee.png', { x: 0, y: 0, width: 600, height: 400 }], ['chelsea.png', { x: 0, y: 500, width: 451, height: 300 }])
    await main.readyAsync()
    a.remove()
    await vi.waitFor(() => {
      expect(main.selections[main.selections.length - 1].sources.map((s) => s.nodeId)).toEqual([b.id])
    }, { timeout: 60_000 })
  })
})
