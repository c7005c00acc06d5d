import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeEachlabs, type FakeEachlabs } from '../../preview/fakes/providers'
import { PRESET_IDS, presetOf } from '../../src/core/sizes'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const BIN = join(root, 'bin/luma-reframe.mjs')
const FIXTURES = join(root, '../shared/fixtures/images')

type Run = { code: number; stdout: string; stderr: string }

/** The real bin in a child process, as a person runs it (stdout/stderr are pipes, so not a TTY). */
function cli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, EACHLABS_API_KEY: '', FAL_KEY: '', REPLICATE_API_TOKEN: '', ...options.env }
    execFile(process.execPath, [BIN, ...args], { cwd: options.cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

function workspace(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'luma-cli-'))
  mkdirSync(join(dir, 'in'))
  for (const f of files) copyFileSync(join(FIXTURES, f), join(dir, 'in', f))
  return dir
}

// each test runs the CLI in one or more child processes on a shared, loaded machine: give them room
const SLOW = { timeout: 120_000 }

type Written = { ratio: string; output: string; width: number; height: number; note?: string }

/** Every preset came back once, named by the default pattern, and its file has exactly the preset's pixels (read back). */
async function expectEveryPresetExact(results: Written[], folder: string, name: string) {
  expect(results.map((r) => r.ratio).sort()).toEqual([...PRESET_IDS].sort())
  for (const r of results) {
    const preset = presetOf(r.ratio as (typeof PRESET_IDS)[number])
    expect(r.output).toMatch(new RegExp(`^${folder}/${name}_${preset.id}_${preset.width}x${preset.height}\\.(png|jpg)$`))
    expect({ width: r.width, height: r.height }).toEqual({ width: preset.width, height: preset.height })
    const meta = await sharp(r.output).metadata()
    expect({ id: preset.id, width: meta.width, height: meta.height }).toEqual({ id: preset.id, width: preset.width, height: preset.height })
  }
}

