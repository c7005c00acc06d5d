// How long the plugin window freezes during a large offline job: the preview (real built plugin, fake
// figma) in Chromium reframes Elephants_3840x2160.jpg into 1:1, 9:16 and 16:9 with each offline engine,
// while the plugin iframe records its long tasks (PerformanceObserver 'longtask') and the longest gap
// between two animation frames. Runs the pixel work on the image worker and, side by side in the same
// run, on the window's own thread (Worker hidden from the iframe, the fallback the plugin takes when a
// browser has none). Median of RUNS per row. Prints; asserts nothing. Needs `node build.mjs` first.
import { chromium, type Frame, type Page } from 'playwright-core'
import { startPreview } from '../preview/server'

const FIXTURE = 'Elephants_3840x2160.jpg'
const RATIOS = ['1:1', '9:16', '16:9']
const RUNS = 3
const ENGINES = [
  ['fill', 'Fill'],
  ['crop', 'Smart crop']
] as const
const WHERE = ['worker', 'main-thread'] as const
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']

/** The preview's read-only hooks this bench uses (preview/page/test-hooks.ts). */
type Hooks = { ready?: boolean; nodes(): Array<{ id: string; name: string }>; clientCenterOf(id: string): { x: number; y: number } }

type Stalls = { longestTaskMs: number; longestOwnTaskMs: number; longTasks: number; longestFrameGapMs: number; jobMs: number; pixelWork: string }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Starts recording inside the plugin iframe: long tasks and the longest gap between animation frames. */
async function startRecording(ui: Frame) {
  // a string, not a function: tsx's helpers (__name) do not exist inside the page
  await ui.evaluate(`(() => {
    const record = { longest: 0, self: 0, count: 0, gap: 0, stop: false }
    window.__stalls = record
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        record.count += 1
        record.longest = Math.max(record.longest, entry.duration)
        // 'self': the window's own script, not the page around it
        if (entry.name === 'self') record.self = Math.max(record.self, entry.duration)
      }
    }).observe({ type: 'longtask' })
    let last = performance.now()
    function tick(now) {
      record.gap = Math.max(record.gap, now - last)
      last = now
      if (!record.stop) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })()`)
}

type Recorded = { longest: number; self: number; count: number; gap: number; pixelWork: string }

async function stopRecording(ui: Frame): Promise<Recorded> {
  return ui.evaluate(`(() => {
    const record = window.__stalls
    record.stop = true
    return { ...record, pixelWork: document.documentElement.dataset.pixelWork ?? 'unknown' }
  })()`)
}

/** Picks the offline engine's mode; the control follows once the settings have gone through main. */
async function chooseEngine(ui: Frame, engine: string) {
  const radio = ui.getByRole('radio', { name: engine })
  // a DOM click: the window may be scrolled inside the preview's panel, out of the mouse's reach
  if (!(await radio.isChecked())) await radio.dispatchEvent('click')
  await ui.waitForFunction(`[...document.querySelectorAll('input[type=radio]')].some((input) => input.checked && input.parentElement.textContent.trim() === ${JSON.stringify(engine)})`)
}

/** Exactly these sizes checked (the size checkboxes are named by their ratio first). */
async function chooseSizes(ui: Frame, ratios: readonly string[]) {
  const boxes = ui.getByRole('checkbox')
  for (let i = 0; i < (await boxes.count()); i += 1) {
    const box = boxes.nth(i)
    const ratio = ((await box.getAttribute('aria-label')) ?? '').split(/[ ,]/)[0]
    if (/^\d/.test(ratio) && (await box.isChecked()) !== ratios.includes(ratio)) await box.setChecked(ratios.includes(ratio), { force: true })
  }
}

async function pluginFrame(page: Page): Promise<Frame> {
  const frame = await (await page.waitForSelector('#plugin-frame-holder iframe')).contentFrame()
  if (frame === null) throw new Error('The plugin iframe has no document')
  return frame
}

