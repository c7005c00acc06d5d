// Where the CLI writes: every output folder is checked before any job starts (a hosted job that
// cannot be saved is money spent for nothing), and --overwrite never writes through a symlink.
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeEachlabs, type FakeEachlabs } from '../../preview/fakes/providers'
import { cli, FIXTURES, workspace } from './cli-process'

const STACK_LINE = /^\s+at /m

describe('luma-reframe checks where it writes before it starts', () => {
  it('refuses an --out that is a file, lies under a file, or is read-only: exit 2, one sentence, no stack trace', { timeout: 180_000 }, async () => {
    const dir = workspace(['chelsea.png'])
    writeFileSync(join(dir, 'ok.png'), 'a file, not a folder')
    mkdirSync(join(dir, 'ro'))
    chmodSync(join(dir, 'ro'), 0o555)
    const cases: Array<[string, RegExp]> = [
      ['ok.png', /--out ok\.png is a file, not a folder; choose a folder\./],
      ['ok.png/sub', /--out ok\.png\/sub cannot be created: ok\.png is a file, not a folder; choose a folder\./],
      ['ro', /--out ro is not writable \(permission denied\); choose a folder you can write to\./]
    ]
    for (const [out, message] of cases) {
      const run = await cli(['in', '--ratios', '1:1', '--out', out], { cwd: dir, asOtherUser: true })
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toMatch(message)
      expect(run.stderr).not.toMatch(STACK_LINE)
      // refused before any file was read: no progress at all
      expect(run.stderr).not.toContain('started')
    }
    expect(readdirSync(join(dir, 'ro'))).toEqual([])
  })

  describe('against the fake each::labs', () => {
    let fake: FakeEachlabs
    beforeAll(async () => {
      fake = await startFakeEachlabs({ queuedMs: 10, runningMs: 20 })
    })
    afterAll(async () => {
      await fake.close()
    })

    it('checks a read-only --out before any hosted job: nothing uploaded, no job created', { timeout: 120_000 }, async () => {
      fake.stats.reset()
      const dir = workspace(['chelsea.png'])
      mkdirSync(join(dir, 'ro'))
      chmodSync(join(dir, 'ro'), 0o555)
      const run = await cli(['in', '--provider', 'eachlabs', '--base-url', fake.url, '--ratios', '1:1,9:16,16:9', '--out', 'ro'], {
        cwd: dir,
        env: { EACHLABS_API_KEY: fake.key },
        asOtherUser: true
      })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('--out ro is not writable')
      expect(fake.stats.uploads).toBe(0)
      expect(fake.stats.creates).toBe(0)
    })

    it('without --out, a file whose own folder is not writable fails as that file before any job for it', { timeout: 120_000 }, async () => {
      fake.stats.reset()
      const dir = workspace(['chelsea.png'])
      mkdirSync(join(dir, 'locked'))
      writeFileSync(join(dir, 'locked', 'rocket.jpg'), readFileSync(join(FIXTURES, 'rocket.jpg')))
      chmodSync(join(dir, 'locked'), 0o555)
      const run = await cli(['in', 'locked/rocket.jpg', '--provider', 'eachlabs', '--base-url', fake.url, '--ratios', '1:1', '--json'], {
        cwd: dir,
        env: { EACHLABS_API_KEY: fake.key },
        asOtherUser: true
      })
      expect(run.code).toBe(1)
      const report = JSON.parse(run.stdout)
      expect(report.results).toEqual([
        expect.objectContaining({ input: join(dir, 'locked', 'rocket.jpg'), ok: false, error: { kind: 'io', message: expect.stringMatching(/^locked is not writable \(permission denied\), so results for locked\/rocket\.jpg cannot be saved next to it; use --out\.$/) } }),
        expect.objectContaining({ input: join(dir, 'in', 'chelsea.png'), ok: true, ratio: '1:1' })
      ])
      // only the file that can be saved was uploaded and run
      expect(fake.stats.uploads).toBe(1)
      expect(fake.stats.creates).toBe(1)
      expect(readdirSync(join(dir, 'locked'))).toEqual(['rocket.jpg'])
    })
  })

  it('--overwrite replaces a symlink at an output path with a regular file and never writes through it', { timeout: 120_000 }, async () => {
    const dir = workspace(['chelsea.png'])
    const first = await cli(['in', '--ratios', '1:1,9:16', '--out', 'out'], { cwd: dir })
    expect(first.code).toBe(0)
    const input = readFileSync(join(dir, 'in', 'chelsea.png'))
    writeFileSync(join(dir, 'victim.txt'), 'not yours')
    // one output name points at the input itself, the other at a file outside the output folder
    const square = join(dir, 'out', 'chelsea_1x1_451x451.png')
    const tall = join(dir, 'out', 'chelsea_9x16_451x802.png')
    for (const [path, target] of [
      [square, '../in/chelsea.png'],
      [tall, '../victim.txt']
    ]) {
      rmSync(path)
      symlinkSync(target, path)
    }
    const run = await cli(['in', '--ratios', '1:1,9:16', '--out', 'out', '--overwrite'], { cwd: dir })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(readFileSync(join(dir, 'in', 'chelsea.png')).equals(input)).toBe(true)
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('not yours')
    for (const path of [square, tall]) {
      expect(lstatSync(path).isFile()).toBe(true)
      expect(lstatSync(path).size).toBeGreaterThan(1000)
    }
    // no temporary files left behind
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['chelsea_1x1_451x451.png', 'chelsea_9x16_451x802.png'])
  })

  it('--overwrite never replaces an input, even one reached through a linked folder under another name', { timeout: 120_000 }, async () => {
    const dir = workspace(['chelsea.png'])
    // an input named exactly like chelsea.png's square output, and --out a link to the inputs' folder
    copyFileSync(join(FIXTURES, 'rocket.jpg'), join(dir, 'in', 'chelsea_1x1_451x451.png'))
    const before = readFileSync(join(dir, 'in', 'chelsea_1x1_451x451.png'))
    symlinkSync('in', join(dir, 'alias'))
    const run = await cli(['in/chelsea.png', 'in/chelsea_1x1_451x451.png', '--ratios', '1:1', '--out', 'alias', '--overwrite', '--json'], { cwd: dir })
    expect(readFileSync(join(dir, 'in', 'chelsea_1x1_451x451.png')).equals(before)).toBe(true)
    const report = JSON.parse(run.stdout)
    const square = report.results.find((r: { input: string }) => r.input.endsWith('chelsea.png'))
    expect(square).toMatchObject({ ok: true, output: join(dir, 'alias', 'chelsea_1x1_451x451-2.png') })
  })
})
