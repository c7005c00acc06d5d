// The fake must be as strict as Figma where the plugin relies on it, or the plugin's tests prove little.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createFakeFigma } from '../../preview/fakes/figma/create-fake-figma'
import { renderWithSharp } from '../../preview/fakes/figma/sharp-renderer'
import { imageRect, loadFixture, placeAt } from './start-main'

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('fake figma: documentAccess dynamic-page', () => {
  it('throws on the sync getNodeById and answers getNodeByIdAsync, with null once deleted', async () => {
    const { api } = createFakeFigma()
    const rect = api.createRectangle()
    expect(() => api.getNodeById(rect.id)).toThrow(/dynamic-page/)
    expect(await api.getNodeByIdAsync(rect.id)).toBe(rect)
    rect.remove()
    expect(await api.getNodeByIdAsync(rect.id)).toBeNull()
    expect(() => rect.name).toThrow(/does not exist/)
    expect(rect.removed).toBe(true)
  })
})

describe('fake figma: images', () => {
  it('creates images from PNG, JPEG and GIF bytes and gives the bytes and size back', async () => {
    const { api } = createFakeFigma()
    const hashes: string[] = []
    for (const name of ['coffee.png', 'rocket.jpg', 'no_time_for_that_tiny.gif']) {
      const bytes = loadFixture(name)
      const image = api.createImage(bytes)
      expect(image.hash).toMatch(/^[0-9a-f]{40}$/)
      expect(api.getImageByHash(image.hash)).toBe(image)
      expect(await image.getBytesAsync()).toEqual(bytes)
      const meta = await sharp(bytes).metadata()
      expect(await image.getSizeAsync()).toEqual({ width: meta.width, height: meta.height })
      // the hash is of the bytes: the same bytes again give the same hash
      expect(api.createImage(bytes.slice()).hash).toBe(image.hash)
      hashes.push(image.hash)
    }
    expect(new Set(hashes).size).toBe(hashes.length)
  })

  it('hashes any image as 40 lowercase hex digits, like Figma’s SHA-1 hashes', async () => {
    const { api } = createFakeFigma()
    // many small images of different bytes and lengths: each 8-digit pass of the hash meets a top bit set
    for (let shade = 0; shade < 24; shade++) {
      const png = await sharp({ create: { width: 1 + shade, height: 2, channels: 3, background: { r: shade * 10, g: 0, b: 255 - shade } } })
        .png()
        .toBuffer()
      expect(api.createImage(new Uint8Array(png)).hash).toMatch(/^[0-9a-f]{40}$/)
    }
  })

  it('rejects other formats and images over 4096 px with Figma’s messages', async () => {
    const { api } = createFakeFigma()
    const webp = new Uint8Array(await sharp(loadFixture('coffee.png')).webp().toBuffer())
    expect(() => api.createImage(webp)).toThrow('Image type is unsupported')
    expect(() => api.createImage(new TextEncoder().encode('not an image'))).toThrow('Image type is unsupported')
    const wide = new Uint8Array(
      await sharp({ create: { width: 4097, height: 8, channels: 3, background: '#fff' } }).png().toBuffer()
    )
    expect(() => api.createImage(wide)).toThrow('Image is too large')
    const limit = new Uint8Array(
      await sharp({ create: { width: 4096, height: 8, channels: 3, background: '#fff' } }).png().toBuffer()
    )
    expect(() => api.createImage(limit)).not.toThrow()
  })
})

describe('fake figma: new layers', () => {
  it('gives new layers Figma’s default names, sizes and fills, on the current page', () => {
    const { api } = createFakeFigma()
    const solid = (r: number, g: number, b: number) => [{ type: 'SOLID', color: { r, g, b } }]
    const made = [api.createFrame(), api.createRectangle(), api.createEllipse(), api.createText()]
    expect(made.map((node) => ({ name: node.name, width: node.width, height: node.height, fills: node.fills }))).toEqual([
      { name: 'Frame', width: 100, height: 100, fills: solid(1, 1, 1) },
      { name: 'Rectangle', width: 100, height: 100, fills: solid(0.85, 0.85, 0.85) },
      { name: 'Ellipse', width: 100, height: 100, fills: solid(0.85, 0.85, 0.85) },
      { name: 'Text', width: 100, height: 20, fills: solid(0, 0, 0) }
    ])
    expect(api.currentPage.children).toEqual(made)
  })
})

