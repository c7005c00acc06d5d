// The whole hosted flow in real Chromium: the built plugin in the preview, the UI talking to the fake
// each::labs host on loopback over real HTTP, results placed on the fake document.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { ratioValue, type RatioId } from '../../src/core/ratios'
import type { NodeSummary } from '../../preview/page/test-hooks'
import {
  clickNode,
  documentNodes,
  imageStats,
  notifications,
  openPreviewSession,
  pluginFrame,
  reloadPreview,
  screenshot,
  type PreviewSession
} from './preview-session'
import {
  RATIOS,
  chooseProvider,
  chooseSizes,
  placedFrames,
  pressReframe,
  resultFrames,
  saveKey,
  waitForBatchEnd,
  waitForPlaced,
  waitForRunning
} from './plugin-ui'

let session: PreviewSession

beforeAll(async () => {
  // short but real job lifecycles: queued, then running, then a downloadable JPEG
  session = await openPreviewSession({ eachlabs: { queuedMs: 150, runningMs: 350, scale: 1 / 4 } })
})

afterAll(async () => {
  await session?.close()
})

beforeEach(async () => {
  session.preview.eachlabs.faults.clear()
  session.preview.eachlabs.stats.reset()
  await reloadPreview(session)
})

async function hostedSetUp(key: string): Promise<Frame> {
  const ui = await pluginFrame(session.page)
  await clickNode(session.page, 'coffee')
  await clickNode(session.page, 'rocket', { shift: true })
  await ui.getByText('Images (2)').waitFor()
  await chooseProvider(ui, /each::labs/i)
  await saveKey(ui, key)
  await chooseSizes(ui, RATIOS)
  return ui
}

function overlaps(a: NodeSummary, b: NodeSummary): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

