// "Reframe again" through the real main on the strict fake figma: every result records how it was made
// and carries the manifest's relaunch button; started by that button, main tells the window (after the
// selection) which originals to make again, one job per result, with the settings they were made with.
import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { planReframe } from '../../src/core/reframe-plan'
import { CANVAS_NAME_PATTERN } from '../../src/core/result-name'
import type { SizeId } from '../../src/core/sizes'
import type { PlannedFrame, Relaunch, RequestParams } from '../../src/protocol/messages'
import { OTHER_SETTINGS, readRelaunchAsync } from '../../src/plugin/read-relaunch-async'
import { createSourceMemory } from '../../src/plugin/source-memory'
import { createFakeFigma } from '../../preview/fakes/figma/create-fake-figma'
import type { FakeFrameNode, FakeSceneNode } from '../../preview/fakes/figma/fake-nodes'
import { imageRect, startMain, type Main } from './start-main'

let running: Main | undefined
afterEach(() => {
  running?.stop()
  running = undefined
})

async function start(options: { command?: string } = {}): Promise<Main> {
  running = await startMain(options)
  return running
}

let preview: Uint8Array
beforeAll(async () => {
  preview = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#88aacc' } }).jpeg().toBuffer())
})

const HOSTED_RUN = { placement: 'start', frameMode: 'exact', localMode: 'fill', localFill: 'blur' } as const
const OFFLINE_RUN = { placement: 'center', frameMode: 'around', localMode: 'crop', localFill: 'edge' } as const

function planned(sourceNodeId: string, size: SizeId, layer: { width: number; height: number }): PlannedFrame {
  const plan = planReframe({ layer, pixels: layer, size, engine: 'hosted', placement: 'center', frameMode: 'around' })
  return { key: `${sourceNodeId}|${size}`, sourceNodeId, size, frame: plan.frame, exported: plan.exported, preview: { bytes: preview, width: 64, height: 64 } }
}

/** A run's frames as the window makes them: create-frames with the run's settings. */
async function createFrames(main: Main, batchId: string, params: Pick<RequestParams<'create-frames'>, 'provider' | 'prompt' | 'run' | 'frames'>): Promise<FakeFrameNode[]> {
  const made = await main.ui.request('create-frames', { batchId, namePattern: CANVAS_NAME_PATTERN, ...params })
  return Promise.all(made.frames.map(async ({ frameId }) => (await main.figma.getNodeByIdAsync(frameId)) as FakeFrameNode))
}

function nextRelaunch(main: Main): Promise<Relaunch> {
  return new Promise((resolve) => {
    const off = main.ui.on('relaunch', (relaunch) => {
      off()
      resolve(relaunch)
    })
  })
}

const DESCRIPTION = 'Makes this size again from the same original with the same settings, as a new frame; this one stays.'

describe('results remember how they were made', () => {
  it('records the run’s settings on every frame, never a key, and gives it the Reframe again button', async () => {
    const main = await start()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    await main.ui.request('set-secret', { name: 'eachlabs', value: 'sk-secret-key-0123456789' })
    await main.readyAsync()
    const frames = await createFrames(main, 'b1', { provider: 'eachlabs', prompt: 'a calm sea', run: HOSTED_RUN, frames: [planned(photo.id, 'story', photo), planned(photo.id, '16:9', photo)] })
    for (const [i, frame] of frames.entries()) {
      expect(Object.fromEntries(['sourceNodeId', 'size', 'provider', 'prompt', 'placement', 'frameMode', 'localMode', 'localFill', 'batchId'].map((key) => [key, frame.getPluginData(key)]))).toEqual({
        sourceNodeId: photo.id,
        size: ['story', '16:9'][i],
        provider: 'eachlabs',
        prompt: 'a calm sea',
        ...HOSTED_RUN,
        batchId: 'b1'
      })
      expect(frame.getRelaunchData()).toEqual({ 'reframe-again': DESCRIPTION })
      for (const key of frame.getPluginDataKeys()) expect(frame.getPluginData(key)).not.toContain('sk-secret-key')
    }
  })

  it('a frame the designer deleted before its result came is made again with the same record and button', async () => {
    const main = await start()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    await main.readyAsync()
    const [frame] = await createFrames(main, 'b1', { provider: 'local', prompt: '', run: OFFLINE_RUN, frames: [planned(photo.id, '1:1', photo)] })
    const { preview: _preview, ...rest } = planned(photo.id, '1:1', photo)
    const frameId = frame.id
    frame.remove()
    const filled = await main.ui.request('fill-result', { batchId: 'b1', frameId, planned: rest, namePattern: CANVAS_NAME_PATTERN, image: { bytes: preview, width: 64, height: 64 }, exported: { width: 64, height: 64 } })
    const again = (await main.figma.getNodeByIdAsync(filled.frameId)) as FakeFrameNode
    expect(again.id).not.toBe(frameId)
    expect(['provider', 'placement', 'frameMode', 'localMode', 'localFill'].map((key) => again.getPluginData(key))).toEqual(['local', 'center', 'around', 'crop', 'edge'])
    expect(again.getRelaunchData()).toEqual({ 'reframe-again': DESCRIPTION })
  })
})

