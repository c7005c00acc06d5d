// place-result and finish-batch: results become frames beside their sources, through the real channel.
import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { planReframe } from '../../src/core/reframe-plan'
import { boxesCrowd, RESULT_GAP } from '../../src/core/placement'
import type { RatioId } from '../../src/core/ratios'
import type { PlaceResultParams } from '../../src/protocol/messages'
import type { FakeFrameNode, FakeSceneNode } from '../../preview/fakes/figma/fake-nodes'
import { imageRect, loadFixture, startMain, type Main } from './start-main'

let main: Main
afterEach(() => main?.stop())

/** Real result images: the fixture photos resized to the providers' output shapes. */
const results: Record<string, Uint8Array> = {}
beforeAll(async () => {
  const make = async (name: string, width: number, height: number, format: 'jpeg' | 'png') => {
    const image = sharp(loadFixture(name)).resize(width, height, { fit: 'cover' })
    results[`${width}x${height}.${format}`] = new Uint8Array(
      await (format === 'jpeg' ? image.jpeg({ quality: 80 }) : image.png()).toBuffer()
    )
  }
  await Promise.all([
    make('rocket.jpg', 1536, 1536, 'jpeg'),
    make('rocket.jpg', 1152, 2048, 'jpeg'),
    make('rocket.jpg', 2048, 1152, 'jpeg'),
    make('logo.png', 1344, 1792, 'png')
  ])
})

const RESULT_FOR: Record<string, string> = {
  '1:1': '1536x1536.jpeg',
  '9:16': '1152x2048.jpeg',
  '16:9': '2048x1152.jpeg',
  '3:4': '1344x1792.png'
}

/** What the UI sends for one result: the bytes and the frame the reframe plan gives a 600x400 layer. */
function params(sourceNodeId: string, ratio: RatioId, batchId = 'batch-1', layer = { width: 600, height: 400 }): PlaceResultParams {
  const bytes = results[RESULT_FOR[ratio]]
  const [width, height] = RESULT_FOR[ratio].split('.')[0].split('x').map(Number)
  const plan = planReframe({ layer, pixels: layer, size: ratio, engine: 'hosted', placement: 'center', frameMode: 'around' })
  return { batchId, sourceNodeId, size: ratio, provider: 'eachlabs', prompt: 'a calm sea', bytes, width, height, frame: plan.frame, exported: { width, height } }
}

function pageFrames(): FakeFrameNode[] {
  return main.figma.currentPage.children.filter((n) => n.getPluginData('sourceNodeId') !== '') as FakeFrameNode[]
}

function expectNoOverlaps(nodes: readonly FakeSceneNode[]) {
  const boxes = nodes.map((n) => ({ id: n.id, box: n.absoluteBoundingBox! }))
  for (const a of boxes) {
    for (const b of boxes) if (a !== b) expect(boxesCrowd(a.box, b.box, 0), `${a.id} overlaps ${b.id}`).toBe(false)
  }
}

