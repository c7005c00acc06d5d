// The whole pipeline: a run as the plugin window makes it (frames first, then results) + the real main thread (src/plugin) on the fake figma,
// against the fake each::labs over HTTP. Prints wall / ideal (target <= 1.10) and the time each
// placed result spends in main (place-result round trip: validate, createImage, frame, placement).
// ideal = one 1-source x 1-size batch (export, upload, one job, download, place: the floor) plus one
// job latency for every further wave of `concurrency` jobs.
import { performance } from 'node:perf_hooks'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SizeId } from '../src/core/sizes'
import { nodeBackend } from '../src/imaging/backend-node'
import { createChannel, type Channel } from '../src/protocol/channel'
import { createEachlabsProvider } from '../src/providers/eachlabs'
import { createFakeFigma, installFakeFigma } from '../preview/fakes/figma/create-fake-figma'
import { renderWithSharp } from '../preview/fakes/figma/sharp-renderer'
import { startFakeEachlabs } from '../preview/fakes/providers'
import { UploadCache } from '../src/pipeline/upload-cache'
import { DEFAULT_SETTINGS } from '../src/protocol/settings'
import { startFigmaRunAsync } from '../ui/batch/run-in-figma'
import { jobsFor } from '../ui/hooks/use-batch'

const FIXTURES = join(import.meta.dirname, '../../shared/fixtures/images')
const QUEUED_MS = 200
const RUNNING_MS = 800
const CONCURRENCY = 6
const TUNING = { poll: { firstDelayMs: 20, growth: 1.5, ceilingMs: 50 }, retry: { baseDelayMs: 5, maxDelayMs: 20 } }

export async function run(): Promise<void> {
  const fakeFigma = createFakeFigma({ renderer: renderWithSharp, delayMs: 1 })
  const uninstall = installFakeFigma(fakeFigma)
  const fake = await startFakeEachlabs({ queuedMs: QUEUED_MS, runningMs: RUNNING_MS, scale: 1 / 4 })
  const warn = console.warn
  try {
    await import('../src/plugin/main')
    const ui = createChannel({
      post: (message) => fakeFigma.deliverToMain(message),
      subscribe: (receive) => fakeFigma.onUiMessage(receive),
      timeoutMs: 30_000
    })
    const firstSelection = new Promise<void>((resolve) => ui.on('selection', () => resolve()))
    const figma = fakeFigma.api
    const nodes = ['coffee.png', 'rocket.jpg', 'GreenMeadow.jpg'].map((file, i) => {
      const image = figma.createImage(new Uint8Array(readFileSync(join(FIXTURES, file))))
      const rect = figma.createRectangle()
      rect.name = file
      rect.resize(600, 400)
      rect.x = 0
      rect.y = i * 600
      rect.fills = [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' }]
      return rect
    })
    figma.currentPage.selection = nodes as never
    ui.emit('ready', {})
    await firstSelection

    const placeMs: number[] = []
    let framesAt = 0
    const timed: Pick<Channel, 'request'> = {
      async request(method, params, options) {
        const start = performance.now()
        const result = await ui.request(method, params, options)
        if (method === 'fill-result') placeMs.push(performance.now() - start)
        if (method === 'create-frames') framesAt = performance.now()
        return result
      }
    }
    const provider = createEachlabsProvider({ apiKey: fake.key, baseUrl: fake.url, tuning: TUNING })
    const batch = async (count: number, sizes: SizeId[]) => {
      const sources = nodes.slice(0, count).map((node) => ({ nodeId: node.id, name: node.name }))
      const layers = new Map(nodes.slice(0, count).map((node) => [node.id, { width: node.width, height: node.height }]))
      const start = performance.now()
      const run = await startFigmaRunAsync({
        main: timed,
        backend: nodeBackend,
        provider,
        settings: { ...DEFAULT_SETTINGS, provider: 'eachlabs', concurrency: CONCURRENCY },
        jobs: jobsFor(sources, sizes),
        layers,
        retry: false,
        frames: new Map(),
        tickets: new Map(),
        uploads: new UploadCache()
      })
      const summary = await run.finished
      if (summary.failed > 0) throw new Error(`bench batch had failures: ${[...summary.statuses.values()].map((s) => s.error).join('; ')}`)
      return { wall: performance.now() - start, placed: summary.done, framesMs: framesAt - start }
    }

    const floor = await batch(1, ['1:1'])
    placeMs.length = 0
    const uploadsBefore = fake.stats.uploads
    const sizes: SizeId[] = ['1:1', '9:16', '16:9']
    const full = await batch(3, sizes)
    const jobs = 3 * sizes.length
    const waves = Math.ceil(jobs / CONCURRENCY)
    const ideal = floor.wall + (waves - 1) * (QUEUED_MS + RUNNING_MS)
    const mean = placeMs.reduce((a, b) => a + b, 0) / placeMs.length
    console.log(`pipeline: ${jobs} reframes (3 images x ${sizes.length} sizes), concurrency ${CONCURRENCY}, job ${QUEUED_MS + RUNNING_MS} ms on the fake each::labs`)
    console.log(`  every frame on the canvas    ${full.framesMs.toFixed(0)} ms after Reframe  (target < 1000; previews from 256 px exports)`)
    console.log(`  floor (1 x 1 batch)          ${floor.wall.toFixed(0)} ms`)
    console.log(`  wall                         ${full.wall.toFixed(0)} ms`)
    console.log(`  ideal                        ${ideal.toFixed(0)} ms (${waves} waves)`)
    console.log(`  wall / ideal                 ${(full.wall / ideal).toFixed(3)}  (target <= 1.10)`)
    console.log(`  main per filled result       mean ${mean.toFixed(1)} ms, max ${Math.max(...placeMs).toFixed(1)} ms over ${placeMs.length} results`)
    console.log(`  filled frames                ${full.placed}, uploads ${fake.stats.uploads - uploadsBefore} for 3 images (a cropped layer may send its larger real region apart), max in flight ${fake.stats.maxInFlight}`)
    ui.close()
  } finally {
    console.warn = warn
    fakeFigma.closeByUser()
    uninstall()
    await fake.close()
  }
}
