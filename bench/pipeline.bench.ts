// The whole pipeline: the headless batch as the plugin window runs it + the real main thread (src/plugin) on the fake figma,
// against the fake each::labs over HTTP. Prints wall / ideal (target <= 1.10) and the time each
// placed result spends in main (place-result round trip: validate, createImage, frame, placement).
// ideal = one 1-source x 1-size batch (export, upload, one job, download, place: the floor) plus one
// job latency for every further wave of `concurrency` jobs.
import { performance } from 'node:perf_hooks'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SizeId } from '../src/core/sizes'
import { nodeCodec } from '../src/imaging/codec-node'
import { createChannel, type Channel } from '../src/protocol/channel'
import { createEachlabsProvider } from '../src/providers/eachlabs'
import { createFakeFigma, installFakeFigma } from '../preview/fakes/figma/create-fake-figma'
import { renderWithSharp } from '../preview/fakes/figma/sharp-renderer'
import { startFakeEachlabs } from '../preview/fakes/providers'
import { newBatchId, startBatch } from '../src/pipeline/run-batch'
import { pluginDelivery } from '../ui/batch/plugin-delivery'
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
    const timed: Pick<Channel, 'request'> = {
      async request(method, params, options) {
        const start = performance.now()
        const result = await ui.request(method, params, options)
        if (method === 'place-result') placeMs.push(performance.now() - start)
        return result
      }
    }
    const provider = createEachlabsProvider({ apiKey: fake.key, baseUrl: fake.url, tuning: TUNING })
    const batch = async (count: number, ratios: SizeId[]) => {
      const sources = nodes.slice(0, count).map((node) => ({ nodeId: node.id, name: node.name }))
      const start = performance.now()
      const batchId = newBatchId()
      const summary = await startBatch(
        { batchId, jobs: jobsFor(sources, ratios), prompt: '', placement: 'center', frameMode: 'around', exportMaxEdge: 2048 },
        {
          provider,
          engine: 'hosted',
          concurrency: CONCURRENCY,
          ...pluginDelivery({ main: timed, codec: nodeCodec, batchId, provider: 'eachlabs', prompt: '', exportMaxEdge: 2048 })
        }
      ).done
      if (summary.failed > 0) throw new Error(`bench batch had failures: ${[...summary.statuses.values()].map((s) => s.error).join('; ')}`)
      return { wall: performance.now() - start, placed: summary.done }
    }

    const floor = await batch(1, ['1:1'])
    placeMs.length = 0
    const ratios: SizeId[] = ['1:1', '9:16', '16:9']
    const full = await batch(3, ratios)
    const jobs = 3 * ratios.length
    const waves = Math.ceil(jobs / CONCURRENCY)
    const ideal = floor.wall + (waves - 1) * (QUEUED_MS + RUNNING_MS)
    const mean = placeMs.reduce((a, b) => a + b, 0) / placeMs.length
    console.log(`pipeline: ${jobs} reframes (3 images x ${ratios.length} sizes), concurrency ${CONCURRENCY}, job ${QUEUED_MS + RUNNING_MS} ms on the fake each::labs`)
    console.log(`  floor (1 x 1 batch)          ${floor.wall.toFixed(0)} ms`)
    console.log(`  wall                         ${full.wall.toFixed(0)} ms`)
    console.log(`  ideal                        ${ideal.toFixed(0)} ms (${waves} waves)`)
    console.log(`  wall / ideal                 ${(full.wall / ideal).toFixed(3)}  (target <= 1.10)`)
    console.log(`  main per placed result       mean ${mean.toFixed(1)} ms, max ${Math.max(...placeMs).toFixed(1)} ms over ${placeMs.length} results`)
    console.log(`  placed frames                ${full.placed}, uploads ${fake.stats.uploads}, max in flight ${fake.stats.maxInFlight}`)
    ui.close()
  } finally {
    console.warn = warn
    fakeFigma.closeByUser()
    uninstall()
    await fake.close()
  }
}