describe('fake figma: paints are read-only', () => {
  it('freezes paints, clones on assignment and refuses unknown image hashes', () => {
    const { api } = createFakeFigma()
    const rect = api.createRectangle()
    const paints: Paint[] = [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }]
    rect.fills = paints
    const read = rect.fills as SolidPaint[]
    expect(read).not.toBe(paints)
    expect(() => {
      ;(read[0] as { opacity?: number }).opacity = 0.5
    }).toThrow(TypeError)
    expect(() => {
      ;(read as Paint[]).push({ type: 'SOLID', color: { r: 0, g: 0, b: 0 } })
    }).toThrow(TypeError)
    expect(() => {
      rect.fills = [{ type: 'IMAGE', imageHash: 'f'.repeat(40), scaleMode: 'FILL' }]
    }).toThrow(/does not exist/)
  })

  it('reads text with fills on part of it as figma.mixed', () => {
    const { api } = createFakeFigma()
    const text = api.createText()
    text.characters = 'Title'
    text.setRangeFills(0, 2, [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }])
    expect(text.fills).toBe(api.mixed)
  })
})

describe('fake figma: geometry', () => {
  it('keeps x/y relative to the parent and computes the page box through nesting and rotation', () => {
    const { api } = createFakeFigma()
    const outer = placeAt(api.createFrame(), { x: 1000, y: 500, width: 800, height: 800 })
    const inner = api.createFrame()
    outer.appendChild(inner)
    inner.x = 100
    inner.y = 50
    const rect = placeAt(api.createRectangle(), { x: 10, y: 20, width: 200, height: 100 }, inner)
    expect(rect.x).toBe(10)
    expect(rect.absoluteBoundingBox).toEqual({ x: 1110, y: 570, width: 200, height: 100 })
    // a quarter turn counter-clockwise about the top-left corner: the box goes up
    rect.rotation = 90
    expect(rect.absoluteBoundingBox).toEqual({ x: 1110, y: 370, width: 100, height: 200 })
    rect.rotation = 30
    const box = rect.absoluteBoundingBox!
    expect(box.width).toBeCloseTo(200 * Math.cos(Math.PI / 6) + 100 * Math.sin(Math.PI / 6), 5)
    expect(box.height).toBeCloseTo(200 * Math.sin(Math.PI / 6) + 100 * Math.cos(Math.PI / 6), 5)
  })

  it('lays out auto-layout children itself, ignoring their x/y', () => {
    const { api } = createFakeFigma()
    const row = api.createFrame()
    row.layoutMode = 'HORIZONTAL'
    row.itemSpacing = 10
    row.paddingLeft = 5
    row.paddingTop = 7
    row.x = 300
    const a = api.createRectangle()
    const b = api.createRectangle()
    row.appendChild(a)
    row.appendChild(b)
    b.x = 9999
    expect(b.x).toBe(5 + 100 + 10)
    expect(b.absoluteBoundingBox).toEqual({ x: 300 + 115, y: 7, width: 100, height: 100 })
  })

  it('gives children of a group coordinates in the group’s parent', () => {
    const { api } = createFakeFigma()
    const frame = api.createFrame()
    frame.x = 100
    frame.resize(1000, 1000)
    const a = api.createRectangle()
    const b = api.createRectangle()
    frame.appendChild(a)
    frame.appendChild(b)
    a.x = 50
    b.x = 300
    b.y = 200
    const group = api.group([a, b], frame)
    expect(group.x).toBe(50)
    expect(group.width).toBe(350)
    expect(b.x).toBe(300)
    expect(b.absoluteBoundingBox).toEqual({ x: 400, y: 200, width: 100, height: 100 })
    expect(group.absoluteBoundingBox).toEqual({ x: 150, y: 0, width: 350, height: 300 })
  })

  it('refuses new children in an instance', () => {
    const { api } = createFakeFigma()
    const component = api.createComponent()
    const instance = component.createInstance()
    expect(() => instance.appendChild(api.createRectangle())).toThrow(/instance/)
  })
})

