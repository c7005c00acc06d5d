// The plugin UI decodes with canvas, the CLI with sharp: the same image must give the same crop window.
// The browser side runs in real Chromium (Debian's), with the engine bundled by esbuild.
import * as esbuild from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RATIO_IDS, type Box } from '../../src/core/ratios'
import { nodeCodec } from '../../src/imaging/codec-node'
import { launchChromium } from '../e2e/browser'
import { cropWindowsOf } from './crop-windows'
import { fixture } from './fixture-images'

type PageApi = {
  cropWindows(base64: string, ratios: string[]): Promise<{ width: number; height: number; boxes: Box[]; meanByte: number }>
  fillPng(base64: string, ratio: string): Promise<{ width: number; height: number; png: string }>
  decodeError(base64: string): Promise<string>
}

const here = dirname(fileURLToPath(import.meta.url))
let browser: Browser
let page: Page

beforeAll(async () => {
  const bundle = await esbuild.build({
    entryPoints: [join(here, 'browser-entry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'warning'
  })
  browser = await launchChromium()
  page = await browser.newPage()
  await page.setContent('<!doctype html><html><body></body></html>')
  await page.addScriptTag({ content: bundle.outputFiles[0].text })
})

afterAll(async () => {
  await browser?.close()
})

function callPage<K extends keyof PageApi>(name: K, ...args: Parameters<PageApi[K]>): ReturnType<PageApi[K]> {
  return page.evaluate(
    ([fn, rest]) => (globalThis as unknown as { lumaTest: Record<string, (...a: unknown[]) => unknown> }).lumaTest[fn as string](...(rest as unknown[])),
    [name, args] as const
  ) as ReturnType<PageApi[K]>
}

describe('browser (canvas) and Node (sharp) give the same crop window', () => {
  for (const name of ['astronaut.png', 'chelsea.png', 'coffee.png', 'Flow.png', 'rocket.jpg', 'GreenMeadow.jpg']) {
    it(`for ${name}, every ratio`, async () => {
      const bytes = fixture(name)
      const inBrowser = await callPage('cropWindows', Buffer.from(bytes).toString('base64'), [...RATIO_IDS])
      const inNode = await cropWindowsOf(await nodeCodec.decode(bytes), RATIO_IDS)
      expect(inBrowser.width).toBe(inNode.width)
      expect(inBrowser.height).toBe(inNode.height)
      // decoders may differ by a level or two (JPEG IDCT, colour management); the pixels are the same picture
      expect(Math.abs(inBrowser.meanByte - inNode.meanByte)).toBeLessThan(2)
      expect(inBrowser.boxes).toEqual(inNode.boxes)
    })
  }

  it('applies EXIF orientation in the browser too', async () => {
    const stored = await sharp({ create: { width: 60, height: 20, channels: 3, background: '#3366cc' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const result = await callPage('cropWindows', stored.toString('base64'), ['1:1'])
    expect({ width: result.width, height: result.height }).toEqual({ width: 20, height: 60 })
  })

  it('encodes a fill result the Node side reads back at the same size', async () => {
    const result = await callPage('fillPng', Buffer.from(fixture('chelsea.png')).toString('base64'), '9:16')
    const meta = await sharp(Buffer.from(result.png, 'base64')).metadata()
    expect(meta).toMatchObject({ format: 'png', width: result.width, height: result.height })
    expect({ width: result.width, height: result.height }).toEqual({ width: 451, height: 802 })
  })

  it('reports bad bytes as a decode error', async () => {
    const message = await callPage('decodeError', Buffer.from('not an image').toString('base64'))
    expect(message).toMatch(/^decode: This file is not an image the engine can read/)
  })
})
