// Ctrl+C: the batch is cancelled at once (hosted jobs on the host too), the summary printed and the CLI
// exits 130 without waiting for pixel work or hosts; a second Ctrl+C exits immediately. The time from
// SIGINT to exit is printed (the 2 s goal holds by design: pixel work never runs on the CLI's main
// thread, and the wait after cancel is bounded), never asserted: this box is shared and loaded.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeEachlabs, type FakeEachlabs } from '../../preview/fakes/providers'
import { createInterruptHandler } from '../../src/cli/interrupt-handler'
import { FIXTURES, startCli, workspace, type LiveCli } from './cli-process'

/**
 * big/: two 49 MP photos (just within the pixel budget) reframed to all seven ratios, ten jobs at
 * once: seconds of pixel work per output, so Ctrl+C lands in the middle of it, and a CLI that waited
 * for the outputs in flight would still be busy after the 30 s guard. mid/: two 9 MP photos, enough
 * for a second Ctrl+C to arrive mid-run.
 */
let dir: string
beforeAll(async () => {
  dir = workspace()
  for (const [folder, side, names] of [
    ['big', 7000, ['one.jpg', 'two.jpg']],
    ['mid', 3000, ['one.jpg', 'two.jpg']]
  ] as const) {
    mkdirSync(join(dir, folder))
    for (const name of names) {
      await sharp(join(FIXTURES, 'Elephants_3840x2160.jpg')).resize(side, side, { fit: 'fill' }).jpeg({ quality: 80 }).toFile(join(dir, folder, name))
    }
  }
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * Sends SIGINT (a second one once the first was heard: two sent at once may reach the process as
 * one) and waits for the exit; a CLI still running 30 s later is killed so the test fails, not hangs.
 */
async function interrupt(live: LiveCli, times: 1 | 2) {
  const sentAt = performance.now()
  live.signal('SIGINT')
  if (times === 2) {
    await live.stderrMatches(/Interrupted: cancelling/).catch(() => undefined)
    live.signal('SIGINT')
  }
  const guard = setTimeout(() => live.signal('SIGKILL'), 30_000)
  const run = await live.exited
  clearTimeout(guard)
  return { ...run, ms: Math.round(run.exitedAt - sentAt) }
}

describe('Ctrl+C handling', () => {
  it('cancels the run on the first Ctrl+C and exits at once with 130 on the second', () => {
    const seen: string[] = []
    const onInterrupt = createInterruptHandler({
      cancel: () => seen.push('cancel'),
      exit: (code) => seen.push(`exit ${code}`),
      write: (text) => seen.push(text.trim())
    })
    onInterrupt()
    expect(seen).toEqual(['Interrupted: cancelling jobs in flight (Ctrl+C again to quit at once)...', 'cancel'])
    onInterrupt()
    expect(seen.slice(2)).toEqual(['Interrupted again: exiting now.', 'exit 130'])
  })
})

describe('luma-reframe on Ctrl+C (offline engine)', () => {
  it('cancels every job, prints the summary and exits 130 while pixel work is running', { timeout: 180_000 }, async () => {
    const live = startCli(['big', '--mode', 'crop', '--ratios', '1:1,16:9,9:16,4:3,3:4,21:9,9:21', '--concurrency', '10', '--out', 'out'], { cwd: dir })
    await live.stderrMatches(/: generating/)
    const run = await interrupt(live, 1)
    console.log(`offline engine: SIGINT -> exit in ${run.ms} ms`)
    expect(run.signal).toBeNull()
    expect(run.code).toBe(130)
    expect(run.stderr).toContain('Interrupted: cancelling')
    // the summary still comes, with every job that did not finish marked cancelled
    expect(run.stdout).toMatch(/\d+ written, \d+ failed/)
    expect(run.stdout).toContain('FAILED: Cancelled.')
  })

  it('exits with 130 on a second Ctrl+C, never killed by it', { timeout: 180_000 }, async () => {
    const live = startCli(['mid', '--mode', 'crop', '--ratios', '1:1,9:16,16:9', '--out', 'out2'], { cwd: dir })
    await live.stderrMatches(/: generating/)
    const run = await interrupt(live, 2)
    // the first Ctrl+C may already have finished the run by the time the second arrives
    const path = /Interrupted again: exiting now/.test(run.stderr) ? 'the second exited at once' : 'the first had already ended the run'
    console.log(`offline engine: SIGINT twice -> exit in ${run.ms} ms (${path})`)
    expect(run.signal).toBeNull()
    expect(run.code).toBe(130)
  })
})

describe('luma-reframe on Ctrl+C (hosted)', () => {
  let fake: FakeEachlabs
  beforeAll(async () => {
    // jobs that would run for a minute: only a cancel ends them early
    fake = await startFakeEachlabs({ queuedMs: 10, runningMs: 60_000 })
  })
  afterAll(async () => {
    await fake.close()
  })

  it('aborts every job in flight, cancels each on the host, prints the summary and exits 130', { timeout: 180_000 }, async () => {
    const hosted = workspace(['chelsea.png', 'rocket.jpg'])
    const live = startCli(['in', '--provider', 'eachlabs', '--base-url', fake.url, '--ratios', '1:1,9:16,16:9', '--out', 'out', '--json'], {
      cwd: hosted,
      env: { EACHLABS_API_KEY: fake.key }
    })
    await live.stderrMatches(/(: generating \(running\)[\s\S]*){6}/)
    const run = await interrupt(live, 1)
    console.log(`hosted (each::labs fake): SIGINT -> exit in ${run.ms} ms`)
    expect(run.signal).toBeNull()
    expect(run.code).toBe(130)
    const report = JSON.parse(run.stdout)
    expect(report.results).toHaveLength(6)
    for (const result of report.results) expect(result).toMatchObject({ ok: false, error: { kind: 'cancelled' } })
    // the host heard of every cancel (jobs left running would still be paid for); an exited CLI sends
    // nothing more, so six cancels are all it will ever get, each for its own job
    await fake.stats.until(() => fake.stats.cancels === 6)
    const cancelled = fake.stats.requests.filter((r) => r.route === 'cancel').map((r) => r.jobId)
    expect(new Set(cancelled).size).toBe(6)
  })
})
