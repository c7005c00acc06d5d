// One preview server + one Chromium page for an end-to-end test file: opens the preview, finds the
// plugin's iframe, and reads the document through the page's read-only hooks.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Frame, Page } from 'playwright-core'
import { REPO_ROOT, startPreview, type Preview, type PreviewOptions } from '../../preview/server'
import type { ImageStats, NodeSummary, PreviewHooks } from '../../preview/page/test-hooks'
import { launchChromium } from './browser'

export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts')

export type PreviewSession = {
  preview: Preview
  browser: Browser
  page: Page
  /** Messages the page logged (console errors and warnings, page errors), for failure reports. */
  consoleLines: string[]
  close(): Promise<void>
}

export async function openPreviewSession(options: PreviewOptions = {}): Promise<PreviewSession> {
  const preview = await startPreview({ log: () => {}, ...options })
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const consoleLines: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleLines.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`))
    await page.goto(preview.url)
    await page.waitForFunction(() => (window as unknown as { __preview?: PreviewHooks }).__preview?.ready === true)
    const session: PreviewSession = {
      preview,
      browser,
      page,
      consoleLines,
      async close() {
        await browser?.close()
        await preview.close()
      }
    }
    return session
  } catch (error) {
    await browser?.close()
    await preview.close()
    throw error
  }
}

/** Opens a fresh page on the same server (a new document, a new plugin run). */
export async function reloadPreview(session: PreviewSession) {
  await session.page.reload()
  await session.page.waitForFunction(() => (window as unknown as { __preview?: PreviewHooks }).__preview?.ready === true)
}

export async function pluginFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#plugin-frame-holder iframe')
  const frame = await handle.contentFrame()
  if (frame === null) throw new Error('The plugin iframe has no document')
  return frame
}

export function documentNodes(page: Page): Promise<NodeSummary[]> {
  return page.evaluate(() => (window as unknown as { __preview: PreviewHooks }).__preview.nodes())
}

export function imageStats(page: Page, hash: string): Promise<ImageStats> {
  return page.evaluate((h) => (window as unknown as { __preview: PreviewHooks }).__preview.imageStatsAsync(h), hash)
}

export function notifications(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __preview: PreviewHooks }).__preview.notifications())
}

/** Clicks a node on the canvas as a user would (shift for adding to the selection). */
export async function clickNode(page: Page, name: string, options: { shift?: boolean } = {}) {
  const node = (await documentNodes(page)).find((n) => n.name === name)
  if (node === undefined) throw new Error(`No node named "${name}" on the page`)
  const point = await page.evaluate((id) => (window as unknown as { __preview: PreviewHooks }).__preview.clientCenterOf(id), node.id)
  if (options.shift) await page.keyboard.down('Shift')
  await page.mouse.click(point.x, point.y)
  if (options.shift) await page.keyboard.up('Shift')
}

/** Saves test-artifacts/<name>.png, with the plugin window scrolled to its progress and status lines. */
export async function screenshot(page: Page, name: string) {
  await mkdir(ARTIFACTS_DIR, { recursive: true })
  // no waiting: the plugin may be closed
  const ui = await (await page.$('#plugin-frame-holder iframe'))?.contentFrame()
  await ui
    ?.evaluate(() => {
      const target = document.querySelector('[aria-label="Reframe jobs"]') ?? document.querySelector('footer')
      target?.scrollIntoView({ block: 'start' })
    })
    .catch(() => undefined)
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`) })
}
