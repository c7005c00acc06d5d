// A file name is data, not terminal commands: control characters in names are printed escaped in
// progress, the summary table and errors; --json keeps the real names (JSON escapes them).
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { printable } from '../../src/cli/printable'
import { cli, FIXTURES, workspace } from './cli-process'

/** C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows. */
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe('printable', () => {
  it('escapes control characters and bidi overrides, and leaves every other character alone', () => {
    expect(printable('\x1b[31mred.png')).toBe('\\x1b[31mred.png')
    expect(printable('a\nb\tc\rd\x07')).toBe('a\\nb\\tc\\rd\\x07')
    expect(printable('x\u009by\u202egnp.exe')).toBe('x\\x9by\\u202egnp.exe')
    expect(printable('Ünïcödé 写真 📷.png')).toBe('Ünïcödé 写真 📷.png')
  })
})

describe('luma-reframe prints names safely', () => {
  it('escapes control characters in every name it prints: progress, summary and errors', { timeout: 120_000 }, async () => {
    const dir = workspace()
    const red = '\x1b[31mred.png'
    const title = '\x1b]0;pwned\x07title.png'
    copyFileSync(join(FIXTURES, 'chelsea.png'), join(dir, 'in', red))
    writeFileSync(join(dir, 'in', title), 'not an image')
    const run = await cli(['in', `in/gone\x1b[2J.png`, '--ratios', '1:1', '--out', 'out'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stdout).not.toMatch(RAW_CONTROLS)
    expect(run.stderr).not.toMatch(RAW_CONTROLS)
    // progress (an output's name never carries control characters: the file pattern writes them as -)
    expect(run.stderr).toContain('in/\\x1b[31mred.png 1:1: done 451x451 -> out/-[31mred_1x1_451x451.png')
    expect(run.stderr).toContain('in/\\x1b]0;pwned\\x07title.png: FAILED')
    expect(run.stderr).toContain('in/gone\\x1b[2J.png: FAILED No such file or folder.')
    // summary
    expect(run.stdout).toMatch(/in\/\\x1b\[31mred\.png\s+1:1\s+451x451\s+out\/-\[31mred_1x1_451x451\.png/)
    expect(run.stdout).toContain('in/\\x1b]0;pwned\\x07title.png')
  })

  it('--json keeps the real names, escaped as JSON strings', { timeout: 120_000 }, async () => {
    const dir = workspace()
    const red = '\x1b[31mred\u202e.png'
    copyFileSync(join(FIXTURES, 'chelsea.png'), join(dir, 'in', red))
    const run = await cli(['in', '--ratios', '1:1', '--out', 'out', '--json'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(RAW_CONTROLS)
    const report = JSON.parse(run.stdout)
    expect(report.results[0]).toMatchObject({ ok: true, input: join(dir, 'in', red), output: join(dir, 'out', '-[31mred\u202e_1x1_451x451.png') })
  })
})
