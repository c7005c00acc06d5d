// Format and size from the bytes alone, against real files and sharp-encoded ones.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { sniffImage } from '../../src/providers/image-sniff'
import { loadSource } from './support'

async function encoded(format: 'png' | 'jpeg' | 'webp' | 'gif', width: number, height: number, options: Record<string, unknown> = {}) {
  const base = sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
  return new Uint8Array(await base.toFormat(format, options).toBuffer())
}

describe('sniffImage', () => {
  it('reads real photos', () => {
    expect(sniffImage(loadSource('chelsea.png').bytes)).toEqual({ format: 'png', width: 451, height: 300 })
    expect(sniffImage(loadSource('rocket.jpg').bytes)).toEqual({ format: 'jpeg', width: 640, height: 427 })
  })

  it('reads an animated GIF', () => {
    expect(sniffImage(loadSource('no_time_for_that_tiny.gif').bytes)).toEqual({ format: 'gif', width: 14, height: 25 })
  })

  it.each([
    ['png', 333, 77, {}],
    ['jpeg', 1201, 599, {}],
    ['jpeg', 40, 30, { progressive: true }],
    ['webp', 517, 211, {}],
    ['webp', 300, 200, { lossless: true }],
    ['gif', 64, 48, {}]
  ] as const)('reads %s %ix%i from its header', async (format, width, height, options) => {
    expect(sniffImage(await encoded(format, width, height, options))).toEqual({ format, width, height })
  })

  it('reads an extended (VP8X) WebP with alpha', async () => {
    const bytes = new Uint8Array(await sharp({ create: { width: 257, height: 129, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).webp().toBuffer())
    expect(sniffImage(bytes)).toEqual({ format: 'webp', width: 257, height: 129 })
  })

  it('rejects HTML, JSON, empty and truncated input', async () => {
    const text = (s: string) => new TextEncoder().encode(s)
    expect(sniffImage(text('<!doctype html><html></html>'))).toBeUndefined()
    expect(sniffImage(text('{"error":"nope"}'))).toBeUndefined()
    expect(sniffImage(new Uint8Array())).toBeUndefined()
    const png = await encoded('png', 10, 10)
    expect(sniffImage(png.subarray(0, 20))).toBeUndefined()
    const jpeg = await encoded('jpeg', 10, 10)
    expect(sniffImage(jpeg.subarray(0, 3))).toBeUndefined()
  })
})
