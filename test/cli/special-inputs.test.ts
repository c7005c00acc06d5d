// What the CLI reads: regular files only, at most 100 MB of any, and no image whose header promises
// more pixels than the budget (a decompression bomb is refused before it is decoded).
import { execFileSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, readdirSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { FIXTURES, cli, workspace } from './cli-process'

/** A valid PNG header chunk (length, type, data, CRC). */
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return (crc ^ 0xffffffff) >>> 0
}

/** A real, decodable black PNG of `side` x `side` px at 1 bit per pixel: a few kB on disk. */
function bombPng(side: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(side, 0)
  ihdr.writeUInt32BE(side, 4)
  ihdr[8] = 1 // bit depth
  ihdr[9] = 0 // greyscale
  const row = 1 + Math.ceil(side / 8)
  const idat = deflateSync(Buffer.alloc(row * side), { level: 9 })
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array())])
}

describe('luma-reframe reads only regular files, within limits', () => {
  it('skips a FIFO in a folder and a FIFO named explicitly with a reason, never opening them; the rest finish', { timeout: 120_000 }, async () => {
    const dir = workspace(['chelsea.png'])
    execFileSync('mkfifo', [join(dir, 'in', 'pipe.png'), join(dir, 'in', 'pipe')])
    const run = await cli(['in', 'in/pipe', '--ratios', '1:1', '--out', 'out'], { cwd: dir })
    expect(run.signal).toBeNull()
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('in/pipe.png is not a regular file; skipped')
    expect(run.stdout).toContain('in/pipe is not a regular file; skipped')
    expect(readdirSync(join(dir, 'out'))).toEqual(['chelsea_1x1_451x451.png'])
  })

  it('skips a device named explicitly (/dev/zero) without reading it', { timeout: 120_000 }, async () => {
    const dir = workspace()
    const run = await cli(['/dev/zero', '--ratios', '1:1', '--out', 'out'], { cwd: dir })
    expect(run.signal).toBeNull()
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('/dev/zero is not a regular file; skipped')
    expect(run.stderr).toContain('nothing to reframe')
  })

  it('fails a file over the 100 MB read cap with a clear message, and finishes the rest', { timeout: 120_000 }, async () => {
    const dir = workspace(['chelsea.png'])
    // a decodable PNG followed by 101 MB of (sparse) zeros: an image reader would accept it
    const huge = join(dir, 'in', 'huge.png')
    writeFileSync(huge, await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } }).png().toBuffer())
    truncateSync(huge, 101 * 1024 * 1024)
    const run = await cli(['in', '--ratios', '1:1', '--out', 'out', '--json'], { cwd: dir })
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout)
    const failure = report.results.find((r: { input: string }) => r.input.endsWith('huge.png'))
    expect(failure).toMatchObject({ ok: false, error: { kind: 'io', message: 'huge.png is larger than 100 MB, the most luma-reframe reads of one file.' } })
    expect(readdirSync(join(dir, 'out'))).toEqual(['chelsea_1x1_451x451.png'])
  })

  it('names a damaged file once, by its name, as damaged, and finishes the rest', { timeout: 120_000 }, async () => {
    const dir = workspace(['chelsea.png'])
    const rocket = readFileSync(join(FIXTURES, 'rocket.jpg'))
    writeFileSync(join(dir, 'in', 'coffee.jpg'), rocket.subarray(0, rocket.length >> 1))
    const run = await cli(['in', '--ratios', '1:1,16:9', '--out', 'out'], { cwd: dir })
    expect(run.code).toBe(1)
    const said = run.stdout.split('\n').filter((line) => line.includes('coffee.jpg is a damaged JPEG: the file ends early.'))
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/in\/coffee\.jpg\s+-\s+-\s+FAILED: coffee\.jpg is a damaged JPEG/)
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['chelsea_16x9_533x300.png', 'chelsea_1x1_451x451.png'])
  })

  it('refuses a decompression bomb from its header, before decoding it', { timeout: 120_000 }, async () => {
    const dir = workspace(['chelsea.png'])
    const bomb = bombPng(10_000)
    expect(bomb.length).toBeLessThan(100_000)
    const fd = openSync(join(dir, 'in', 'photo.png'), 'w')
    writeSync(fd, bomb)
    closeSync(fd)
    const run = await cli(['in', '--ratios', '1:1', '--out', 'out'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/in\/photo\.png\s+-\s+-\s+FAILED: photo\.png is 10000x10000 px \(100 MP\); the limit is 50 MP\./)
    expect(readdirSync(join(dir, 'out'))).toEqual(['chelsea_1x1_451x451.png'])
    expect(existsSync(join(dir, 'out', 'photo_1x1_10000x10000.png'))).toBe(false)
  })
})
