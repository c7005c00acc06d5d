import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { readImageHeader, uprightSize } from '../../src/core/image-header'
import { loadSource } from '../providers/support'

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/images')
const load = (name: string) => new Uint8Array(readFileSync(`${FIXTURES}/${name}`))

describe('readImageHeader on real files', () => {
  const cases: Array<[string, string]> = [
    'astronaut.png',
    'coffee.png',
    'chelsea.png',
    'rocket.jpg',
    'camera.png',
    'palette_color.png',
    'no_time_for_that_tiny.gif',
    'logo.png',
    'Flow.png',
    'GreenMeadow.jpg',
    'Elephants_3840x2160.jpg'
  ].map((name) => [name, name])

  it.each(cases)('reads %s like sharp does', async (name) => {
    const bytes = load(name)
    const meta = await sharp(bytes).metadata()
    const header = readImageHeader(bytes)
    expect(header).not.toBeNull()
    expect(header?.format).toBe(meta.format === 'jpeg' ? 'jpeg' : meta.format)
    expect(header?.width).toBe(meta.width)
    expect(header?.height).toBe(meta.height)
    expect(header?.hasAlpha).toBe(meta.format === 'gif' ? true : Boolean(meta.hasAlpha))
  })

  it('sees transparency in an RGBA PNG and none in an RGB one', () => {
    expect(readImageHeader(load('logo.png'))?.hasAlpha).toBe(true)
    expect(readImageHeader(load('coffee.png'))?.hasAlpha).toBe(false)
  })

  it('sees a tRNS chunk in a palette PNG', async () => {
    const withTrns = new Uint8Array(await sharp(load('Flow.png')).resize(64).png({ palette: true }).toBuffer())
    // colour type 3 (indexed): its alpha can only come from tRNS
    expect(withTrns[25]).toBe(3)
    expect(Buffer.from(withTrns).includes('tRNS')).toBe(true)
    expect(readImageHeader(withTrns)?.hasAlpha).toBe(true)
    const opaqueIndexed = new Uint8Array(await sharp(load('coffee.png')).resize(64).png({ palette: true }).toBuffer())
    expect(opaqueIndexed[25]).toBe(3)
    expect(readImageHeader(opaqueIndexed)?.hasAlpha).toBe(false)
  })

  it('rejects other formats and truncated bytes', async () => {
    expect(readImageHeader(new TextEncoder().encode('<svg></svg>'))).toBeNull()
    expect(readImageHeader(load('coffee.png').slice(0, 20))).toBeNull()
    expect(readImageHeader(load('rocket.jpg').slice(0, 100))).toBeNull()
    expect(readImageHeader(new Uint8Array(0))).toBeNull()
  })
})

async function encoded(format: 'png' | 'jpeg' | 'webp' | 'gif', width: number, height: number, options: Record<string, unknown> = {}) {
  const base = sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
  return new Uint8Array(await base.toFormat(format, options).toBuffer())
}

describe('readImageHeader on every format a host may return', () => {
  it('reads real photos', () => {
    expect(readImageHeader(loadSource('chelsea.png').bytes)).toMatchObject({ format: 'png', width: 451, height: 300 })
    expect(readImageHeader(loadSource('rocket.jpg').bytes)).toMatchObject({ format: 'jpeg', width: 640, height: 427 })
  })

  it('reads an animated GIF', () => {
    expect(readImageHeader(loadSource('no_time_for_that_tiny.gif').bytes)).toMatchObject({ format: 'gif', width: 14, height: 25 })
  })

  it.each([
    ['png', 333, 77, {}],
    ['jpeg', 1201, 599, {}],
    ['jpeg', 40, 30, { progressive: true }],
    ['webp', 517, 211, {}],
    ['webp', 300, 200, { lossless: true }],
    ['gif', 64, 48, {}]
  ] as const)('reads %s %ix%i from its header', async (format, width, height, options) => {
    expect(readImageHeader(await encoded(format, width, height, options))).toMatchObject({ format, width, height })
  })

  it('reads an extended (VP8X) WebP with alpha', async () => {
    const bytes = new Uint8Array(await sharp({ create: { width: 257, height: 129, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).webp().toBuffer())
    expect(readImageHeader(bytes)).toMatchObject({ format: 'webp', width: 257, height: 129 })
  })

  it('rejects HTML, JSON, empty and truncated input', async () => {
    const text = (s: string) => new TextEncoder().encode(s)
    expect(readImageHeader(text('<!doctype html><html></html>'))).toBeNull()
    expect(readImageHeader(text('{"error":"nope"}'))).toBeNull()
    expect(readImageHeader(new Uint8Array())).toBeNull()
    const png = await encoded('png', 10, 10)
    expect(readImageHeader(png.subarray(0, 20))).toBeNull()
    const jpeg = await encoded('jpeg', 10, 10)
    expect(readImageHeader(jpeg.subarray(0, 3))).toBeNull()
  })
})

describe('EXIF orientation', () => {
  it.each([1, 3, 6, 8] as const)('reads orientation %i from a JPEG and gives its upright size', async (orientation) => {
    const bytes = new Uint8Array(await sharp(load('coffee.png')).jpeg().withMetadata({ orientation }).toBuffer())
    const header = readImageHeader(bytes)
    expect(header).toMatchObject({ format: 'jpeg', width: 600, height: 400, orientation })
    expect(uprightSize(header!)).toEqual(orientation >= 5 ? { width: 400, height: 600 } : { width: 600, height: 400 })
  })

  it('reads orientation from an extended WebP and says 1 where there is none', async () => {
    const turned = new Uint8Array(await sharp(load('coffee.png')).webp().withMetadata({ orientation: 6 }).toBuffer())
    expect(readImageHeader(turned)?.orientation).toBe(6)
    expect(readImageHeader(load('rocket.jpg'))?.orientation).toBe(1)
    expect(readImageHeader(load('coffee.png'))?.orientation).toBe(1)
  })
})