async function selectNode(page: Page, name: string) {
  const point = await page.evaluate(`(() => {
    const hooks = window.__preview
    const node = hooks.nodes().find((n) => n.name === ${JSON.stringify(name)})
    return node && hooks.clientCenterOf(node.id)
  })()`) as { x: number; y: number } | undefined
  if (point === undefined) throw new Error(`No node named "${name}" on the page`)
  await page.mouse.click(point.x, point.y)
}

async function runOnce(page: Page, url: string, engine: string): Promise<Stalls> {
  await page.goto(url)
  await page.waitForFunction(() => (window as unknown as { __preview?: Hooks }).__preview?.ready === true)
  const ui = await pluginFrame(page)
  await selectNode(page, FIXTURE.replace(/\.\w+$/, ''))
  await ui.getByText('Images (1)').waitFor()
  await chooseEngine(ui, engine)
  await chooseSizes(ui, RATIOS)
  await startRecording(ui)
  const started = Date.now()
  const reframe = ui.getByRole('button', { name: /^Reframe$/ })
  await ui.waitForFunction(`[...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Reframe' && !b.disabled)`)
  await reframe.click()
  // the batch is over when Cancel is gone
  await ui.waitForFunction(
    `/3 placed/.test(document.body.innerText) && ![...document.querySelectorAll('button')].some((b) => /^Cancel/.test(b.textContent.trim()))`,
    undefined,
    { timeout: 120_000, polling: 100 }
  )
  const text = await ui.locator('body').innerText()
  const jobMs = Date.now() - started
  if (!/3 placed/.test(text)) throw new Error(`the job did not place 3 frames: ${text.slice(0, 300)}`)
  const { longest, self, count, gap, pixelWork } = await stopRecording(ui)
  return { longestTaskMs: longest, longestOwnTaskMs: self, longTasks: count, longestFrameGapMs: gap, jobMs, pixelWork }
}

export async function run() {
  const preview = await startPreview({ fixtures: [FIXTURE], log: () => {} })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
  try {
    const pages = {
      worker: await browser.newPage({ viewport: { width: 1400, height: 900 } }),
      'main-thread': await browser.newPage({ viewport: { width: 1400, height: 900 } })
    }
    // a browser without workers: the plugin window draws on its own thread
    await pages['main-thread'].addInitScript(() => {
      if (window.name === 'plugin-ui') Reflect.deleteProperty(window, 'Worker')
    })
    console.log(`${FIXTURE} x ${RATIOS.join(', ')} in the preview's plugin window, median of ${RUNS} (longest long task / long tasks / longest gap between frames / Reframe to done)`)
    for (const [id, engine] of ENGINES) {
      const results = new Map<string, Stalls[]>(WHERE.map((where) => [where, []]))
      for (let round = 0; round < RUNS; round++) {
        // who goes first alternates, so neither always runs on a warmer machine
        for (const where of round % 2 === 0 ? WHERE : [...WHERE].reverse()) results.get(where)!.push(await runOnce(pages[where], preview.url, engine))
      }
      for (const where of WHERE) {
        const rows = results.get(where)!
        const used = [...new Set(rows.map((r) => r.pixelWork))].join('/')
        console.log(
          `  ${id.padEnd(5)} ${where.padEnd(11)} (pixels on: ${used.padEnd(11)}) longest task ${median(rows.map((r) => r.longestTaskMs)).toFixed(0).padStart(5)} ms` +
            ` (own ${median(rows.map((r) => r.longestOwnTaskMs)).toFixed(0).padStart(4)} ms)` +
            `  long tasks ${String(median(rows.map((r) => r.longTasks))).padStart(3)}` +
            `  longest frame gap ${median(rows.map((r) => r.longestFrameGapMs)).toFixed(0).padStart(5)} ms` +
            `  job ${median(rows.map((r) => r.jobMs)).toFixed(0).padStart(5)} ms`
        )
      }
    }
  } finally {
    await browser.close()
    await preview.close()
  }
}
