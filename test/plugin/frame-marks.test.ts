// Pending and failed frames look unfinished on the canvas and in their export (a dimmed picture
// behind a dashed edge, red when failed), and look finished again when their result lands; plugin
// data `state` says the same. Through the real channel against the strict fake figma and its renderer.
import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { planReframe } from '../../src/core/reframe-plan'
import { CANVAS_NAME_PATTERN } from '../../src/core/result-name'
import type { SizeId } from '../../src/core/sizes'
import type { PlannedFrame } from '../../src/protocol/messages'
import { FAILED_FILL_OPACITY, MARK_DASH_PATTERN, MARK_STROKE_WEIGHT, PENDING_FILL_OPACITY } from '../../src/plugin/result-frame-look'
import type { FakeFrameNode } from '../../preview/fakes/figma/fake-nodes'
import { imageRect, startMain, type Main } from './start-main'

let main: Main
afterEach(() => main?.stop())

/** Solid dark blue pictures: dimming and a red edge are easy to tell in their pixels. */
const blue: Record<string, Uint8Array> = {}
beforeAll(async () => {
  for (const edge of [64, 1536]) {
    const png = await sharp({ create: { width: edge, height: edge, channels: 4, background: { r: 0, g: 0, b: 140, alpha: 1 } } }).png().toBuffer()
    blue[edge] = new Uint8Array(png)
  }
})

function planned(sourceNodeId: string, size: SizeId): PlannedFrame {
  const layer = { width: 600, height: 400 }
  const plan = planReframe({ layer, pixels: layer, size, engine: 'hosted', placement: 'center', frameMode: 'around' })
  return { key: `${sourceNodeId}|${size}`, sourceNodeId, size, frame: plan.frame, exported: plan.exported, preview: { bytes: blue[64], width: 64, height: 64 } }
}

async function setUp(sizes: SizeId[]) {
  main = await startMain()
  const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
  await main.readyAsync()
  const frames = sizes.map((size) => planned(photo.id, size))
  const made = (await main.ui.request('create-frames', { batchId: 'b1', provider: 'eachlabs', prompt: '', namePattern: CANVAS_NAME_PATTERN, frames })).frames
  const nodes = await Promise.all(made.map(async (m) => (await main.figma.getNodeByIdAsync(m.frameId)) as FakeFrameNode))
  return { frames, made, nodes }
}

async function fill(frameId: string, frame: PlannedFrame) {
  const { preview: _preview, ...rest } = frame
  const size = { width: 1536, height: 1536 }
  return main.ui.request('fill-result', { batchId: 'b1', frameId, planned: rest, namePattern: CANVAS_NAME_PATTERN, image: { bytes: blue[1536], ...size }, exported: size })
}

/** RGBA of the exported file at a point given as fractions of its size, or in pixels from the top left. */
async function exportedPixel(node: FakeFrameNode, at: { x: number; y: number } | { px: number; py: number }): Promise<number[]> {
  const bytes = await node.exportAsync(node.exportSettings[0] as ExportSettingsImage)
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const x = 'px' in at ? at.px : Math.min(info.width - 1, Math.floor(at.x * info.width))
  const y = 'py' in at ? at.py : Math.min(info.height - 1, Math.floor(at.y * info.height))
  const i = (y * info.width + x) * 4
  return [...data.subarray(i, i + 4)]
}

const opacities = (node: FakeFrameNode) => (node.fills as readonly Paint[]).map((paint) => paint.opacity ?? 1)

