// A batch's frames on the canvas, through the real channel against the strict fake figma: made at
// once in order with a preview, filled in place as results arrive in any order, failures marked,
// unfinished frames removed on Cancel and on close, one undo step per batch.
import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { boxesCrowd, LABEL_SPACE, RESULT_GAP } from '../../src/core/layout'
import { planReframe } from '../../src/core/reframe-plan'
import { CANVAS_NAME_PATTERN } from '../../src/core/result-name'
import type { Box } from '../../src/core/ratios'
import type { SizeId } from '../../src/core/sizes'
import type { PlannedFrame } from '../../src/protocol/messages'
import type { FakeFrameNode, FakeSceneNode } from '../../preview/fakes/figma/fake-nodes'
import { imageRect, loadFixture, placeAt, startMain, type Main } from './start-main'

let main: Main
afterEach(() => main?.stop())

const images: Record<string, Uint8Array> = {}
beforeAll(async () => {
  const make = async (key: string, width: number, height: number, format: 'jpeg' | 'png') => {
    const image = sharp(loadFixture(key === 'logo' ? 'logo.png' : 'rocket.jpg')).resize(width, height, { fit: 'cover' })
    images[`${key}.${width}x${height}`] = new Uint8Array(await (format === 'jpeg' ? image.jpeg({ quality: 80 }) : image.png()).toBuffer())
  }
  await Promise.all([make('preview', 64, 64, 'jpeg'), make('result', 1536, 1536, 'jpeg'), make('logo', 1344, 1792, 'png')])
})

function planned(sourceNodeId: string, size: SizeId, layer = { width: 600, height: 400 }, key = `${sourceNodeId}|${size}`): PlannedFrame {
  const plan = planReframe({ layer, pixels: layer, size, engine: 'hosted', placement: 'center', frameMode: 'around' })
  const safe = plan.safeArea.width < plan.output.width || plan.safeArea.height < plan.output.height
  const k = plan.frame.width / plan.output.width
  return {
    key,
    sourceNodeId,
    size,
    frame: plan.frame,
    exported: plan.exported,
    ...(safe ? { safeArea: { x: plan.safeArea.x * k, y: plan.safeArea.y * k, width: plan.safeArea.width * k, height: plan.safeArea.height * k } } : {}),
    preview: { bytes: images['preview.64x64'], width: 64, height: 64 }
  }
}

/** The plugin running on a page with one 600 x 400 photo. */
async function startWithPhoto() {
  main = await startMain()
  const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
  await main.readyAsync()
  return photo
}

async function create(batchId: string, frames: PlannedFrame[]) {
  return (await main.ui.request('create-frames', { batchId, provider: 'eachlabs', prompt: 'a calm sea', namePattern: CANVAS_NAME_PATTERN, frames })).frames
}

async function fill(batchId: string, frameId: string, frame: PlannedFrame, image = images['result.1536x1536'], size = { width: 1536, height: 1536 }) {
  const { preview: _preview, ...rest } = frame
  return main.ui.request('fill-result', { batchId, frameId, planned: rest, namePattern: CANVAS_NAME_PATTERN, image: { bytes: image, ...size }, exported: size })
}

async function frameOf(id: string): Promise<FakeFrameNode> {
  return (await main.figma.getNodeByIdAsync(id)) as FakeFrameNode
}

function boxOf(node: FakeSceneNode): Box {
  return node.absoluteBoundingBox!
}

function expectNoOverlaps(nodes: readonly FakeSceneNode[]) {
  for (const a of nodes) for (const b of nodes) if (a !== b) expect(boxesCrowd(boxOf(a), boxOf(b)), `${a.name} overlaps ${b.name}`).toBe(false)
}