describe('luma-reframe (offline engine)', SLOW, () => {
  it('reframes a folder, reports a corrupt file, finishes the rest and exits 1', async () => {
    const dir = workspace(['chelsea.png', 'rocket.jpg'])
    writeFileSync(join(dir, 'in', 'broken.jpg'), 'this is not a jpeg')
    const run = await cli(['in', '--ratios', '1:1,9:16,4:5', '--out', 'out'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'chelsea_1x1_451x451.png',
      'chelsea_4x5_451x564.png',
      'chelsea_9x16_451x802.png',
      'rocket_1x1_640x640.jpg',
      'rocket_4x5_640x800.jpg',
      'rocket_9x16_640x1138.jpg'
    ])
    const meta = await sharp(join(dir, 'out', 'rocket_9x16_640x1138.jpg')).metadata()
    expect(meta).toMatchObject({ format: 'jpeg', width: 640, height: 1138 })
    expect(run.stdout).toMatch(/in\/broken\.jpg\s+-\s+-\s+FAILED: This file is not a readable image/)
    expect(run.stdout).toContain('6 written, 1 failed')
    // not a terminal: one plain line per event
    expect(run.stderr).toContain('in/chelsea.png 9:16: done 451x802 -> out/chelsea_9x16_451x802.png')
  })

  it('crop mode writes next to the input by default and never overwrites: a re-run gets numbered names', async () => {
    const dir = workspace(['coffee.png'])
    const first = await cli(['in/coffee.png', '--mode', 'crop', '--ratios', '1:1'], { cwd: dir })
    expect(first.code).toBe(0)
    const original = readFileSync(join(dir, 'in', 'coffee_1x1_400x400.png'))
    const second = await cli(['in', '--mode', 'crop', '--ratios', '1:1', '--json'], { cwd: dir })
    expect(second.code).toBe(0)
    const report = JSON.parse(second.stdout)
    // the folder run skipped the earlier output (it is not an input) and kept it intact
    expect(report.results).toHaveLength(1)
    expect(report.results[0]).toMatchObject({ ok: true, ratio: '1:1', width: 400, height: 400 })
    expect(report.results[0].output).toBe(join(dir, 'in', 'coffee_1x1_400x400-2.png'))
    expect(readFileSync(join(dir, 'in', 'coffee_1x1_400x400.png')).equals(original)).toBe(true)
    expect(readdirSync(join(dir, 'in')).sort()).toEqual(['coffee.png', 'coffee_1x1_400x400-2.png', 'coffee_1x1_400x400.png'])
  })

  it('writes a file of exactly each preset\'s pixels in fill and in crop mode, and says when a crop was enlarged', { timeout: 240_000 }, async () => {
    // chelsea is 451x300: every preset's crop window is smaller than the preset, and fill fits it larger
    const dir = workspace(['chelsea.png'])
    for (const mode of ['fill', 'crop']) {
      const run = await cli(['in', '--mode', mode, '--sizes', PRESET_IDS.join(','), '--out', mode, '--json'], { cwd: dir })
      expect(run.code, run.stderr).toBe(0)
      const report = JSON.parse(run.stdout)
      expect(report).toMatchObject({ ok: true, mode, sizes: PRESET_IDS, written: PRESET_IDS.length })
      await expectEveryPresetExact(report.results, join(dir, mode), 'chelsea')
      if (mode === 'crop') {
        // the window of fb-link (1200x628) is 451x236: enlarged 2.66 times, said with one decimal
        expect(report.results.find((r: Written) => r.ratio === 'fb-link').note).toBe('upscaled 2.7x')
        for (const r of report.results) expect(r.note, r.ratio).toMatch(/^upscaled \d+(\.\d)?x$/)
      }
    }
  })

  it('mixes presets and ratios in --sizes, names files by the pattern or by --name, and a folder re-run skips its outputs', { timeout: 240_000 }, async () => {
    const dir = workspace(['coffee.png'])
    const first = await cli(['in', '--sizes', 'ig-portrait,story,16:9', '--mode', 'crop'], { cwd: dir })
    expect(first.code, first.stderr).toBe(0)
    expect(readdirSync(join(dir, 'in')).sort()).toEqual(['coffee.png', 'coffee_16x9_600x338.png', 'coffee_ig-portrait_1080x1350.png', 'coffee_story_1080x1920.png'])
    // the note on the progress line and in the table
    expect(first.stderr).toContain('in/coffee.png story: done 1080x1920 -> in/coffee_story_1080x1920.png (upscaled 4.8x)')
    expect(first.stdout).toMatch(/in\/coffee\.png\s+story\s+1080x1920\s+in\/coffee_story_1080x1920\.png \(upscaled 4\.8x\)/)
    expect(first.stdout).toMatch(/in\/coffee\.png\s+16:9\s+600x338\s+in\/coffee_16x9_600x338\.png\n/)

    // the folder holds the first run's outputs: only coffee.png is read again
    const named = ['in', '--sizes', 'story', '--name', 'campaign-{preset}-{name}', '--json']
    const second = JSON.parse((await cli(named, { cwd: dir })).stdout)
    expect(second.results).toEqual([expect.objectContaining({ ratio: 'story', output: join(dir, 'in', 'campaign-story-coffee.png'), width: 1080, height: 1920 })])
    // and a pattern with {preset} knows its own names too
    const third = JSON.parse((await cli(named, { cwd: dir })).stdout)
    expect(third.results).toEqual([expect.objectContaining({ output: join(dir, 'in', 'campaign-story-coffee-2.png') })])
  })

  it('--json reports every result and failure for machines', async () => {
    const dir = workspace(['palette_color.png'])
    writeFileSync(join(dir, 'in', 'empty.png'), '')
    const run = await cli(['in/palette_color.png', 'in/empty.png', 'in/missing.png', '--ratios', '16:9', '--json', '--out', 'o'], { cwd: dir })
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ ok: false, provider: 'local', written: 1, failed: 2 })
    const failures = report.results.filter((r: { ok: boolean }) => !r.ok)
    expect(failures.map((f: { input: string }) => f.input.split('/').pop()).sort()).toEqual(['empty.png', 'missing.png'])
    expect(failures.find((f: { input: string }) => f.input.endsWith('missing.png')).error.message).toBe('No such file or folder.')
  })

  it('rejects bad usage with exit 2 and a clear sentence', async () => {
    const dir = workspace([])
    const badRatio = await cli(['in', '--ratios', '5:7'], { cwd: dir })
    expect(badRatio.code).toBe(2)
    expect(badRatio.stderr).toContain('--ratios: "5:7" is not a size. Use ratios 1:1')
    const none = await cli([], { cwd: dir })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('Give at least one image file or folder.')
    const help = await cli(['--help'], { cwd: dir })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: luma-reframe')
    expect(help.stdout).toContain('EACHLABS_API_KEY')
  })

  it('names the missing key variable and exits 2 before doing anything', async () => {
    const dir = workspace(['chelsea.png'])
    for (const [provider, variable] of [
      ['eachlabs', 'EACHLABS_API_KEY'],
      ['fal', 'FAL_KEY'],
      ['replicate', 'REPLICATE_API_TOKEN']
    ]) {
      const run = await cli(['in', '--provider', provider, '--out', 'out'], { cwd: dir })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(variable)
    }
    expect(readdirSync(dir)).toEqual(['in'])
  })
})