describe('fake figma: selection', () => {
  it('validates nodes, fires selectionchange after the change, and drops deleted nodes', async () => {
    const { api } = createFakeFigma()
    let events = 0
    api.on('selectionchange', () => (events += 1))
    const rect = api.createRectangle()
    api.currentPage.selection = [rect, rect]
    expect(api.currentPage.selection).toEqual([rect])
    expect(events).toBe(0)
    await nextTask()
    expect(events).toBe(1)
    const other = api.createPage()
    const elsewhere = api.createRectangle()
    other.appendChild(elsewhere)
    expect(() => (api.currentPage.selection = [elsewhere])).toThrow(/current page/)
    rect.remove()
    await nextTask()
    expect(api.currentPage.selection).toEqual([])
    expect(events).toBe(2)
  })
})

describe('fake figma: storage, ui and export', () => {
  it('stores structured clones in clientStorage', async () => {
    const { api } = createFakeFigma()
    const value = { a: [1, 2], bytes: new Uint8Array([1, 2, 3]) }
    await api.clientStorage.setAsync('k', value)
    value.a.push(3)
    expect(await api.clientStorage.getAsync('k')).toEqual({ a: [1, 2], bytes: new Uint8Array([1, 2, 3]) })
    await expect(api.clientStorage.setAsync('f', { f: () => 1 })).rejects.toThrow()
    await expect(api.clientStorage.setAsync('big', 'x'.repeat(6 * 1024 * 1024))).rejects.toThrow(/quota/)
  })

  it('refuses postMessage before showUI and clones messages', () => {
    const fake = createFakeFigma()
    expect(() => fake.api.ui.postMessage({ a: 1 })).toThrow(/showUI/)
    fake.api.showUI('<p></p>')
    expect(() => fake.api.ui.postMessage({ f: () => 1 })).toThrow()
    fake.api.ui.postMessage({ a: 1 })
    expect(fake.hooks.posted).toEqual([{ a: 1 }])
  })

  it('exports real image bytes of the requested size', async () => {
    const fake = createFakeFigma({ renderer: renderWithSharp })
    const rect = imageRect(fake, 'coffee.png', { x: 0, y: 0, width: 300, height: 200 })
    const png = await rect.exportAsync({ format: 'PNG', constraint: { type: 'WIDTH', value: 150 } })
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 150, height: 100 })
    const jpg = await rect.exportAsync({ format: 'JPG', constraint: { type: 'SCALE', value: 2 } })
    expect(await sharp(jpg).metadata()).toMatchObject({ format: 'jpeg', width: 600, height: 400 })
    // the render shows the photo: its mean colour matches the original's
    const [rendered, original] = await Promise.all([sharp(jpg).stats(), sharp(loadFixture('coffee.png')).stats()])
    for (let channel = 0; channel < 3; channel++) {
      expect(Math.abs(rendered.channels[channel].mean - original.channels[channel].mean)).toBeLessThan(6)
    }
    rect.rotation = 45
    const turned = await rect.exportAsync({ format: 'PNG' })
    const meta = await sharp(turned).metadata()
    expect(meta.width).toBe(Math.round(300 * Math.SQRT1_2 + 200 * Math.SQRT1_2))
    expect(meta.hasAlpha).toBe(true)
  })

  it('sizes an export the way Figma does: one scale from the constraint, each side rounded on its own', async () => {
    const fake = createFakeFigma({ renderer: renderWithSharp })
    const frame = fake.api.createFrame()
    frame.resize(18.57, 33)
    const size = async (constraint: ExportSettingsConstraints) => {
      const meta = await sharp(await frame.exportAsync({ format: 'PNG', constraint })).metadata()
      return [meta.width, meta.height]
    }
    // 33 x 1080 / 18.57 = 1919.22: the height rounds down, a pixel short of 1920
    expect(await size({ type: 'WIDTH', value: 1080 })).toEqual([1080, 1919])
    // 18.57 x 1920 / 33 = 1080.44
    expect(await size({ type: 'HEIGHT', value: 1920 })).toEqual([1080, 1920])
    // 18.57 x 2.5 = 46.425, 33 x 2.5 = 82.5: each side rounded on its own
    expect(await size({ type: 'SCALE', value: 2.5 })).toEqual([46, 83])
    expect(fake.hooks.exports.map((e) => e.settings.format)).toEqual(['PNG', 'PNG', 'PNG'])
  })
})
