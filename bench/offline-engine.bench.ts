// The offline engine against native image tools, as a user runs them: the whole `luma-reframe` process
// (--mode crop, --mode fill) on 4 real photos x 3 sizes, against plain sharp scripts doing the same job
// (bench/sharp-attention-crop.mjs, bench/sharp-blur-fill.mjs), in alternating pairs in the same run,
// median of 5: wall time and the child's peak RSS, and their ratios. Then the time per output in
// Chromium (the plugin's engine) for a 1920 px and a 3840 px image. Prints; asserts nothing.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import sharp from 'sharp'
import type { RatioId } from '../src/core/ratios'
import { bundleForBrowser } from '../preview/bundle-for-browser'

const here = dirname(fileURLToPath(import.meta.url))
const ROOT = join(here, '..')
const FIXTURES = join(ROOT, '../shared/fixtures/images')
const PHOTOS = ['Elephants_3840x2160.jpg', 'GreenMeadow.jpg', 'rocket.jpg', 'coffee.png'].map((name) => join(FIXTURES, name))
const RATIOS: RatioId[] = ['1:1', '9:16', '16:9']
const RUNS = 5
const TIME = '/usr/bin/time' // Debian package `time`; without it the child reports its own peak
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
const BROWSER_TARGETS: Record<string, number> = { 1920: 150, 3840: 400 }

type Measure = { seconds: number; cpuSeconds: number; peakMiB: number }
type Job = { label: string; args: (outDir: string) => string[] }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * Runs `node <args>` to the end: wall time from spawn to exit, and the peak RSS and CPU time (user +
 * system) of that process, from `/usr/bin/time -f '%M %U %S'` (measured from outside, by the kernel's
 * accounting of the child) or, without it, from a module preloaded into the child that writes
 * `process.resourceUsage()` at exit. Both children are measured the same way, and neither starts
 * processes of its own. CPU time is printed too: on a box shared with other work, wall time mostly
 * measures the others.
 */
