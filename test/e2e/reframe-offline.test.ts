// The preview with the offline engine (the default, no key): the canvas's selection and file drops
// reach the plugin, and results are placed without any network traffic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ratioValue, type RatioId } from '../../src/core/ratios'
import { FIXTURES_DIR } from '../../preview/server'
import { clickNode, documentNodes, imageStats, openPreviewSession, pluginFrame, screenshot, type PreviewSession } from './preview-session'
import { RATIOS, chooseSizes, pressReframe, waitForBatchEnd, waitForPlaced } from './plugin-ui'

let session: PreviewSession

beforeAll(async () => {
  session = await openPreviewSession()
})

afterAll(async () => {
  await session?.close()
})

describe('the preview with the offline engine', { timeout: 90_000 }, () => {
  it('follows the canvas selection: click, shift-click, click on empty canvas', async () => {
    const ui = await pluginFrame(session.page)
    await clickNode(session.page, 'astronaut')
    await ui.getByText('Images (1)').waitFor()
    await clickNode(session.page, 'chelsea', { shift: true })
    await ui.getByText('Images (2)').waitFor()
    const selected = (await documentNodes(session.page)).filter((n) => n.selected).map((n) => n.name)
    expect(selected.sort()).toEqual(['astronaut', 'chelsea'])
    const listed = await ui.getByRole('list', { name: 'Images to reframe' }).innerText()
    expect(listed).toContain('astronaut')
    expect(listed).toContain('chelsea')

    // shift-click again takes one out
    await clickNode(session.page, 'astronaut', { shift: true })
    await ui.getByText('Images (1)').waitFor()
    const canvas = await session.page.locator('#canvas').boundingBox()
    await session.page.mouse.click(canvas!.x + canvas!.width - 20, canvas!.y + canvas!.height - 20)
    await ui.getByText(/Select one or more images/).first().waitFor()
    expect((await documentNodes(session.page)).filter((n) => n.selected)).toEqual([])
  })

  it('adds a dropped image file to the canvas, selected, and the plugin lists it', async () => {
    const bytes = await readFile(join(FIXTURES_DIR, 'camera.png'))
    const canvas = await session.page.locator('#canvas').boundingBox()
    const transfer = await session.page.evaluateHandle((data) => {
      const dt = new DataTransfer()
      dt.items.add(new File([new Uint8Array(data)], 'camera.png', { type: 'image/png' }))
      return dt
    }, [...bytes])
    const at = { clientX: canvas!.x + canvas!.width * 0.6, clientY: canvas!.y + canvas!.height * 0.8 }
    await session.page.dispatchEvent('#canvas', 'dragover', { dataTransfer: transfer, ...at })
    await session.page.dispatchEvent('#canvas', 'drop', { dataTransfer: transfer, ...at })
    const ui = await pluginFrame(session.page)
    await ui.getByRole('list', { name: 'Images to reframe' }).getByText('camera').waitFor()
    const camera = (await documentNodes(session.page)).find((n) => n.name === 'camera')
    await screenshot(session.page, 'offline-dropped')
    expect(camera).toMatchObject({ type: 'RECTANGLE', width: 512, height: 512, selected: true })
    expect((await imageStats(session.page, camera!.imageHash!)).stdDev).toBeGreaterThan(10)
  })

  it('reframes two images into every chosen size with no key and no network', async () => {
    const ui = await pluginFrame(session.page)
    await clickNode(session.page, 'astronaut')
    await clickNode(session.page, 'chelsea', { shift: true })
    await ui.getByText('Images (2)').waitFor()
    expect(await ui.getByRole('combobox', { name: /provider/i }).locator('option:checked').innerText()).toMatch(/offline/i)
    await chooseSizes(ui, RATIOS)
    await pressReframe(ui)
    const frames = await waitForPlaced(session.page, 6)
    const text = await waitForBatchEnd(ui)
    await screenshot(session.page, 'offline-six-frames')

    expect(text).toMatch(/6 placed/)
    for (const sourceName of ['astronaut', 'chelsea']) {
      for (const ratio of RATIOS) {
        const frame = frames.find((f) => f.name === `${sourceName} · ${ratio}`)
        expect(frame, `${sourceName} · ${ratio}`).toBeDefined()
        expect(frame!.width / frame!.height).toBeCloseTo(ratioValue(ratio as RatioId), 2)
        const stats = await imageStats(session.page, frame!.imageHash!)
        expect(stats.width / stats.height).toBeCloseTo(ratioValue(ratio as RatioId), 2)
        expect(stats.stdDev).toBeGreaterThan(10)
      }
    }
    expect(session.preview.eachlabs.stats.requests).toEqual([])
    // the pixels were drawn by the window's image worker, not on the thread that answers the user
    expect(await ui.evaluate(() => document.documentElement.dataset.pixelWork)).toBe('worker')
  })

  it('smart-crops on the image worker, and without workers draws the same windows on the window itself', async () => {
    const crops: Record<string, Array<{ name: string; hash: string | null }>> = {}
    for (const where of ['worker', 'main-thread'] as const) {
      const page = await session.browser.newPage({ viewport: { width: 1400, height: 900 } })
      // a browser with no Worker: the plugin's fallback. The plugin's own HTML is served with a first script
      // that removes Worker (an init script keyed on the frame's name once ran too late under load)
      if (where === 'main-thread') {
        await page.route('**/plugin/ui.html', async (route) => {
          const response = await route.fetch()
          const html = (await response.text()).replace(/<head[^>]*>/i, (head) => `${head}<script>delete window.Worker</script>`)
          await route.fulfill({ response, body: html })
        })
      }
      try {
        await page.goto(session.preview.url)
        await page.waitForFunction(() => (window as unknown as { __preview?: { ready: boolean } }).__preview?.ready === true)
        const ui = await pluginFrame(page)
        await clickNode(page, 'rocket')
        await ui.getByText('Images (1)').waitFor()
        const crop = ui.getByRole('radio', { name: 'Smart crop' })
        await crop.dispatchEvent('click')
        await ui.waitForFunction(() => [...document.querySelectorAll('input[type=radio]')].some((i) => (i as HTMLInputElement).checked && i.parentElement?.textContent?.trim() === 'Smart crop'))
        await chooseSizes(ui, RATIOS)
        await pressReframe(ui)
        const frames = await waitForPlaced(page, 3)
        expect(await waitForBatchEnd(ui)).toMatch(/3 placed/)
        expect(await ui.evaluate(() => document.documentElement.dataset.pixelWork)).toBe(where)
        crops[where] = frames.map((f) => ({ name: f.name, hash: f.imageHash })).sort((a, b) => a.name.localeCompare(b.name))
      } finally {
        await page.close()
      }
    }
    expect(crops.worker.map((f) => f.name)).toEqual(['rocket · 1:1', 'rocket · 16:9', 'rocket · 9:16'])
    // the same windows drawn by the same canvas code: the same bytes (the fake's image hash is of the bytes)
    expect(crops['main-thread']).toEqual(crops.worker)
  })
})