// generous: under the whole suite on two cores, Chromium shares the CPU with the other test files
describe('the preview with the fake each::labs host', { timeout: 90_000 }, () => {
  it('places one frame per image and size beside its source, with the right name, ratio and a real image', async () => {
    const ui = await hostedSetUp(session.preview.eachlabs.key)
    await pressReframe(ui)
    const frames = await waitForPlaced(session.page, 6)
    const text = await waitForBatchEnd(ui)
    await screenshot(session.page, 'hosted-six-frames')

    expect(text).toMatch(/6 placed/)
    expect(frames).toHaveLength(6)
    const nodes = await documentNodes(session.page)
    for (const sourceName of ['coffee', 'rocket']) {
      const source = nodes.find((n) => n.name === sourceName)!
      for (const ratio of RATIOS) {
        const frame = frames.find((f) => f.name === `${sourceName} · ${ratio}`)
        expect(frame, `${sourceName} · ${ratio}`).toBeDefined()
        expect(frame!.width / frame!.height).toBeCloseTo(ratioValue(ratio as RatioId), 2)
        // beside: to the right of its source, on the source's row
        expect(frame!.x).toBeGreaterThanOrEqual(source.x + source.width)
        expect(frame!.y).toBeLessThan(source.y + source.height)
        expect(frame!.y + frame!.height).toBeGreaterThan(source.y)
        expect(frame!.imageHash).not.toBeNull()
        const stats = await imageStats(session.page, frame!.imageHash!)
        expect(stats.width / stats.height).toBeCloseTo(ratioValue(ratio as RatioId), 1)
        expect(stats.stdDev, `${frame!.name} is not blank`).toBeGreaterThan(10)
      }
    }
    for (const a of frames) for (const b of nodes) if (a.id !== b.id) expect(overlaps(a, b), `${a.name} overlaps ${b.name}`).toBe(false)
    const fake = session.preview.eachlabs.stats
    expect(fake.uploads).toBe(2) // once per source, reused for every size
    expect(fake.creates).toBe(6)
    expect(fake.downloads).toBe(6)
  })

  it.each([
    ['fal', /^fal/i],
    ['replicate', /replicate/i]
  ] as const)('runs on the fake %s host too, with the key the header shows', async (id, label) => {
    const host = session.preview.hosts[id]
    await expect.poll(() => session.page.locator('#host-info').textContent()).toContain(host.key)
    const creates = host.stats.creates
    const ui = await pluginFrame(session.page)
    await clickNode(session.page, 'coffee')
    await chooseProvider(ui, label)
    await saveKey(ui, host.key, id === 'fal' ? 'fal' : 'Replicate')
    await chooseSizes(ui, ['9:16'])
    await pressReframe(ui)
    const [frame] = await waitForPlaced(session.page, 1)
    expect(await waitForBatchEnd(ui)).toMatch(/1 placed/)
    expect(frame.name).toBe('coffee · 9:16')
    expect(host.stats.creates - creates).toBe(1)
  })

  it('keeps the placed results when the run is cancelled, and stops talking to the host', async () => {
    const fake = session.preview.eachlabs
    // the first result downloads at once, every later download dribbles for seconds
    fake.faults.inject('download', { kind: 'slow', chunks: 40, chunkDelayMs: 250 }, { nth: 2, times: 100 })
    const ui = await hostedSetUp(fake.key)
    await pressReframe(ui)
    await waitForRunning(ui)
    await waitForPlaced(session.page, 1)
    await ui.getByRole('button', { name: /^Cancel/ }).click()
    const text = await waitForBatchEnd(ui)
    const placedAtCancel = await placedFrames(session.page)
    const requestsAtCancel = fake.stats.requests.length
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await screenshot(session.page, 'hosted-cancelled')

    expect(text).toMatch(/cancel/i)
    expect(placedAtCancel.length).toBeGreaterThanOrEqual(1)
    expect(placedAtCancel.length).toBeLessThan(6)
    const placedLater = await placedFrames(session.page)
    expect(placedLater.map((f) => f.id)).toEqual(placedAtCancel.map((f) => f.id))
    // the frames that never got a result are gone, and the notification says so
    expect((await resultFrames(session.page)).map((f) => f.id)).toEqual(placedAtCancel.map((f) => f.id))
    expect((await notifications(session.page)).at(-1)).toMatch(/unfinished removed/)
    for (const frame of placedLater) expect((await imageStats(session.page, frame.imageHash!)).stdDev).toBeGreaterThan(10)
    expect(fake.stats.requests.length, 'no request to the host after cancel').toBe(requestsAtCancel)
  })

  it('refuses a wrong key when it is saved (401): nothing is sent for a run and nothing is placed', async () => {
    const ui = await hostedSetUp('not-the-right-key')
    const status = await ui.locator('[id$="-status"][role="status"]').first().textContent()
    await screenshot(session.page, 'hosted-bad-key')
    const text = await ui.locator('body').innerText()

    expect(status).toMatch(/rejected this key \(401\)/)
    expect(text).not.toContain('not-the-right-key')
    expect(await ui.getByRole('button', { name: /^Reframe$/ }).count()).toBe(0)
    expect(text).toMatch(/Add your each::labs API key to reframe/)
    expect(await placedFrames(session.page)).toHaveLength(0)
    expect(session.preview.eachlabs.stats.creates).toBe(0)
    expect(session.preview.eachlabs.stats.uploads).toBe(0)
  })

  it('reports a key refused during the run (401) on every size, and places nothing', async () => {
    const fake = session.preview.eachlabs
    const ui = await hostedSetUp(fake.key)
    // the key was accepted on save, then revoked: the host refuses the upload of every image
    fake.faults.inject('presign', { kind: 'status', status: 401, message: 'Invalid API key' }, { times: 100 })
    await pressReframe(ui)
    const text = await waitForBatchEnd(ui)
    await screenshot(session.page, 'hosted-key-revoked')

    expect(text).toMatch(/6 failed/)
    expect(text).toMatch(/rejected the API key \(401\)/)
    expect(text).toMatch(/Check the API key in Settings/)
    expect(text).not.toContain(fake.key)
    expect(await placedFrames(session.page)).toHaveLength(0)
    expect(fake.stats.creates).toBe(0)
    // never retried: one refused presign per image
    expect(fake.stats.requests.filter((r) => r.route === 'presign')).toHaveLength(2)
  })

  it('retries only the failed size after a transient job failure, and then completes', async () => {
    const fake = session.preview.eachlabs
    fake.faults.failJobs('The model could not reframe this image (fake failure)', 1)
    const ui = await hostedSetUp(fake.key)
    await pressReframe(ui)
    const first = await waitForBatchEnd(ui)
    await screenshot(session.page, 'hosted-one-failed')
    expect(first).toMatch(/5 placed, 1 failed/)
    expect(first).toContain('fake failure')
    expect(await placedFrames(session.page)).toHaveLength(5)

    await ui.getByRole('button', { name: /^Retry failed/ }).click()
    await waitForPlaced(session.page, 6)
    const second = await waitForBatchEnd(ui)
    await screenshot(session.page, 'hosted-retried')

    expect(second).not.toMatch(/failed/)
    const frames = await placedFrames(session.page)
    expect(new Set(frames.map((f) => f.name)).size).toBe(6)
    expect(fake.stats.creates).toBe(7) // six, then only the failed one again
    expect(fake.stats.uploads).toBe(2)
  })

  it('keeps what was placed when the plugin window is closed mid-run, and can run again', async () => {
    const fake = session.preview.eachlabs
    fake.faults.inject('download', { kind: 'slow', chunks: 40, chunkDelayMs: 250 }, { nth: 2, times: 100 })
    const ui = await hostedSetUp(fake.key)
    await pressReframe(ui)
    await waitForPlaced(session.page, 1)
    await session.page.getByRole('button', { name: 'Close plugin' }).click()
    await session.page.getByRole('button', { name: /Run Luma Reframe again/ }).waitFor()
    const placedAtClose = await placedFrames(session.page)
    const requestsAtClose = fake.stats.requests.length
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await screenshot(session.page, 'hosted-closed-mid-run')

    expect(placedAtClose.length).toBeGreaterThanOrEqual(1)
    expect((await placedFrames(session.page)).map((f) => f.id)).toEqual(placedAtClose.map((f) => f.id))
    expect(fake.stats.requests.length, 'a closed plugin sends nothing').toBe(requestsAtClose)

    await session.page.getByRole('button', { name: /Run Luma Reframe again/ }).click()
    const again = await pluginFrame(session.page)
    // the new run gets the current selection from main after its ready handshake
    await again.getByRole('heading', { name: /Images \(2\)/ }).waitFor()
    const listed = await again.getByRole('list', { name: 'Images to reframe' }).innerText()
    expect(listed).toContain('coffee')
    expect(listed).toContain('rocket')
  })

  it('makes every frame at once in the order asked for, and fills those same frames in place whatever order results arrive in', async () => {
    const fake = session.preview.eachlabs
    // the first downloads are the slowest: results arrive roughly in reverse
    fake.faults.inject('download', { kind: 'slow', chunks: 12, chunkDelayMs: 120 }, { nth: 1, times: 1 })
    fake.faults.inject('download', { kind: 'slow', chunks: 6, chunkDelayMs: 120 }, { nth: 2, times: 1 })
    const ui = await hostedSetUp(fake.key)
    await pressReframe(ui)
    await session.page.waitForFunction(
      () => (window as unknown as { __preview: { nodes(): Array<{ state: string }> } }).__preview.nodes().filter((n) => n.state !== '').length >= 6,
      undefined,
      { polling: 50, timeout: 30_000 }
    )
    const atStart = await resultFrames(session.page)
    await screenshot(session.page, 'hosted-frames-at-once')
    await waitForBatchEnd(ui)
    const atEnd = await resultFrames(session.page)

    // the same six nodes, at the same places, now all filled
    const where = (frames: NodeSummary[]) => frames.map((f) => [f.id, f.x, f.y, f.width, f.height]).sort()
    expect(where(atEnd)).toEqual(where(atStart))
    expect(atEnd.every((f) => f.state === 'done')).toBe(true)
    const nodes = await documentNodes(session.page)
    for (const sourceName of ['coffee', 'rocket']) {
      const source = nodes.find((n) => n.name === sourceName)!
      const row = RATIOS.map((ratio) => atEnd.find((f) => f.name === `${sourceName} · ${ratio}`)!)
      // one row in the order asked for, left to right, top-aligned
      for (let i = 1; i < row.length; i++) {
        expect(row[i].x).toBeGreaterThan(row[i - 1].x + row[i - 1].width)
        expect(row[i].y).toBe(row[0].y)
      }
      // attached to its own source: level with it (to its right) or right below it
      const beside = row[0].y === source.y && row[0].x > source.x + source.width
      const below = row[0].x === source.x && row[0].y > source.y + source.height
      expect(beside || below, `${sourceName}'s row is beside or below it`).toBe(true)
    }
    // rows of different sources never interleave
    const hull = (frames: NodeSummary[]) => ({
      x: Math.min(...frames.map((f) => f.x)),
      y: Math.min(...frames.map((f) => f.y)),
      right: Math.max(...frames.map((f) => f.x + f.width)),
      bottom: Math.max(...frames.map((f) => f.y + f.height))
    })
    const a = hull(atEnd.filter((f) => f.name.startsWith('coffee')))
    const b = hull(atEnd.filter((f) => f.name.startsWith('rocket')))
    expect(a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom).toBe(false)
  })

  it('after a run, the selected results stand for their originals: the window counts images, not results', async () => {
    const ui = await hostedSetUp(session.preview.eachlabs.key)
    await pressReframe(ui)
    await waitForBatchEnd(ui)
    // main selected the six new frames
    expect((await documentNodes(session.page)).filter((n) => n.selected && n.state !== '')).toHaveLength(6)
    await ui.getByRole('button', { name: 'Done' }).click()
    await ui.getByRole('heading', { name: 'Images (2)' }).waitFor()
    const listed = await ui.getByRole('list', { name: 'Images to reframe' }).innerText()
    expect(listed).toMatch(/coffee[\s\S]*the original of 3 selected results/)
    expect(await ui.locator('#cost-line').innerText()).toMatch(/^2 images × 3 sizes = 6 reframes/)
  })
})