describe('create-frames', () => {
  it('makes every frame at once, in the order asked for, in one row right of its source, marked pending with a preview', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 100, y: 200, width: 600, height: 400 })
    photo.name = 'Hero'
    await main.readyAsync()
    const sizes: SizeId[] = ['1:1', '9:16', '16:9']
    const made = await create('b1', sizes.map((size) => planned(photo.id, size)))
    expect(made.map((m) => m.name)).toEqual(['Hero · 1:1', 'Hero · 9:16', 'Hero · 16:9'])
    const frames = await Promise.all(made.map((m) => frameOf(m.frameId)))
    expect(frames.map((f) => f.name)).toEqual(['Hero · 1:1 (pending)', 'Hero · 9:16 (pending)', 'Hero · 16:9 (pending)'])
    expect({ x: frames[0].x, y: frames[0].y }).toEqual({ x: 100 + 600 + RESULT_GAP, y: 200 })
    for (let i = 1; i < frames.length; i++) {
      expect(frames[i].y).toBe(200)
      expect(frames[i].x).toBe(frames[i - 1].x + frames[i - 1].width + RESULT_GAP)
    }
    for (const [i, frame] of frames.entries()) {
      // the plan's frame on whole pixels (600x1066.67 is 600x1067)
      const plan = planned(photo.id, sizes[i]).frame
      expect({ width: frame.width, height: frame.height }).toEqual({ width: Math.round(plan.width), height: Math.round(plan.height) })
      expect(frame.getPluginData('state')).toBe('pending')
      expect(frame.getPluginData('sourceNodeId')).toBe(photo.id)
      expect(frame.getPluginData('size')).toBe(sizes[i])
      const [paint] = frame.fills as ImagePaint[]
      expect(main.figma.getImageByHash(paint.imageHash!)!.bytes).toEqual(images['preview.64x64'])
    }
  })

  it('lays out sources side by side as one table right of both: every row at one x, the second row just below the first', async () => {
    main = await startMain()
    const a = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const b = imageRect(main.fake, 'rocket.jpg', { x: 700, y: 0, width: 640, height: 427 })
    await main.readyAsync()
    const sizes: SizeId[] = ['1:1', '9:16', '16:9']
    const made = await create('b1', [...sizes.map((size) => planned(a.id, size)), ...sizes.map((size) => planned(b.id, size, { width: 640, height: 427 }))])
    const frames = await Promise.all(made.map((m) => frameOf(m.frameId)))
    const rowA = frames.slice(0, 3)
    const rowB = frames.slice(3)
    expect({ x: rowA[0].x, y: rowA[0].y }).toEqual({ x: 700 + 640 + RESULT_GAP, y: 0 })
    // b's row would reach into a's 9:16 frame at b's height: moved down just enough, at the same x
    const bottomA = Math.max(...rowA.map((f) => f.y + f.height))
    expect({ x: rowB[0].x, y: rowB[0].y }).toEqual({ x: rowA[0].x, y: Math.ceil(bottomA + RESULT_GAP + LABEL_SPACE) })
    expect(rowB.every((f) => f.y === rowB[0].y)).toBe(true)
    expectNoOverlaps(main.figma.currentPage.children)
  })

  it('keeps a column of sources with frames taller than the gap between them in one table, no name over another node', async () => {
    main = await startMain()
    const a = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 640, height: 427 })
    const b = imageRect(main.fake, 'chelsea.png', { x: 0, y: 587, width: 451, height: 300 })
    const caption = main.fake.api.createRectangle()
    // a caption where the second row's names would go if the table started right of the sources
    placeAt(caption, { x: 800, y: 1170, width: 200, height: 20 })
    await main.readyAsync()
    const sizes: SizeId[] = ['1:1', '9:16']
    const made = await create('b1', [...sizes.map((size) => planned(a.id, size, { width: 640, height: 427 })), ...sizes.map((size) => planned(b.id, size, { width: 451, height: 300 }))])
    const frames = await Promise.all(made.map((m) => frameOf(m.frameId)))
    // one x for both rows, pushed past the caption; b's row clears a's tall 9:16 frame, not b's picture
    expect({ x: frames[0].x, y: frames[0].y }).toEqual({ x: 800 + 200 + RESULT_GAP, y: 0 })
    expect(frames[2].x).toBe(frames[0].x)
    expect(frames[2].y).toBe(Math.ceil(Math.max(frames[0].height, frames[1].height) + RESULT_GAP + LABEL_SPACE))
    for (const frame of frames) {
      expect(Number.isInteger(frame.x) && Number.isInteger(frame.y)).toBe(true)
      const named = { ...boxOf(frame), y: frame.y - LABEL_SPACE, height: frame.height + LABEL_SPACE }
      for (const other of main.figma.currentPage.children) if (other !== frame) expect(boxesCrowd(named, boxOf(other)), `${frame.name} and ${other.name}`).toBe(false)
    }
  })

  it('places frames at page level for sources nested in auto layout and instances, outside what they sit in', async () => {
    main = await startMain()
    const api = main.fake.api
    const page = placeAt(api.createFrame(), { x: 5000, y: 1000, width: 1400, height: 1000 })
    const row = placeAt(api.createFrame(), { x: 100, y: 200, width: 1200, height: 500 }, page)
    row.layoutMode = 'HORIZONTAL'
    row.paddingLeft = 20
    row.paddingTop = 30
    row.itemSpacing = 10
    imageRect(main.fake, 'chelsea.png', { x: 0, y: 0, width: 300, height: 200 }, {}, row)
    const nested = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 300, height: 200 }, {}, row)
    const component = api.createComponent()
    component.x = -3000
    component.resize(400, 400)
    component.fills = [{ type: 'IMAGE', imageHash: api.createImage(loadFixture('astronaut.png')).hash, scaleMode: 'FILL' }]
    const instance = component.createInstance()
    instance.x = -3000
    instance.y = 2500
    await main.readyAsync()
    const [inRow, fromInstance] = await create('b1', [planned(nested.id, '1:1', { width: 300, height: 200 }), planned(instance.id, '9:16', { width: 400, height: 400 })])
    const frame = await frameOf(inRow.frameId)
    expect(frame.parent).toBe(main.figma.currentPage)
    expect(nested.absoluteBoundingBox).toEqual({ x: 5430, y: 1230, width: 300, height: 200 })
    expect({ x: frame.x, y: frame.y }).toEqual({ x: 5000 + 1400 + RESULT_GAP, y: 1230 })
    const instanceFrame = await frameOf(fromInstance.frameId)
    expect({ x: instanceFrame.x, y: instanceFrame.y }).toEqual({ x: -3000 + 400 + RESULT_GAP, y: 2500 })
    expectNoOverlaps(main.figma.currentPage.children)
  })

  it('puts a second run of the same source right of the first, level with the source, never over it', async () => {
    const photo = await startWithPhoto()
    const first = await create('b1', [planned(photo.id, '1:1'), planned(photo.id, '16:9')])
    const second = await create('b2', [planned(photo.id, '1:1'), planned(photo.id, '16:9')])
    const firstFrames = await Promise.all(first.map((m) => frameOf(m.frameId)))
    const secondFrames = await Promise.all(second.map((m) => frameOf(m.frameId)))
    expect(firstFrames[0].y).toBe(0)
    // pushed right past the first run's row, still top-aligned with the source
    const last = firstFrames.at(-1)!
    expect({ x: secondFrames[0].x, y: secondFrames[0].y }).toEqual({ x: Math.ceil(last.x + last.width + RESULT_GAP), y: 0 })
    expectNoOverlaps(main.figma.currentPage.children)
  })

  it('draws a story’s safe area as frame guides', async () => {
    const photo = await startWithPhoto()
    const story = planned(photo.id, 'story')
    const [made] = await create('b1', [story])
    const frame = await frameOf(made.frameId)
    const s = story.safeArea!
    expect(frame.guides).toEqual([
      { axis: 'Y', offset: s.y },
      { axis: 'Y', offset: s.y + s.height },
      { axis: 'X', offset: s.x },
      { axis: 'X', offset: s.x + s.width }
    ])
    expect(frame.exportSettings).toEqual([{ format: 'JPG', suffix: '', constraint: { type: 'WIDTH', value: 1080 } }])
  })
})

