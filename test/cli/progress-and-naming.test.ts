import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../src/cli/cli-options'
import { collectInputs } from '../../src/cli/collect-inputs'
import { outputNameShape, ownOutputMatcher } from '../../src/cli/own-output-names'
import { createProgressReporter } from '../../src/cli/progress-reporter'
import { inAskedOrder } from '../../src/cli/summary'
import type { Outcome } from '../../src/cli/outcome'
import { usageText } from '../../src/cli/usage'
import { outputName } from '../../src/cli/write-output'
import { RATIO_IDS } from '../../src/core/ratios'
import { PLATFORM_PRESETS, PRESET_IDS, type SizeId } from '../../src/core/sizes'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

function fakeStream(isTTY: boolean) {
  const chunks: string[] = []
  return { chunks, stream: { isTTY, columns: 120, write: (text: string) => chunks.push(text) } }
}

describe('--sizes', () => {
  const run = (argv: string[]) => {
    const parsed = parseCliArgs(['in', ...argv])
    if (parsed.kind !== 'run') throw new Error(parsed.kind === 'usage-error' ? parsed.message : parsed.kind)
    return parsed.options
  }
  const usageError = (argv: string[]) => {
    const parsed = parseCliArgs(['in', ...argv])
    return parsed.kind === 'usage-error' ? parsed.message : undefined
  }

  it('takes ratios and preset ids mixed, in the order given, each once; 1:1, 9:16 and 16:9 by default', () => {
    expect(run([]).sizes).toEqual(['1:1', '9:16', '16:9'])
    expect(run(['--sizes', 'ig-portrait,story,16:9']).sizes).toEqual(['ig-portrait', 'story', '16:9'])
    expect(run(['-s', ' Story , 1.91:1,story ']).sizes).toEqual(['story', '1.91:1'])
    expect(run(['--sizes', [...PRESET_IDS, ...RATIO_IDS].join(',')]).sizes).toEqual([...PRESET_IDS, ...RATIO_IDS])
  })

  it('keeps --ratios (and -r) as another name for the same list', () => {
    expect(run(['--ratios', 'ig-square,4:5']).sizes).toEqual(['ig-square', '4:5'])
    expect(run(['-r', '9:16']).sizes).toEqual(['9:16'])
    expect(usageError(['--ratios', '1:1', '--sizes', '9:16'])).toBe('--ratios is another name for --sizes: give one list, with --sizes.')
  })

  it('names an unknown size in one sentence with every valid id, under the flag that was typed', () => {
    const message = usageError(['--sizes', '16:9,ig-portait'])!
    expect(message).toMatch(/^--sizes: "ig-portait" is not a size\. Use ratios 1:1, 16:9, .*1\.91:1 or presets ig-square, ig-portrait, story, .*pinterest/)
    expect(usageError(['--ratios', '5:7'])).toMatch(/^--ratios: "5:7" is not a size\./)
    expect(usageError(['--sizes', ','])).toMatch(/^--sizes needs at least one size/)
  })

  it('takes a --name pattern and refuses braces that are not tokens', () => {
    expect(run([]).name).toBe('{name}_{preset}_{width}x{height}')
    expect(run(['--name', 'campaign-{preset}-{name}']).name).toBe('campaign-{preset}-{name}')
    expect(usageError(['--name', '{nmae}_{preset}'])).toBe('--name: {nmae} is not a token; use {name}, {preset}, {width} and {height}.')
    expect(usageError(['--name', ' '])).toMatch(/^--name needs a pattern/)
  })

  it('lists every preset id with its pixels in --help', () => {
    const help = usageText()
    for (const preset of PLATFORM_PRESETS) expect(help).toMatch(new RegExp(`${preset.id} +${preset.width}x${preset.height} +${preset.name.replace(/[/]/g, '\\/')}`))
    expect(help).toContain('safe zone 250/340 px top/bottom, 60/120 left/right')
    expect(help).toContain('--ratios LIST')
    expect(help).toContain('--name PATTERN')
  })
})