describe('place-result', () => {
  it('makes a named frame of the ratio around the source, filled with the result, to its right', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 100, y: 200, width: 600, height: 400 })
    photo.name = 'Hero'
    await main.readyAsync()
    const placed = await main.ui.request('place-result', params(photo.id, '9:16'))
    expect(placed.name).toBe('Hero · 9:16')
    const frame = (await main.figma.getNodeByIdAsync(placed.frameId)) as FakeFrameNode
    expect(frame.parent).toBe(main.figma.currentPage)
    expect(frame.name).toBe('Hero · 9:16')
    const size = planReframe({ layer: { width: 600, height: 400 }, pixels: { width: 600, height: 400 }, size: '9:16', engine: 'hosted', placement: 'center', frameMode: 'around' }).frame
    expect({ width: frame.width, height: frame.height }).toEqual(size)
    expect({ x: frame.x, y: frame.y }).toEqual({ x: 100 + 600 + RESULT_GAP, y: 200 })
    const fills = frame.fills as ImagePaint[]
    expect(fills).toHaveLength(1)
    expect(fills[0]).toMatchObject({ type: 'IMAGE', scaleMode: 'FILL' })
    expect(main.figma.getImageByHash(fills[0].imageHash!)!.bytes).toEqual(results['1152x2048.jpeg'])
  })

  it('records where the result came from in plugin data, and exports it at its own pixels', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    await main.readyAsync()
    await main.ui.request('set-secret', { name: 'eachlabs', value: 'sk-SECRET-123456' })
    const jpeg = await main.ui.request('place-result', params(photo.id, '16:9'))
    const png = await main.ui.request('place-result', params(photo.id, '3:4'))
    const frame = (await main.figma.getNodeByIdAsync(jpeg.frameId)) as FakeFrameNode
    expect(frame.getPluginData('sourceNodeId')).toBe(photo.id)
    expect(frame.getPluginData('size')).toBe('16:9')
    expect(frame.getPluginData('provider')).toBe('eachlabs')
    expect(frame.getPluginData('prompt')).toBe('a calm sea')
    expect(Date.parse(frame.getPluginData('createdAt'))).not.toBeNaN()
    expect(frame.exportSettings).toEqual([{ format: 'JPG', suffix: '', constraint: { type: 'WIDTH', value: 2048 } }])
    const pngFrame = (await main.figma.getNodeByIdAsync(png.frameId)) as FakeFrameNode
    expect(pngFrame.exportSettings).toEqual([{ format: 'PNG', suffix: '', constraint: { type: 'WIDTH', value: 1344 } }])
    // the key is nowhere in the document
    for (const node of main.figma.currentPage.findAll()) {
      for (const key of node.getPluginDataKeys()) expect(node.getPluginData(key)).not.toContain('SECRET')
      expect(node.name).not.toContain('SECRET')
    }
  })

  it('puts each source’s results in one row, in arrival order, with a constant gap', async () => {
    main = await startMain()
    const a = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const b = imageRect(main.fake, 'rocket.jpg', { x: 0, y: 3000, width: 640, height: 427 })
    await main.readyAsync()
    const ratios: RatioId[] = ['1:1', '9:16', '16:9']
    // interleaved, as parallel jobs finish
    const placed = []
    for (const ratio of ratios) {
      placed.push({ source: a, ...(await main.ui.request('place-result', params(a.id, ratio))) })
      placed.push({ source: b, ...(await main.ui.request('place-result', params(b.id, ratio))) })
    }
    for (const source of [a, b]) {
      const row = placed.filter((p) => p.source === source)
      const frames = await Promise.all(row.map((p) => main.figma.getNodeByIdAsync(p.frameId) as Promise<FakeFrameNode>))
      expect(frames.map((f) => f.name.split(' · ')[1])).toEqual(ratios)
      expect(frames.every((f) => f.y === source.y)).toBe(true)
      expect(frames[0].x).toBe(source.x + source.width + RESULT_GAP)
      for (let i = 1; i < frames.length; i++) expect(frames[i].x).toBe(frames[i - 1].x + frames[i - 1].width + RESULT_GAP)
    }
    expectNoOverlaps(main.figma.currentPage.children)
  })

  it('never overlaps, even for results arriving all at once, and a second run goes beside the first', async () => {
    main = await startMain()
    const api = main.fake.api
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    // something already sits where the first result would go
    const note = api.createRectangle()
    note.x = 700
    note.y = 300
    note.resize(200, 200)
    await main.readyAsync()
    const ratios: RatioId[] = ['1:1', '9:16', '16:9', '3:4']
    await Promise.all(ratios.map((ratio) => main.ui.request('place-result', params(photo.id, ratio, 'run-1'))))
    await main.ui.request('finish-batch', { batchId: 'run-1', failed: 0, cancelled: false })
    const firstRun = pageFrames()
    expect(firstRun).toHaveLength(4)
    expect(Math.min(...firstRun.map((f) => f.x))).toBe(900 + RESULT_GAP)
    await Promise.all(ratios.map((ratio) => main.ui.request('place-result', params(photo.id, ratio, 'run-2'))))
    const all = pageFrames()
    expect(all).toHaveLength(8)
    const secondRun = all.filter((f) => !firstRun.includes(f))
    expect(Math.min(...secondRun.map((f) => f.x))).toBeGreaterThan(Math.max(...firstRun.map((f) => f.x + f.width)))
    expectNoOverlaps(main.figma.currentPage.children)
  })

  it('places results at page level in page coordinates for sources nested in auto layout and instances', async () => {
    main = await startMain()
    const api = main.fake.api
    const page = api.createFrame()
    page.name = 'Landing'
    page.x = 5000
    page.y = 1000
    page.resize(1400, 1000)
    const row = api.createFrame()
    page.appendChild(row)
    row.x = 100
    row.y = 200
    row.resize(1200, 500)
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
    const placed = await main.ui.request('place-result', params(nested.id, '1:1'))
    const frame = (await main.figma.getNodeByIdAsync(placed.frameId)) as FakeFrameNode
    expect(frame.parent).toBe(main.figma.currentPage)
    // the source's page box: 5000 + 100 + 20 + 300 + 10 across, 1000 + 200 + 30 down
    expect(nested.absoluteBoundingBox).toEqual({ x: 5430, y: 1230, width: 300, height: 200 })
    expect(frame.y).toBe(1230)
    // to the right of the whole top-level frame it sits in, never inside it
    expect(frame.x).toBe(5000 + 1400 + RESULT_GAP)
    const fromInstance = await main.ui.request('place-result', params(instance.id, '9:16'))
    const instanceFrame = (await main.figma.getNodeByIdAsync(fromInstance.frameId)) as FakeFrameNode
    expect(instanceFrame.parent).toBe(main.figma.currentPage)
    expect({ x: instanceFrame.x, y: instanceFrame.y }).toEqual({ x: -3000 + 400 + RESULT_GAP, y: 2500 })
    expectNoOverlaps(main.figma.currentPage.children)
  })

  it('still places the results of a source deleted mid-batch, where it was; a moved source gets them at its new place', async () => {
    main = await startMain()
    const gone = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const moving = imageRect(main.fake, 'rocket.jpg', { x: 0, y: 2000, width: 640, height: 427 })
    main.figma.currentPage.selection = [gone, moving]
    await main.readyAsync()
    await main.ui.request('place-result', params(gone.id, '1:1'))
    gone.remove()
    const afterDelete = await main.ui.request('place-result', params(gone.id, '16:9'))
    const frame = (await main.figma.getNodeByIdAsync(afterDelete.frameId)) as FakeFrameNode
    expect(frame.name).toBe('coffee · 16:9')
    expect(frame.y).toBe(0)
    expect(frame.x).toBe(600 + RESULT_GAP + 600 + RESULT_GAP)

    moving.x = 0
    moving.y = 5000
    const afterMove = await main.ui.request('place-result', params(moving.id, '1:1'))
    const moved = (await main.figma.getNodeByIdAsync(afterMove.frameId)) as FakeFrameNode
    expect({ x: moved.x, y: moved.y }).toEqual({ x: 640 + RESULT_GAP, y: 5000 })
  })

  it('refuses an oversize or malformed result with a clear error, placing nothing for it and the rest as usual', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    photo.name = 'Hero'
    await main.readyAsync()
    const oversize = new Uint8Array(
      await sharp(loadFixture('coffee.png')).resize(5000, 3000, { fit: 'fill' }).jpeg({ quality: 50 }).toBuffer()
    )
    const webp = new Uint8Array(await sharp(loadFixture('coffee.png')).webp().toBuffer())
    const before = main.figma.currentPage.children.length
    await expect(
      main.ui.request('place-result', { ...params(photo.id, '16:9'), bytes: oversize, width: 5000, height: 3000 })
    ).rejects.toThrow('The result "Hero · 16:9" was not placed: it is 5000×3000 px and Figma takes at most 4096 px a side')
    await expect(main.ui.request('place-result', { ...params(photo.id, '1:1'), bytes: webp })).rejects.toThrow(
      'The result "Hero · 1:1" was not placed: it is not a PNG, JPEG or GIF image'
    )
    expect(main.figma.currentPage.children.length).toBe(before)
    await main.ui.request('place-result', params(photo.id, '9:16'))
    const summary = await main.ui.request('finish-batch', { batchId: 'batch-1', failed: 2, cancelled: false })
    expect(summary).toEqual({ placed: 1 })
    expect(main.fake.hooks.notifications.at(-1)?.message).toBe('Placed 1 frame · 2 failed')
  })

  it('refuses a result for a source it never saw', async () => {
    main = await startMain()
    await main.readyAsync()
    await expect(main.ui.request('place-result', params('123:456', '1:1'))).rejects.toThrow(/never seen/)
  })
})

