// The preview's canvas as a designer uses it: files dropped on it are imported the way Figma imports
// them (WebP, photos over 4096 px, phone photos with EXIF orientation, damaged files flagged in the
// plugin's list), and deleting the layer under the pointer leaves the canvas drawing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Page } from 'playwright-core'
import { FIXTURES_DIR } from '../../preview/server'
import { clickNode, documentNodes, imageStats, openPreviewSession, pluginFrame, type PreviewSession } from './preview-session'

let session: PreviewSession

beforeAll(async () => {
  session = await openPreviewSession({ fixtures: ['coffee.png', 'chelsea.png'] })
})

afterAll(async () => {
  await session?.close()
})

/** How a file is made in the page: from base64 bytes, or drawn on a canvas and encoded there (large files never cross the wire). */
type DroppedFile = { name: string; type: string } & ({ base64: string } | { drawn: { width: number; height: number } })

/** Drops one file on the canvas, as dragging it from the desktop does. */
async function dropFile(page: Page, file: DroppedFile) {
  const canvas = (await page.locator('#canvas').boundingBox())!
  const transfer = await page.evaluateHandle(async (spec) => {
    let blob: Blob
    if ('base64' in spec) {
      blob = new Blob([Uint8Array.from(atob(spec.base64), (c) => c.charCodeAt(0))], { type: spec.type })
    } else {
      const drawing = new OffscreenCanvas(spec.drawn.width, spec.drawn.height)
      const ctx = drawing.getContext('2d')!
      const gradient = ctx.createLinearGradient(0, 0, spec.drawn.width, spec.drawn.height)
      gradient.addColorStop(0, '#1d4e89')
      gradient.addColorStop(1, '#f7b32b')
      ctx.fillStyle = gradient
      ctx.fillRect(0, 0, spec.drawn.width, spec.drawn.height)
      blob = await drawing.convertToBlob({ type: spec.type, quality: 0.9 })
    }
    const dt = new DataTransfer()
    dt.items.add(new File([blob], spec.name, { type: spec.type }))
    return dt
  }, file)
  const at = { clientX: canvas.x + canvas.width * 0.6, clientY: canvas.y + canvas.height * 0.5 }
  await page.dispatchEvent('#canvas', 'dragover', { dataTransfer: transfer, ...at })
  await page.dispatchEvent('#canvas', 'drop', { dataTransfer: transfer, ...at })
}

async function droppedNode(name: string) {
  const ui = await pluginFrame(session.page)
  await ui.getByRole('list', { name: 'Images to reframe' }).getByText(name, { exact: true }).waitFor()
  const node = (await documentNodes(session.page)).find((n) => n.name === name)
  expect(node, name).toBeDefined()
  return node!
}

/** The canvas pixel under a client point (device pixels are CSS pixels here: the viewport's scale is 1). */
function canvasPixel(page: Page, point: { x: number; y: number }): Promise<number[]> {
  return page.evaluate((p) => {
    const canvas = document.getElementById('canvas') as HTMLCanvasElement
    const box = canvas.getBoundingClientRect()
    const scale = canvas.width / box.width
    const data = canvas.getContext('2d')!.getImageData(Math.round((p.x - box.x) * scale), Math.round((p.y - box.y) * scale), 1, 1).data
    return [data[0], data[1], data[2]]
  }, point)
}

describe('the preview imports dropped files as Figma does', { timeout: 90_000 }, () => {
  it('accepts a WebP, kept as a PNG of the same picture', async () => {
    await dropFile(session.page, { name: 'sunset.webp', type: 'image/webp', drawn: { width: 800, height: 500 } })
    const node = await droppedNode('sunset')
    expect(node).toMatchObject({ width: 640, height: 400, selected: true })
    const stats = await imageStats(session.page, node.imageHash!)
    expect(stats).toMatchObject({ format: 'png', width: 800, height: 500 })
    expect(stats.stdDev).toBeGreaterThan(10)
  })

  it('accepts a 5640 px JPEG, scaled down to 4096 px on import', async () => {
    await dropFile(session.page, { name: 'panorama.jpg', type: 'image/jpeg', drawn: { width: 5640, height: 3172 } })
    const node = await droppedNode('panorama')
    const stats = await imageStats(session.page, node.imageHash!)
    expect(stats).toMatchObject({ format: 'jpeg', width: 4096, height: 2304 })
    expect(node.width / node.height).toBeCloseTo(5640 / 3172, 2)
  })

  it('shows a phone photo stored sideways (EXIF orientation 6) upright', async () => {
    // rocket.jpg is 640x427; stored as is with orientation 6, it is shown 427 wide and 640 tall
    const sideways = await sharp(await readFile(join(FIXTURES_DIR, 'rocket.jpg'))).withMetadata({ orientation: 6 }).jpeg().toBuffer()
    await dropFile(session.page, { name: 'phone.jpg', type: 'image/jpeg', base64: sideways.toString('base64') })
    const node = await droppedNode('phone')
    expect(node).toMatchObject({ width: 427, height: 640 })
    const ui = await pluginFrame(session.page)
    const row = ui.getByRole('list', { name: 'Images to reframe' }).getByRole('listitem').filter({ hasText: 'phone' })
    expect(await row.innerText()).toContain('427×640')
  })

  it('lists a damaged JPEG with a warning on its row before any run', async () => {
    const rocket = await readFile(join(FIXTURES_DIR, 'rocket.jpg'))
    await dropFile(session.page, { name: 'coffee.jpg', type: 'image/jpeg', base64: rocket.subarray(0, rocket.length >> 1).toString('base64') })
    await droppedNode('coffee')
    const ui = await pluginFrame(session.page)
    await ui.getByText('coffee is a damaged JPEG: the file ends early.', { exact: false }).waitFor()
    await ui.getByRole('button', { name: 'This image is damaged' }).waitFor()
  })
})

describe('the preview canvas', { timeout: 90_000 }, () => {
  it('keeps drawing after the layer under the pointer is deleted', async () => {
    await clickNode(session.page, 'chelsea')
    const chelsea = (await documentNodes(session.page)).find((n) => n.name === 'chelsea')!
    const centre = await session.page.evaluate((id) => (window as unknown as { __preview: { clientCenterOf(id: string): { x: number; y: number } } }).__preview.clientCenterOf(id), chelsea.id)
    await session.page.mouse.move(centre.x + 2, centre.y + 2)
    await session.page.keyboard.press('Delete')
    expect((await documentNodes(session.page)).some((n) => n.id === chelsea.id)).toBe(false)
    // where the photo was, the canvas is redrawn with the empty page's grey (#e5e5e5)
    await session.page.waitForFunction(
      (p) => {
        const canvas = document.getElementById('canvas') as HTMLCanvasElement
        const box = canvas.getBoundingClientRect()
        const scale = canvas.width / box.width
        const data = canvas.getContext('2d')!.getImageData(Math.round((p.x - box.x) * scale), Math.round((p.y - box.y) * scale), 1, 1).data
        return data[0] === 229 && data[1] === 229 && data[2] === 229
      },
      centre,
      { timeout: 10_000 }
    )
    expect(await canvasPixel(session.page, centre)).toEqual([229, 229, 229])
    expect(session.consoleLines.filter((line) => line.includes('does not exist'))).toEqual([])
  })
})
