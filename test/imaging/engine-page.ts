// One Chromium page with the engine bundled in (test/imaging/browser-entry.ts), for the tests that
// compare the browser with Node. Functions are called by name; bytes cross as base64.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../e2e/browser'
import type { LumaTestApi } from './browser-entry'
import { bundleForBrowser } from '../../preview/bundle-for-browser'

const here = dirname(fileURLToPath(import.meta.url))

export type EnginePage = {
  call<K extends keyof LumaTestApi>(name: K, ...args: Parameters<LumaTestApi[K]>): ReturnType<LumaTestApi[K]>
  close(): Promise<void>
}

/**
 * Opens the page. `canvasFilters: false` removes the 2D context's `filter` first, as in browsers that
 * lack it (Safari), so that the backend's fallback runs.
 */
export async function openEnginePage(options: { canvasFilters?: boolean; contextReset?: boolean } = {}): Promise<EnginePage> {
  const bundle = await bundleForBrowser(join(here, 'browser-entry.ts'))
  const browser: Browser = await launchChromium()
  const page: Page = await browser.newPage()
  await page.setContent('<!doctype html><html><body></body></html>')
  if (options.canvasFilters === false) {
    await page.evaluate(() => {
      for (const proto of [CanvasRenderingContext2D.prototype, OffscreenCanvasRenderingContext2D.prototype]) {
        delete (proto as unknown as { filter?: string }).filter
      }
    })
  }
  if (options.contextReset === false) {
    await page.evaluate(() => {
      for (const proto of [CanvasRenderingContext2D.prototype, OffscreenCanvasRenderingContext2D.prototype]) {
        delete (proto as unknown as { reset?: () => void }).reset
      }
    })
  }
  await page.addScriptTag({ content: bundle })
  return {
    call(name, ...args) {
      return page.evaluate(
        ([fn, rest]) => (globalThis as unknown as { lumaTest: Record<string, (...a: unknown[]) => unknown> }).lumaTest[fn as string](...(rest as unknown[])),
        [name, args] as const
      ) as ReturnType<LumaTestApi[typeof name]>
    },
    close: () => browser.close()
  }
}

export function base64(bytes: Uint8Array | Buffer): string {
  return Buffer.from(bytes).toString('base64')
}