describe('fill-result and mark-failed', () => {
  it('replaces the image of the same frame in place, whatever order results arrive in', async () => {
    const photo = await startWithPhoto()
    const frames = [planned(photo.id, '1:1'), planned(photo.id, '9:16'), planned(photo.id, '16:9')]
    const made = await create('b1', frames)
    const before = await Promise.all(made.map(async (m) => ({ ...boxOf(await frameOf(m.frameId)) })))
    const childCount = main.figma.currentPage.children.length
    // the host finishes them in reverse
    for (const i of [2, 1, 0]) {
      const filled = await fill('b1', made[i].frameId, frames[i])
      expect(filled.frameId).toBe(made[i].frameId)
    }
    expect(main.figma.currentPage.children.length).toBe(childCount)
    for (const [i, m] of made.entries()) {
      const frame = await frameOf(m.frameId)
      expect(boxOf(frame)).toEqual(before[i])
      expect(frame.name).toBe(`coffee · ${frames[i].size}`)
      expect(frame.getPluginData('state')).toBe('done')
      const [paint] = frame.fills as ImagePaint[]
      expect(main.figma.getImageByHash(paint.imageHash!)!.bytes).toEqual(images['result.1536x1536'])
      expect(frame.exportSettings).toEqual([{ format: 'JPG', suffix: '', constraint: { type: 'WIDTH', value: 1536 } }])
    }
  })

  it('marks a failed size on its frame with the reason, and a retry fills the same frame', async () => {
    const photo = await startWithPhoto()
    const frame = planned(photo.id, '3:4')
    const [made] = await create('b1', [frame])
    await main.ui.request('mark-failed', { batchId: 'b1', frameId: made.frameId, reason: 'The each::labs job failed: NSFW content detected.' })
    const node = await frameOf(made.frameId)
    expect(node.name).toBe('coffee · 3:4 (failed)')
    expect(node.getPluginData('state')).toBe('failed')
    expect(node.getPluginData('reason')).toContain('NSFW')
    await main.ui.request('finish-batch', { batchId: 'b1', failed: 1, cancelled: false })
    await fill('b2', made.frameId, frame, images['logo.1344x1792'], { width: 1344, height: 1792 })
    expect(node.name).toBe('coffee · 3:4')
    expect(node.getPluginData('state')).toBe('done')
    expect(node.exportSettings).toEqual([{ format: 'PNG', suffix: '', constraint: { type: 'WIDTH', value: 1344 } }])
  })

  it('makes a frame the designer deleted again beside its source: the result is finished and paid for', async () => {
    const photo = await startWithPhoto()
    const frame = planned(photo.id, '1:1')
    const [made] = await create('b1', [frame])
    ;(await frameOf(made.frameId)).remove()
    photo.remove()
    const filled = await fill('b1', made.frameId, frame)
    const again = await frameOf(filled.frameId)
    expect(filled.frameId).not.toBe(made.frameId)
    expect({ name: again.name, x: again.x, y: again.y }).toEqual({ name: 'coffee · 1:1', x: 600 + RESULT_GAP, y: 0 })
  })

  it('refuses an oversize or non-Figma image with a clear error and leaves the frame as it was', async () => {
    const photo = await startWithPhoto()
    photo.name = 'Hero'
    const frame = planned(photo.id, '16:9')
    const [made] = await create('b1', [frame])
    const oversize = new Uint8Array(await sharp(loadFixture('coffee.png')).resize(5000, 3000, { fit: 'fill' }).jpeg({ quality: 50 }).toBuffer())
    const webp = new Uint8Array(await sharp(loadFixture('coffee.png')).webp().toBuffer())
    await expect(fill('b1', made.frameId, frame, oversize, { width: 5000, height: 3000 })).rejects.toThrow(
      'The result "Hero · 16:9" was not placed: it is 5000×3000 px and Figma takes at most 4096 px a side'
    )
    await expect(fill('b1', made.frameId, frame, webp, { width: 600, height: 400 })).rejects.toThrow('The result "Hero · 16:9" was not placed: it is not a PNG, JPEG or GIF image')
    expect((await frameOf(made.frameId)).getPluginData('state')).toBe('pending')
  })

  it('refuses frames for a source it never saw', async () => {
    main = await startMain()
    await main.readyAsync()
    await expect(create('b1', [planned('123:456', '1:1')])).rejects.toThrow(/never seen/)
  })

  it('never writes the key anywhere in the document', async () => {
    const photo = await startWithPhoto()
    await main.ui.request('set-secret', { name: 'eachlabs', value: 'sk-SECRET-123456' })
    const [made] = await create('b1', [planned(photo.id, '1:1')])
    await fill('b1', made.frameId, planned(photo.id, '1:1'))
    for (const node of main.figma.currentPage.findAll()) {
      for (const key of node.getPluginDataKeys()) expect(node.getPluginData(key)).not.toContain('SECRET')
      expect(node.name).not.toContain('SECRET')
    }
  })
})

