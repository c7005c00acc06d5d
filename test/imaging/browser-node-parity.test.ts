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

// sampling steps 1 (the small ones), 2 (Flow, GreenMeadow) and 4 (the 4K photo)
const PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'Flow.png', 'rocket.jpg', 'GreenMeadow.jpg', 'Elephants_3840x2160.jpg']

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

  it('for an 8000x2000 panorama, read back in more than one strip of sampled rows', async () => {
    // every 7th row of 2000 is read, more rows than one 8 MB strip of 8000 px holds
    const bytes = new Uint8Array(
      await sharp(fixture('GreenMeadow.jpg'))
        .resize(8000, 2000, { fit: 'fill' })
        .composite([{ input: await sharp(fixture('rocket.jpg')).resize(600, 400).toBuffer(), left: 6100, top: 900 }])
        .png()
        .toBuffer()
    )
    const inBrowser = await page.call('engineCropWindows', base64(bytes), ['1:1', '9:16', '16:9'])
    const inNode = await backendCropWindows(nodeBackend, bytes, ['1:1', '9:16', '16:9'])
    expect(inNode.analysis).toEqual({ width: 512, height: 128 })
    expect(inBrowser.analysis).toEqual(inNode.analysis)
    expect(Math.abs(inBrowser.meanByte - inNode.meanByte)).toBeLessThan(2)
    expect(inBrowser.boxes).toEqual(inNode.boxes)
  })

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