describe('finish-batch', () => {
  it('selects and shows the new frames, commits one undo step and notifies a summary', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    await main.readyAsync()
    const ids = []
    for (const ratio of ['1:1', '9:16', '16:9'] as RatioId[]) {
      ids.push((await main.ui.request('place-result', params(photo.id, ratio))).frameId)
    }
    expect(main.fake.hooks.undoCommits).toBe(0)
    const result = await main.ui.request('finish-batch', { batchId: 'batch-1', failed: 1, cancelled: false })
    expect(result).toEqual({ placed: 3 })
    expect(main.figma.currentPage.selection.map((n) => n.id)).toEqual(ids)
    expect(main.fake.hooks.scrolledTo).toEqual([ids])
    expect(main.fake.hooks.undoCommits).toBe(1)
    const note = main.fake.hooks.notifications.at(-1)!
    expect(note.message).toBe('Placed 3 frames · 1 failed')
    expect(note.message.length).toBeLessThanOrEqual(100)
    // a finished batch is forgotten: finishing it again places nothing and commits nothing
    expect(await main.ui.request('finish-batch', { batchId: 'batch-1', failed: 0, cancelled: false })).toEqual({ placed: 0 })
    expect(main.fake.hooks.undoCommits).toBe(1)
  })

  it('reports a cancelled batch with what it kept, and an empty one as an error', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    await main.readyAsync()
    await main.ui.request('place-result', params(photo.id, '1:1', 'b1'))
    await main.ui.request('finish-batch', { batchId: 'b1', failed: 0, cancelled: true })
    expect(main.fake.hooks.notifications.at(-1)?.message).toBe('Cancelled · placed 1 frame')
    await main.ui.request('finish-batch', { batchId: 'b2', failed: 2, cancelled: false })
    expect(main.fake.hooks.notifications.at(-1)).toEqual({ message: 'Nothing placed · 2 failed', options: { error: true } })
    expect(main.fake.hooks.undoCommits).toBe(1)
  })
})