describe('the end of a batch', () => {
  it('selects and shows the frames, commits one undo step and notifies a summary', async () => {
    const photo = await startWithPhoto()
    const frames = [planned(photo.id, '1:1'), planned(photo.id, '9:16'), planned(photo.id, '16:9')]
    const made = await create('b1', frames)
    await fill('b1', made[0].frameId, frames[0])
    await fill('b1', made[1].frameId, frames[1])
    await main.ui.request('mark-failed', { batchId: 'b1', frameId: made[2].frameId, reason: 'failed' })
    expect(main.fake.hooks.undoCommits).toBe(0)
    expect(await main.ui.request('finish-batch', { batchId: 'b1', failed: 1, cancelled: false })).toEqual({ placed: 2, removed: 0 })
    expect(main.figma.currentPage.selection.map((n) => n.id)).toEqual(made.map((m) => m.frameId))
    expect(main.fake.hooks.undoCommits).toBe(1)
    const note = main.fake.hooks.notifications.at(-1)!
    expect(note.message).toMatch(/Placed 2 frames · 1 failed \(kept as marked placeholders: Retry failed, or delete them\)$/)
    expect(note.message.length).toBeLessThanOrEqual(100)
    // a finished batch is forgotten: finishing it again commits nothing
    expect(await main.ui.request('finish-batch', { batchId: 'b1', failed: 0, cancelled: false })).toEqual({ placed: 0, removed: 0 })
    expect(main.fake.hooks.undoCommits).toBe(1)
  })

  it('on Cancel removes the frames that never got a result, keeps the finished ones, and says so', async () => {
    const photo = await startWithPhoto()
    const frames = [planned(photo.id, '1:1'), planned(photo.id, '9:16'), planned(photo.id, '16:9')]
    const made = await create('b1', frames)
    await fill('b1', made[0].frameId, frames[0])
    expect(await main.ui.request('finish-batch', { batchId: 'b1', failed: 0, cancelled: true })).toEqual({ placed: 1, removed: 2 })
    expect((await frameOf(made[0].frameId)).name).toBe('coffee · 1:1')
    expect(await main.figma.getNodeByIdAsync(made[1].frameId)).toBeNull()
    expect(main.fake.hooks.notifications.at(-1)?.message).toMatch(/Cancelled · placed 1 frame · 2 unfinished removed$/)
  })

  it('closing the plugin mid-run leaves no frame that looks finished but is not', async () => {
    const photo = await startWithPhoto()
    const frames = [planned(photo.id, '1:1'), planned(photo.id, '9:16')]
    const made = await create('b1', frames)
    await fill('b1', made[0].frameId, frames[0])
    main.fake.closeByUser()
    expect((await frameOf(made[0].frameId)).getPluginData('state')).toBe('done')
    expect(await main.figma.getNodeByIdAsync(made[1].frameId)).toBeNull()
  })

  it('says an empty batch with failures as an error', async () => {
    main = await startMain()
    await main.readyAsync()
    await main.ui.request('finish-batch', { batchId: 'b2', failed: 2, cancelled: false })
    expect(main.fake.hooks.notifications.at(-1)).toEqual({ message: expect.stringMatching(/Nothing placed · 2 failed$/), options: { error: true } })
    expect(main.fake.hooks.undoCommits).toBe(0)
  })
})

describe('selected results', () => {
  it('stand for their original, listed once; a result of a deleted original is skipped with why', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const other = imageRect(main.fake, 'rocket.jpg', { x: 0, y: 2000, width: 640, height: 427 })
    await main.readyAsync()
    const made = await create('b1', [planned(photo.id, '1:1'), planned(photo.id, '16:9'), planned(other.id, '1:1', { width: 640, height: 427 })])
    const results = await Promise.all(made.map((m) => frameOf(m.frameId)))
    other.remove()
    const next = new Promise((resolve) => main.ui.on('selection', resolve))
    main.figma.currentPage.selection = results as never
    const selection = (await next) as { sources: Array<{ nodeId: string; via?: string[] }>; skipped: Array<{ name: string; reason: string }> }
    expect(selection.sources.map((s) => [s.nodeId, s.via])).toEqual([[photo.id, ['coffee · 1:1 (pending)', 'coffee · 16:9 (pending)']]])
    expect(selection.skipped).toEqual([expect.objectContaining({ name: 'rocket · 1:1 (pending)', reason: expect.stringMatching(/deleted/) })])
  })
})