describe('output names', () => {
  it('names files {name}_{preset}_{width}x{height} by default: a preset by its id, a ratio with an x', () => {
    expect(outputName('/a/coffee.png', 'ig-portrait', { width: 1080, height: 1350, format: 'jpeg' })).toBe('coffee_ig-portrait_1080x1350.jpg')
    expect(outputName('/a/coffee.png', '16:9', { width: 711, height: 400, format: 'png' })).toBe('coffee_16x9_711x400.png')
    expect(outputName('shot.final.webp', '1.91:1', { width: 1910, height: 1000, format: 'png' }, undefined, 3)).toBe('shot.final_1.91x1_1910x1000-3.png')
  })

  it('names files by a --name pattern, with characters files cannot carry made safe', () => {
    const image = { width: 1080, height: 1920, format: 'jpeg' } as const
    expect(outputName('in/coffee.png', 'story', image, 'spring/{name} {preset}')).toBe('spring-coffee story.jpg')
    expect(outputName('in/coffee.png', 'story', image, '{preset}-{width}', 2)).toBe('story-1080-2.jpg')
    expect(outputName('in/coffee.png', '9:16', image, '..{name}:{preset}')).toBe('coffee-9x16.jpg')
  })

  it('recognises its own outputs so a folder re-run does not reframe them again: the default pattern and the names from before', () => {
    const own = ownOutputMatcher()
    for (const name of ['coffee_ig-portrait_1080x1350.jpg', 'my_photo_16x9_711x400-2.png', 'a_1.91x1_1910x1000.png', 'photo.9x16.1152x2048.jpg', 'shot.1.91x1.1910x1000-3.png']) {
      expect(own(name), name).toBe(true)
    }
    for (const name of ['photo.png', 'holiday.2024.png', 'holiday_2024_1920x1080.jpg', 'coffee_story.jpg', 'coffee_ig-portrait_1080x1350.txt']) {
      expect(own(name), name).toBe(false)
    }
  })

  it('recognises the outputs of a --name pattern that holds {preset}, and says a pattern without it cannot be told apart', () => {
    const own = ownOutputMatcher('{preset} - {name}')
    expect(own('story - coffee.jpg')).toBe(true)
    expect(own('16x9 - coffee-2.png')).toBe(true)
    expect(own('coffee_story_1080x1920.jpg')).toBe(true)
    expect(own('summer - coffee.jpg')).toBe(false)
    expect(outputNameShape('{name}-{width}x{height}')).toBeNull()
    expect(ownOutputMatcher('{name}-{width}x{height}')('coffee-1080x1920.jpg')).toBe(false)
  })

  it('leaves a folder\'s outputs out of a re-run, and still takes one named explicitly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luma-names-'))
    for (const name of ['coffee.png', 'coffee_story_1080x1920.jpg', 'coffee.9x16.1152x2048.jpg', 'story-coffee.jpg']) writeFileSync(join(dir, name), '')
    const folder = await collectInputs([dir], '/', ownOutputMatcher('{preset}-{name}'))
    expect(folder.files.map((f) => f.slice(dir.length + 1))).toEqual(['coffee.png'])
    const named = await collectInputs([join(dir, 'coffee_story_1080x1920.jpg')], '/', ownOutputMatcher())
    expect(named.files).toEqual([join(dir, 'coffee_story_1080x1920.jpg')])
  })
})

describe('progress', () => {
  it('on a terminal redraws one line per file with each ratio and its size', async () => {
    const { chunks, stream } = fakeStream(true)
    const reporter = createProgressReporter(stream, '/w', ['1:1', '9:16'])
    reporter.fileStarted('/w/a.png')
    reporter.job('/w/a.png', '1:1', 'generating')
    reporter.jobWritten('/w/a.png', '9:16', '/w/a.9x16.9x16.png', 288, 512)
    reporter.fileStarted('/w/b.png')
    reporter.fileFailed('/w/b.png', 'Not an image.')
    reporter.finish()
    const screen = chunks.join('')
    expect(chunks).toHaveLength(1) // events within 80 ms are drawn once
    expect(screen).toContain('a.png  1:1 ⟳  9:16 ✓ 288x512')
    expect(screen).toContain('b.png  ✗ Not an image.')
    reporter.jobWritten('/w/a.png', '1:1', '/w/x.png', 512, 512)
    reporter.finish()
    expect(chunks[1].startsWith('\x1b[2A')).toBe(true) // moves up over the two lines it drew
  })

  it('on a terminal too, shows control characters in names escaped, never sends them raw', () => {
    const { chunks, stream } = fakeStream(true)
    const reporter = createProgressReporter(stream, '/w', ['1:1'])
    reporter.fileStarted('/w/\x1b]0;pwned\x07.png')
    reporter.fileFailed('/w/\x1b[2Jgone.png', 'No such file or folder.')
    reporter.finish()
    const screen = chunks.join('')
    expect(screen).toContain('\\x1b]0;pwned\\x07.png  reading')
    expect(screen).toContain('\\x1b[2Jgone.png  ✗ No such file or folder.')
    // the only escape sequences are the reporter's own: clear line, and nothing else
    expect(screen.replace(/\r\x1b\[2K/g, '')).not.toMatch(/[\x00-\x09\x0b-\x1f]/)
  })

  it('elsewhere prints one plain line per event', () => {
    const { chunks, stream } = fakeStream(false)
    const reporter = createProgressReporter(stream, '/w', ['1:1'])
    reporter.job('/w/a.png', '1:1', 'generating', 'position 3')
    reporter.jobWritten('/w/a.png', '1:1', '/w/out/a_1x1_10x10.png', 10, 10)
    reporter.jobWritten('/w/a.png', 'story', '/w/out/a_story_1080x1920.png', 1080, 1920, 'upscaled 2.4x')
    expect(chunks).toEqual([
      'a.png 1:1: generating (position 3)\n',
      'a.png 1:1: done 10x10 -> out/a_1x1_10x10.png\n',
      'a.png story: done 1080x1920 -> out/a_story_1080x1920.png (upscaled 2.4x)\n'
    ])
  })
})

describe('the summary', () => {
  it('lists results in the order asked (files, then each file sizes), whatever order they finished in', () => {
    const done = (input: string, ratio: SizeId): Outcome => ({ input, ratio, ok: true, output: `${input}-${ratio}`, width: 1, height: 1 })
    const finished: Outcome[] = [
      done('b.png', 'story'),
      done('a.png', '9:16'),
      { input: 'c.png', ok: false, error: { kind: 'decode', message: 'damaged' } },
      done('b.png', '1:1'),
      done('a.png', 'story'),
      done('a.png', '1:1')
    ]
    const ordered = inAskedOrder(finished, ['a.png', 'b.png', 'c.png'], ['1:1', '9:16', 'story'])
    expect(ordered.map((o) => `${o.input} ${o.ratio ?? '-'}`)).toEqual(['a.png 1:1', 'a.png 9:16', 'a.png story', 'b.png 1:1', 'b.png story', 'c.png -'])
  })
})