describe('the look of a result frame', () => {
  it('shows a pending frame dimmed behind a grey dashed edge, on the canvas and in its export', async () => {
    const { nodes } = await setUp(['1:1', '16:9'])
    for (const node of nodes) {
      expect(node.getPluginData('state')).toBe('pending')
      expect(opacities(node)).toEqual([PENDING_FILL_OPACITY])
      expect(node.strokes).toEqual([{ type: 'SOLID', color: expect.objectContaining({ r: expect.any(Number) }) }])
      expect((node.strokes[0] as SolidPaint).color.r).toBeLessThan(0.6)
      expect({ weight: node.strokeWeight, align: node.strokeAlign, dash: node.dashPattern }).toEqual({ weight: MARK_STROKE_WEIGHT, align: 'INSIDE', dash: MARK_DASH_PATTERN })
    }
    const [, , , alpha] = await exportedPixel(nodes[0], { x: 0.5, y: 0.5 })
    expect(alpha).toBeCloseTo(PENDING_FILL_OPACITY * 255, -1)
  })

  it('shows a failed frame dimmed further behind a red dashed edge, and the export says so too', async () => {
    const { made, nodes } = await setUp(['1:1'])
    await main.ui.request('mark-failed', { batchId: 'b1', frameId: made[0].frameId, reason: 'each::labs: balance too low (402)' })
    const [node] = nodes
    expect(node.getPluginData('state')).toBe('failed')
    expect(node.getPluginData('reason')).toBe('each::labs: balance too low (402)')
    expect(opacities(node)).toEqual([FAILED_FILL_OPACITY])
    expect(node.strokes).toHaveLength(1)
    expect((node.strokes[0] as SolidPaint).color).toMatchObject({ r: expect.closeTo(0.9, 1), g: expect.closeTo(0.15, 1) })
    expect(node.dashPattern).toEqual(MARK_DASH_PATTERN)
    const [, , , centre] = await exportedPixel(node, { x: 0.5, y: 0.5 })
    expect(centre).toBeCloseTo(FAILED_FILL_OPACITY * 255, -1)
    // the top edge's first dash starts half a stroke in from the corner
    const [r, g, b, a] = await exportedPixel(node, { px: MARK_STROKE_WEIGHT, py: 1 })
    expect({ r: r > 200, g: g < 80, b: b < 80, a: a > 240 }).toEqual({ r: true, g: true, b: true, a: true })
  })

  it('takes the marks off when the result lands, also on a failed frame that Retry failed fills', async () => {
    const { frames, made, nodes } = await setUp(['1:1', '4:5'])
    await fill(made[0].frameId, frames[0])
    await main.ui.request('mark-failed', { batchId: 'b1', frameId: made[1].frameId, reason: 'timed out' })
    await fill(made[1].frameId, frames[1])
    for (const node of nodes) {
      expect(node.getPluginData('state')).toBe('done')
      expect(opacities(node)).toEqual([1])
      expect({ strokes: node.strokes, dash: node.dashPattern }).toEqual({ strokes: [], dash: [] })
      expect(await exportedPixel(node, { px: MARK_STROKE_WEIGHT, py: 1 })).toEqual([0, 0, 140, 255])
    }
  })

  it('marks a frame whose job ended without a word as failed when the batch ends, and the notification says what is left', async () => {
    const { frames, made, nodes } = await setUp(['1:1', '9:16', '16:9'])
    await main.ui.request('mark-failed', { batchId: 'b1', frameId: made[0].frameId, reason: 'balance too low (402)' })
    await main.ui.request('mark-failed', { batchId: 'b1', frameId: made[1].frameId, reason: 'balance too low (402)' })
    void frames
    await main.ui.request('finish-batch', { batchId: 'b1', failed: 2, cancelled: false })
    expect(nodes.map((node) => node.getPluginData('state'))).toEqual(['failed', 'failed', 'failed'])
    expect(opacities(nodes[2])).toEqual([FAILED_FILL_OPACITY])
    expect(nodes[2].strokes).toEqual(nodes[0].strokes)
    expect(main.fake.hooks.notifications.at(-1)).toEqual({
      message: expect.stringMatching(/Nothing placed · 3 failed \(kept as marked placeholders: Retry failed, or delete them\)$/),
      options: { error: true }
    })
  })
})

describe('the fake figma’s strokes', () => {
  it('refuses what Figma refuses', async () => {
    main = await startMain()
    const frame = main.fake.api.createFrame()
    expect({ weight: frame.strokeWeight, align: frame.strokeAlign, dash: frame.dashPattern }).toEqual({ weight: 1, align: 'INSIDE', dash: [] })
    expect(() => (frame.strokeWeight = -1)).toThrow(/strokeWeight/)
    expect(() => (frame.strokeWeight = Number.NaN)).toThrow(/strokeWeight/)
    expect(() => (frame.dashPattern = [4, -2])).toThrow(/dashPattern/)
    expect(() => (frame.strokeAlign = 'MIDDLE' as never)).toThrow(/strokeAlign/)
    frame.dashPattern = [4, 2]
    expect(frame.dashPattern).toEqual([4, 2])
    expect(Object.isFrozen(frame.dashPattern)).toBe(true)
  })
})