async function measure(args: string[], work: string): Promise<Measure> {
  const report = join(work, `peak-${Math.random().toString(36).slice(2)}.txt`)
  const useTime = existsSync(TIME)
  const command = useTime ? TIME : process.execPath
  const argv = useTime ? ['-f', '%M %U %S', '-o', report, process.execPath, ...args] : ['--import', pathToFileURL(join(work, 'peak-rss.mjs')).href, ...args]
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, PEAK_RSS_FILE: report }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (exit) => (exit === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${exit}: ${stderr.slice(-500)}`))))
  })
  const seconds = (performance.now() - started) / 1000
  const [kib, user, system] = (await readFile(report, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number)
  if (![kib, user, system].every(Number.isFinite)) throw new Error(`no peak RSS or CPU time for ${args.join(' ')}`)
  return { seconds, cpuSeconds: user + system, peakMiB: kib / 1024 }
}

/** Runs `ours` and `theirs` in alternating pairs (who goes first alternates too), after one warm-up each. */
async function comparePair(ours: Job, theirs: Job, work: string) {
  const results = new Map<Job, Measure[]>([
    [ours, []],
    [theirs, []]
  ])
  const once = async (job: Job) => {
    const outDir = await mkdtemp(join(work, 'out-'))
    try {
      return await measure(job.args(outDir), work)
    } finally {
      await rm(outDir, { recursive: true, force: true })
    }
  }
  await once(ours)
  await once(theirs)
  for (let round = 0; round < RUNS; round++) {
    for (const job of round % 2 === 0 ? [ours, theirs] : [theirs, ours]) results.get(job)!.push(await once(job))
  }
  return { ours: summarise(results.get(ours)!), theirs: summarise(results.get(theirs)!) }
}

function summarise(measures: Measure[]): Measure {
  return {
    seconds: median(measures.map((m) => m.seconds)),
    cpuSeconds: median(measures.map((m) => m.cpuSeconds)),
    peakMiB: median(measures.map((m) => m.peakMiB))
  }
}

function describeMeasure(m: Measure): string {
  return `${m.seconds.toFixed(2)} s (cpu ${m.cpuSeconds.toFixed(2)} s), ${m.peakMiB.toFixed(0)} MiB`
}

const cli = (mode: 'crop' | 'fill'): Job => ({
  label: `luma-reframe --mode ${mode}`,
  args: (outDir) => ['bin/luma-reframe.mjs', ...PHOTOS, '--mode', mode, '--ratios', RATIOS.join(','), '--out', outDir]
})

const script = (file: string, label: string): Job => ({
  label,
  args: (outDir) => [join('bench', file), outDir, RATIOS.join(','), ...PHOTOS]
})

async function compareWithSharp(work: string): Promise<void> {
  const how = existsSync(TIME) ? `peak RSS and CPU by ${TIME}` : 'peak RSS and CPU reported by the child (process.resourceUsage())'
  console.log(`whole processes, ${PHOTOS.length} photos x ${RATIOS.length} sizes (${RATIOS.join(', ')}), alternating pairs, median of ${RUNS}; ${how}`)
  const rows: string[][] = [['mode', 'luma-reframe', 'sharp script', 'time ratio', 'cpu ratio', 'memory ratio']]
  const pairs: Array<[string, Job, Job]> = [
    ['crop', cli('crop'), script('sharp-attention-crop.mjs', "sharp resize({ fit: 'cover', position: 'attention' })")],
    ['fill', cli('fill'), script('sharp-blur-fill.mjs', 'sharp blur-and-composite')]
  ]
  for (const [mode, ours, theirs] of pairs) {
    const result = await comparePair(ours, theirs, work)
    rows.push([
      mode,
      describeMeasure(result.ours),
      describeMeasure(result.theirs),
      `${(result.ours.seconds / result.theirs.seconds).toFixed(2)}x (target <= 1.0x)`,
      `${(result.ours.cpuSeconds / result.theirs.cpuSeconds).toFixed(2)}x`,
      `${(result.ours.peakMiB / result.theirs.peakMiB).toFixed(2)}x (target <= 1.2x)`
    ])
  }
  printTable(rows)
  // what every luma-reframe run pays before it reads a pixel, for reading the ratios: the bundle the bin
  // runs (dist/cli.mjs), the same CLI from its sources through tsx (what the bin falls back to), and node
  // importing sharp (the baseline scripts' own start-up)
  const bundled = []
  const fromSources = []
  const bare = []
  for (let i = 0; i < 3; i++) {
    bundled.push(await measure(['bin/luma-reframe.mjs', '--help'], work))
    fromSources.push(await measure(['--import', 'tsx', 'src/cli/main.ts', '--help'], work))
    bare.push(await measure(['-e', "import('sharp')"], work))
  }
  console.log('start-up alone (--help), median of 3:')
  console.log(`  luma-reframe (dist/cli.mjs)  ${describeMeasure(summarise(bundled))}`)
  console.log(`  the sources through tsx      ${describeMeasure(summarise(fromSources))}`)
  console.log(`  node importing sharp         ${describeMeasure(summarise(bare))}`)
}

async function timeInChromium(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`\nChromium: not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); browser timings skipped`)
    return
  }
  const bundle = await bundleForBrowser(join(here, 'offline-engine-page.ts'))
  const elephants = await readFile(join(FIXTURES, 'Elephants_3840x2160.jpg'))
  const images: Array<{ name: string; long: number; format: 'png' | 'jpeg'; bytes: Buffer }> = [
    { name: 'Elephants at 1920x1080 (JPEG q92)', long: 1920, format: 'jpeg', bytes: await sharp(elephants).resize(1920, 1080).jpeg({ quality: 92 }).toBuffer() },
    { name: 'Flow.png (1920x1200, transparent)', long: 1920, format: 'png', bytes: await readFile(join(FIXTURES, 'Flow.png')) },
    { name: 'Elephants_3840x2160.jpg', long: 3840, format: 'jpeg', bytes: elephants }
  ]
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
  try {
    console.log(`\nChromium ${browser.version()}: time per output (render + encode; decode once per image, apart)`)
    console.log("'first': the size drawn the first time, on a fresh canvas (a new page for every image and mode)")
    console.log(`'again': median of ${RUNS} more, on the canvas the backend kept (same-size images in a batch, a Retry, a second run)`)
    console.log("'encode alone': the browser's encoder on a canvas of the same size, the floor under any engine")
    const rows: string[][] = [['image', 'mode', 'ratio', 'output', 'first ms', 'again ms', 'encode alone ms', 'target']]
    const notes: string[] = []
    for (const image of images) {
      for (const [mode, fill] of [
        ['crop', 'blur'],
        ['fill', 'blur'],
        ['fill', 'edge']
      ] as const) {
        const page = await browser.newPage()
        await page.setContent('<!doctype html><html><body></body></html>')
        await page.addScriptTag({ content: bundle })
        const result = (await page.evaluate(
          ([base64, format, m, f, ratios, runs]) =>
            (globalThis as unknown as { offlineEngine: { timeOutputs: (...a: unknown[]) => Promise<unknown> } }).offlineEngine.timeOutputs(base64, format, m, f, ratios, runs),
          [image.bytes.toString('base64'), image.format, mode, fill, RATIOS, RUNS] as const
        )) as { decodeMs: number; analysisMs: number; outputs: Array<{ ratio: string; size: string; unchanged: boolean; firstMs: number; againMs: number; encodeMs: number }> }
        await page.close()
        const target = BROWSER_TARGETS[image.long]
        for (const output of result.outputs) {
          const verdict = (ms: number) => (ms < target ? 'ok' : 'OVER')
          rows.push([
            image.name,
            mode === 'crop' ? 'crop' : `fill ${fill}`,
            output.ratio,
            output.unchanged ? `${output.size} (the file itself)` : output.size,
            output.firstMs.toFixed(0),
            output.againMs.toFixed(0),
            output.encodeMs.toFixed(0),
            `< ${target}: first ${verdict(output.firstMs)}, again ${verdict(output.againMs)}`
          ])
        }
        notes.push(`${image.name}, ${mode === 'crop' ? 'crop' : `fill ${fill}`}: decode ${result.decodeMs.toFixed(0)} ms${mode === 'crop' ? `, analysis ${result.analysisMs.toFixed(0)} ms (once per image)` : ''}`)
      }
    }
    printTable(rows)
    for (const note of notes) console.log(note)
  } finally {
    await browser.close()
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
}

export async function run(): Promise<void> {
  // the CLI as shipped: the bin runs dist/cli.mjs once it is built from the current sources (the build
  // script is plain JS, imported through a variable so the type-checker does not look for declarations)
  const buildScript = '../build.mjs'
  await ((await import(buildScript)) as { build: () => Promise<void> }).build()
  const work = await mkdtemp(join(tmpdir(), 'luma-offline-bench-'))
  try {
    await writeFile(
      join(work, 'peak-rss.mjs'),
      "import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => {\n  const usage = process.resourceUsage()\n  writeFileSync(process.env.PEAK_RSS_FILE, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}`)\n})\n"
    )
    await compareWithSharp(work)
    await timeInChromium()
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
