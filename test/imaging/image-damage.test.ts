// Damaged files are found from their bytes, the same way on every platform, and named in the message.
import { readdirSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import {
  DamagedImageError,
  describeDamage,
  findImageDamage,
  findPngStreamDamageAsync,
  isFinalError
} from '../../src/imaging/image-damage'
import { nodeBackend } from '../../src/imaging/backend-node'
import { ReframeError } from '../../src/core/reframe-error'
import { FIXTURES, fixture } from './fixture-images'

const IMAGES = readdirSync(FIXTURES).filter((name) => /\.(png|jpe?g|gif|webp)$/i.test(name))

/** A PNG rebuilt from `chunks` (type and data), CRCs left as zeros: the check reads structure only. */
function png(chunks: Array<[string, Uint8Array]>): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])]
  for (const [type, data] of chunks) {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'ascii')
    parts.push(head, Buffer.from(data), Buffer.alloc(4))
  }
  return new Uint8Array(Buffer.concat(parts))
}

function chunksOf(bytes: Uint8Array): Array<[string, Uint8Array]> {
  const chunks: Array<[string, Uint8Array]> = []
  const view = Buffer.from(bytes)
  for (let offset = 8; offset + 8 <= view.length; ) {
    const length = view.readUInt32BE(offset)
    chunks.push([view.toString('ascii', offset + 4, offset + 8), bytes.subarray(offset + 8, offset + 8 + length)])
    offset += 12 + length
  }
  return chunks
}

describe('finding damaged image files', () => {
  it('finds nothing wrong with any whole fixture, nor with WebP, progressive JPEG or interlaced PNG', async () => {
    for (const name of IMAGES) expect(findImageDamage(fixture(name)), name).toBeNull()
    const made = [
      await sharp(fixture('coffee.png')).webp().toBuffer(),
      await sharp(fixture('coffee.png')).webp({ lossless: true }).toBuffer(),
      await sharp(fixture('coffee.png')).jpeg({ progressive: true }).toBuffer(),
      await sharp(fixture('coffee.png')).png({ progressive: true }).toBuffer(),
      await sharp(fixture('logo.png')).toColourspace('rgb16').png().toBuffer()
    ]
    for (const bytes of made) {
      expect(findImageDamage(new Uint8Array(bytes))).toBeNull()
      expect(await findPngStreamDamageAsync(new Uint8Array(bytes))).toBeNull()
    }
    for (const name of IMAGES.filter((n) => n.endsWith('.png'))) expect(await findPngStreamDamageAsync(fixture(name)), name).toBeNull()
  })

  it('finds that a file cut short ends early, in every format, wherever it is cut', async () => {
    const webp = new Uint8Array(await sharp(fixture('coffee.png')).webp().toBuffer())
    const progressive = new Uint8Array(await sharp(fixture('coffee.png')).jpeg({ progressive: true }).toBuffer())
    const files = [fixture('rocket.jpg'), progressive, fixture('astronaut.png'), fixture('no_time_for_that_tiny.gif'), webp]
    for (const bytes of files) {
      for (const keep of [0.1, 0.5, 0.9, 0.999]) {
        const cut = bytes.subarray(0, Math.floor(bytes.length * keep))
        expect(findImageDamage(cut)?.problem, `${keep}`).toBe('the file ends early')
      }
    }
  })

  it('finds a JPEG with no end-of-image marker, and a PNG with no IEND chunk', () => {
    const jpeg = fixture('rocket.jpg')
    expect(findImageDamage(jpeg.subarray(0, jpeg.length - 2))).toEqual({ format: 'jpeg', problem: 'the file ends early' })
    const chunks = chunksOf(fixture('chelsea.png'))
    expect(findImageDamage(png(chunks.filter(([type]) => type !== 'IEND')))).toEqual({ format: 'png', problem: 'the file ends early' })
    expect(findImageDamage(png(chunks.filter(([type]) => type !== 'IDAT')))).toEqual({ format: 'png', problem: 'it holds no image data' })
  })

  it('finds a PNG whose image stream is cut short though every chunk is whole', async () => {
    const chunks = chunksOf(fixture('chelsea.png'))
    const stream = Buffer.concat(chunks.filter(([type]) => type === 'IDAT').map(([, data]) => Buffer.from(data)))
    const cut = png([...chunks.filter(([type]) => type !== 'IDAT' && type !== 'IEND'), ['IDAT', stream.subarray(0, stream.length >> 1)], ['IEND', new Uint8Array()]])
    expect(findImageDamage(cut)).toBeNull()
    expect(await findPngStreamDamageAsync(cut)).toEqual({ format: 'png', problem: 'its image data is cut short or corrupt' })
    // a whole stream that holds too few rows
    const short = png([...chunks.filter(([type]) => type === 'IHDR'), ['IDAT', deflateSync(Buffer.alloc(100))], ['IEND', new Uint8Array()]])
    expect(await findPngStreamDamageAsync(short)).toEqual({ format: 'png', problem: 'its image data is cut short' })
  })

  it('leaves bytes that are no image at all to the decoder', () => {
    expect(findImageDamage(new TextEncoder().encode('not an image'))).toBeNull()
  })
})

describe('the damaged-file error', () => {
  it('reads "... is a damaged JPEG: the file ends early", with the file name when the caller has one', () => {
    const damage = { format: 'jpeg', problem: 'the file ends early' } as const
    expect(describeDamage(damage)).toBe('is a damaged JPEG: the file ends early')
    const error = new DamagedImageError(damage)
    expect(error.message).toBe('This image is a damaged JPEG: the file ends early.')
    expect(error.forFile('coffee.jpg').message).toBe('coffee.jpg is a damaged JPEG: the file ends early.')
    expect(error.userMessage).toBe(
      'This image is a damaged JPEG: the file ends early. Export or save the image again: the file itself is damaged, so retrying will not help.'
    )
  })

  it('is a decode error, final: retrying cannot help (unlike a network or host error)', () => {
    const error = new DamagedImageError({ format: 'png', problem: 'the file ends early' })
    expect(error).toBeInstanceOf(ReframeError)
    expect(error.kind).toBe('decode')
    expect(error.final).toBe(true)
    expect(isFinalError(error)).toBe(true)
    expect(isFinalError(new ReframeError('decode', 'not an image'))).toBe(true)
    expect(isFinalError(new ReframeError('network', 'connection reset'))).toBe(false)
    expect(isFinalError(new Error('anything'))).toBe(false)
  })

  it('is what the Node backend throws for a damaged file', async () => {
    const bytes = fixture('rocket.jpg')
    const error = await nodeBackend.decode(bytes.subarray(0, 5000)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DamagedImageError)
    expect((error as Error).message).toBe('This image is a damaged JPEG: the file ends early.')
  })
})