describe('luma-reframe against the fake each::labs', SLOW, () => {
  let fake: FakeEachlabs
  beforeAll(async () => {
    fake = await startFakeEachlabs({ queuedMs: 10, runningMs: 20 })
  })
  afterAll(async () => {
    await fake.close()
  })

  it('uploads each file once, runs every ratio, crops presets from the generated margin', async () => {
    fake.stats.reset()
    const dir = workspace(['chelsea.png', 'astronaut.png'])
    const run = await cli(['in', '--provider', 'eachlabs', '--base-url', fake.url, '--ratios', '1:1,16:9,4:5', '--out', 'out', '--json'], {
      cwd: dir,
      env: { EACHLABS_API_KEY: fake.key }
    })
    expect(run.stderr).not.toContain(fake.key)
    expect(run.stdout).not.toContain(fake.key)
    expect(run.code).toBe(0)
    expect(fake.stats.uploads).toBe(2)
    expect(fake.stats.creates).toBe(6)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ ok: true, provider: 'eachlabs', written: 6 })
    const astronaut = report.results.filter((r: { input: string }) => r.input.endsWith('astronaut.png'))
    const size = (ratio: string) => astronaut.find((r: { ratio: string }) => r.ratio === ratio)
    // at the source's own pixels (512 px astronaut), the original composited back, whatever size the host made
    expect(size('1:1')).toMatchObject({ width: 512, height: 512 })
    expect(size('16:9')).toMatchObject({ width: 910, height: 512 })
    // 4:5 of a square source: generated as 3:4 (taller), cropped top and bottom to 4:5
    expect(size('4:5')).toMatchObject({ width: 512, height: 640 })
    expect(fake.jobs.jobs.size).toBe(6)
    // both files' 4:5 were asked for as 3:4
    expect([...fake.jobs.jobs.values()].filter((job) => job.ratio === '3:4')).toHaveLength(2)
    for (const r of report.results) {
      const meta = await sharp(r.output).metadata()
      expect({ width: meta.width, height: meta.height }).toEqual({ width: r.width, height: r.height })
      expect(r.output).toMatch(new RegExp(`_${r.ratio.replace(':', 'x')}_${r.width}x${r.height}\\.(jpg|png)$`))
    }
  })

  it('writes a file of exactly each preset\'s pixels', async () => {
    const dir = workspace(['chelsea.png'])
    const run = await cli(['in', '--provider', 'eachlabs', '--base-url', fake.url, '--sizes', PRESET_IDS.join(','), '--out', 'out', '--json'], {
      cwd: dir,
      env: { EACHLABS_API_KEY: fake.key }
    })
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ ok: true, provider: 'eachlabs', written: PRESET_IDS.length })
    await expectEveryPresetExact(report.results, join(dir, 'out'), 'chelsea')
  })

  it('reports a rejected key as a failed file and exits 1', async () => {
    const dir = workspace(['chelsea.png'])
    const run = await cli(['in', '--provider', 'eachlabs', '--base-url', fake.url, '--ratios', '1:1', '--out', 'out'], {
      cwd: dir,
      env: { EACHLABS_API_KEY: 'wrong-key-123' }
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/FAILED: .*(401|key)/i)
    expect(run.stdout + run.stderr).not.toContain('wrong-key-123')
  })
})