describe('started by Reframe again', () => {
  it('sends, after the selection, the originals of the selected results, one job each, and the settings they were made with', async () => {
    const main = await start({ command: 'reframe-again' })
    expect(main.figma.command).toBe('reframe-again')
    const coffee = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const rocket = imageRect(main.fake, 'rocket.jpg', { x: 0, y: 3000, width: 640, height: 427 })
    const first = await createFrames(main, 'b1', {
      provider: 'eachlabs',
      prompt: 'a calm sea',
      run: HOSTED_RUN,
      frames: [planned(coffee.id, 'story', coffee), planned(coffee.id, '16:9', coffee), planned(rocket.id, 'ig-portrait', rocket)]
    })
    const offline = await createFrames(main, 'b2', { provider: 'local', prompt: '', run: OFFLINE_RUN, frames: [planned(coffee.id, '1:1', coffee)] })
    // the same result twice makes one job
    main.figma.currentPage.selection = [...first, first[0], offline[0]] as unknown as FakeSceneNode[]
    const relaunch = nextRelaunch(main)
    const selection = await main.readyAsync()
    expect(selection.sources.map((source) => source.nodeId)).toEqual([coffee.id, rocket.id])
    expect(await relaunch).toEqual({
      sources: [
        { nodeId: coffee.id, name: 'coffee', width: 600, height: 400 },
        { nodeId: rocket.id, name: 'rocket', width: 640, height: 427 }
      ],
      jobs: [
        { sourceNodeId: coffee.id, size: 'story' },
        { sourceNodeId: coffee.id, size: '16:9' },
        { sourceNodeId: rocket.id, size: 'ig-portrait' }
      ],
      settings: { provider: 'eachlabs', prompt: 'a calm sea', ...HOSTED_RUN },
      left: [{ nodeId: offline[0].id, name: offline[0].name, reason: OTHER_SETTINGS }]
    })
    // selection first, then what to make again; its originals are the window's to export
    const names = main.fake.hooks.posted.map((message) => (message as { name?: string }).name).filter((name) => name !== undefined)
    expect(names.indexOf('selection')).toBeLessThan(names.indexOf('relaunch'))
    await expect(main.ui.request('export-source', { nodeId: rocket.id, maxEdge: 256 })).resolves.toMatchObject({ nodeId: rocket.id })
  })

  it('sends nothing to make again when started from the plugins menu', async () => {
    const main = await start()
    const coffee = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const frames = await createFrames(main, 'b1', { provider: 'local', prompt: '', run: OFFLINE_RUN, frames: [planned(coffee.id, '1:1', coffee)] })
    main.figma.currentPage.selection = frames as unknown as FakeSceneNode[]
    await main.readyAsync()
    // a later selection, to be sure main has had every chance to speak
    const photo = imageRect(main.fake, 'rocket.jpg', { x: 0, y: 3000, width: 640, height: 427 })
    const next = main.nextSelection((selection) => selection.sources.some((source) => source.nodeId === photo.id))
    main.figma.currentPage.selection = [photo as unknown as FakeSceneNode]
    await next
    expect(main.fake.hooks.posted.some((message) => (message as { name?: string }).name === 'relaunch')).toBe(false)
  })

  it('has nothing to make again when no selected result still has its original', async () => {
    const main = await start()
    const coffee = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const frames = await createFrames(main, 'b1', { provider: 'local', prompt: '', run: OFFLINE_RUN, frames: [planned(coffee.id, '1:1', coffee)] })
    coffee.remove()
    expect(await readRelaunchAsync(frames as unknown as SceneNode[], createSourceMemory())).toBeNull()
    // a plain layer is not a result: nothing to make again either
    const photo = imageRect(main.fake, 'rocket.jpg', { x: 0, y: 3000, width: 640, height: 427 })
    expect(await readRelaunchAsync([photo] as unknown as SceneNode[], createSourceMemory())).toBeNull()
  })
})

describe('fake figma: relaunch data', () => {
  it('takes only commands the manifest declares, descriptions up to 1000 characters, and replaces the data on each call', () => {
    const { api } = createFakeFigma()
    const frame = api.createFrame()
    frame.setRelaunchData({ 'reframe-again': 'Again' })
    expect(frame.getRelaunchData()).toEqual({ 'reframe-again': 'Again' })
    expect(() => frame.setRelaunchData({ 'reframe-agian': '' })).toThrow(/not a command of the manifest's relaunchButtons \(reframe-again\)/)
    expect(() => frame.setRelaunchData({ 'reframe-again': 'x'.repeat(1001) })).toThrow(/1000 characters/)
    frame.setRelaunchData({})
    expect(frame.getRelaunchData()).toEqual({})
    const bare = createFakeFigma({ relaunchCommands: [] }).api.createFrame()
    expect(() => bare.setRelaunchData({ 'reframe-again': '' })).toThrow(/no relaunchButtons/)
    frame.remove()
    expect(() => frame.getRelaunchData()).toThrow(/does not exist/)
  })
})
