import { describe, expect, it } from 'vitest'
import { isOwnOutputName } from '../../src/cli/collect-inputs'
import { createProgressReporter } from '../../src/cli/progress-reporter'
import { outputName } from '../../src/cli/write-output'

function fakeStream(isTTY: boolean) {
  const chunks: string[] = []
  return { chunks, stream: { isTTY, columns: 120, write: (text: string) => chunks.push(text) } }
}

describe('output names', () => {
  it('writes <name>.<ratio>.<width>x<height>.<ext> with the ratio slugged and numbered duplicates', () => {
    expect(outputName('/a/photo.final.PNG', '9:16', { width: 1152, height: 2048, format: 'jpeg' })).toBe('photo.final.9x16.1152x2048.jpg')
    expect(outputName('shot.webp', '1.91:1', { width: 1910, height: 1000, format: 'png' }, 3)).toBe('shot.1.91x1.1910x1000-3.png')
  })

  it('recognises its own outputs so a folder re-run does not reframe them again', () => {
    expect(isOwnOutputName('photo.9x16.1152x2048.jpg')).toBe(true)
    expect(isOwnOutputName('shot.1.91x1.1910x1000-3.png')).toBe(true)
    expect(isOwnOutputName('photo.png')).toBe(false)
    expect(isOwnOutputName('holiday.2024.png')).toBe(false)
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
    reporter.jobWritten('/w/a.png', '1:1', '/w/out/a.1x1.10x10.png', 10, 10)
    expect(chunks).toEqual(['a.png 1:1: generating (position 3)\n', 'a.png 1:1: done 10x10 -> out/a.1x1.10x10.png\n'])
  })
})
