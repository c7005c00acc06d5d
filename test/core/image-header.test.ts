import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { readImageHeader } from '../../src/core/image-header'

const FIXTURES = '/work/shared/fixtures/images'
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
    const webp = await sharp(load('coffee.png')).webp().toBuffer()
    expect(readImageHeader(new Uint8Array(webp))).toBeNull()
    expect(readImageHeader(new TextEncoder().encode('<svg></svg>'))).toBeNull()
    expect(readImageHeader(load('coffee.png').slice(0, 20))).toBeNull()
    expect(readImageHeader(load('rocket.jpg').slice(0, 100))).toBeNull()
    expect(readImageHeader(new Uint8Array(0))).toBeNull()
  })
})
