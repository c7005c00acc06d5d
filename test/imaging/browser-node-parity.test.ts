// The plugin UI decodes with canvas, the CLI with sharp: the same image must give the same crop window,
// through the backends the offline engine runs on. The browser side runs in
// real Chromium (Debian's), with the engine bundled by esbuild.
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RATIO_IDS } from '../../src/core/ratios'
import { nodeBackend } from '../../src/imaging/backend-node'
import { backendCropWindows } from './crop-windows'
import { base64, openEnginePage, type EnginePage } from './engine-page'
import { fixture } from './fixture-images'

let page: EnginePage

beforeAll(async () => {
  page = await openEnginePage()
})

afterAll(async () => {
  await page?.close()
})

const PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'Flow.png', 'rocket.jpg', 'GreenMeadow.jpg']

describe('browser (canvas) and Node (sharp) give the same crop window', () => {
  for (const name of PHOTOS) {
    it(`for ${name}, every ratio, through the image backends the offline engine runs on`, async () => {
      const bytes = fixture(name)
      const inBrowser = await page.call('engineCropWindows', base64(bytes), [...RATIO_IDS])
      const inNode = await backendCropWindows(nodeBackend, bytes, RATIO_IDS)
      expect(inBrowser.analysis).toEqual(inNode.analysis)
      expect(Math.max(inNode.analysis.width, inNode.analysis.height)).toBeLessThanOrEqual(512)
      expect(Math.abs(inBrowser.meanByte - inNode.meanByte)).toBeLessThan(2)
      expect(inBrowser.boxes).toEqual(inNode.boxes)
    })
  }

  it('applies EXIF orientation in the browser too', async () => {
    const stored = await sharp({ create: { width: 60, height: 20, channels: 3, background: '#3366cc' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const result = await page.call('engineCropWindows', base64(stored), ['1:1'])
    expect({ width: result.width, height: result.height }).toEqual({ width: 20, height: 60 })
  })

  it('encodes a fill result the Node side reads back at the same size', async () => {
    const result = await page.call('fillPng', base64(fixture('chelsea.png')), '9:16')
    const meta = await sharp(Buffer.from(result.png, 'base64')).metadata()
    expect(meta).toMatchObject({ format: 'png', width: result.width, height: result.height })
    expect({ width: result.width, height: result.height }).toEqual({ width: 451, height: 802 })
  })

  it('reports bad bytes as a decode error', async () => {
    const message = await page.call('backendDecodeError', base64(Buffer.from('not an image')))
    expect(message).toMatch(/^decode: This file is not an image the engine can read/)
  })
})
