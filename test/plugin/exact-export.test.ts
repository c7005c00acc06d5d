// Exact pixels out: every preset's result frame, made by create-frames and filled by fill-result
// through the real main, exports at exactly the preset's pixels with its own export setting, rendered
// by the fake figma's exportAsync (which sizes exports as Figma does: one scale, each side rounded).
import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { RATIO_IDS, type Size } from '../../src/core/ratios'
import { planReframe, type Engine, type FrameMode } from '../../src/core/reframe-plan'
import { CANVAS_NAME_PATTERN, FILE_NAME_PATTERN } from '../../src/core/result-name'
import { outputName } from '../../src/cli/write-output'
import { PRESET_IDS, presetOf, type PresetId } from '../../src/core/sizes'
import { exactConstraint, exportedPixels, wholePixelFrame } from '../../src/plugin/result-frame-export'
import type { PlannedFrame } from '../../src/protocol/messages'
import type { FakeFrameNode } from '../../preview/fakes/figma/fake-nodes'
import { imageRect, startMain, type Main } from './start-main'

let running: Main | undefined
afterEach(() => {
  running?.stop()
  running = undefined
})

async function start(): Promise<Main> {
  running = await startMain()
  return running
}

let preview: Uint8Array
let result: Uint8Array
beforeAll(async () => {
  preview = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#88aacc' } }).jpeg().toBuffer())
  result = new Uint8Array(await sharp({ create: { width: 96, height: 96, channels: 3, background: '#cc8844' } }).jpeg().toBuffer())
})

function planned(sourceNodeId: string, size: PresetId, layer: Size, engine: Engine, frameMode: FrameMode): PlannedFrame {
  const plan = planReframe({ layer, pixels: layer, size, engine, placement: 'center', frameMode })
  return { key: `${sourceNodeId}|${size}`, sourceNodeId, size, frame: plan.frame, exported: plan.exported, preview: { bytes: preview, width: 64, height: 64 } }
}

/** Layers whose frames round awkwardly: a 50x33 layer's story crop frame is 18.57x33, which a WIDTH export makes 1080x1919. */
const LAYERS: Size[] = [
  { width: 50, height: 33 },
  { width: 333.33, height: 217.1 },
  { width: 600, height: 400 }
]

describe('a preset result frame exports at exactly the preset’s pixels', () => {
  for (const frameMode of ['around', 'exact'] as const) {
    for (const engine of ['hosted', 'crop'] as const) {
      it(`with its own export setting, for every preset (${frameMode === 'around' ? 'around the original' : 'exact pixels'}, ${engine === 'crop' ? 'smart crop' : 'fill and hosted'})`, { timeout: 120_000 }, async () => {
        const main = await start()
        const photos = LAYERS.map((layer, i) => imageRect(main.fake, 'coffee.png', { x: 0, y: i * 3000, ...layer }))
        await main.readyAsync()
        const frames = photos.flatMap((photo, i) => PRESET_IDS.map((id) => planned(photo.id, id, LAYERS[i], engine, frameMode)))
        const made = (await main.ui.request('create-frames', { batchId: 'b1', provider: 'local', prompt: '', namePattern: CANVAS_NAME_PATTERN, frames })).frames
        for (const [i, { frameId }] of made.entries()) {
          const { preview: _preview, ...rest } = frames[i]
          await main.ui.request('fill-result', {
            batchId: 'b1',
            frameId,
            planned: rest,
            namePattern: CANVAS_NAME_PATTERN,
            image: { bytes: result, width: 96, height: 96 },
            exported: frames[i].exported
          })
        }
        for (const [i, { frameId }] of made.entries()) {
          const frame = (await main.figma.getNodeByIdAsync(frameId)) as FakeFrameNode
          const preset = presetOf(frames[i].size as PresetId)
          // whole pixels within two pixels of the plan's frame; or, where no whole size exports exactly (a
          // frame of a few units, 333.33x500 at 1000x1500), the plan's frame grown by its rounding at most (1/100 unit, carried by the shape)
          const layer = LAYERS[Math.floor(i / PRESET_IDS.length)]
          const dw = frame.width - frames[i].frame.width
          const dh = frame.height - frames[i].frame.height
          if (Number.isInteger(frame.width) && Number.isInteger(frame.height)) {
            expect(Math.max(Math.abs(dw), Math.abs(dh))).toBeLessThan(2)
          } else {
            // (every frame around a layer of whole pixels this size finds a whole size that lands)
            expect(layer.width).not.toBe(600)
            expect(Math.min(dw, dh)).toBeGreaterThanOrEqual(0)
            expect(Math.max(dw, dh)).toBeLessThan(0.02)
          }
          const [setting] = frame.exportSettings
          const meta = await sharp(await frame.exportAsync(setting)).metadata()
          expect({ size: preset.id, layer: LAYERS[Math.floor(i / PRESET_IDS.length)], width: meta.width, height: meta.height, format: meta.format }).toEqual({
            size: preset.id,
            layer: LAYERS[Math.floor(i / PRESET_IDS.length)],
            width: preset.width,
            height: preset.height,
            format: 'jpeg'
          })
        }
      })
    }
  }
})

describe('the export constraint', () => {
  it('is WIDTH when it lands both sides, else HEIGHT, else a scale that lands both, else WIDTH', () => {
    const exported = { width: 1000, height: 1000 }
    expect(exactConstraint({ width: 100.03, height: 100 }, exported)).toEqual({ type: 'WIDTH', value: 1000 })
    // 18.57x33 at 1080 wide is 1919 tall; at 1920 tall it is 1080 wide
    expect(exactConstraint({ width: 18.57, height: 33 }, { width: 1080, height: 1920 })).toEqual({ type: 'HEIGHT', value: 1920 })
    // 1 x 1.0008: WIDTH gives 1000x1001, HEIGHT 999x1000, a scale between them 1000x1000
    const between = exactConstraint({ width: 1, height: 1.0008 }, exported)
    expect(between.type).toBe('SCALE')
    expect(exportedPixels({ width: 1, height: 1.0008 }, between)).toEqual(exported)
    // nothing lands 1000x1000 on a frame of another shape: the width, as asked
    expect(exactConstraint({ width: 100, height: 50 }, exported)).toEqual({ type: 'WIDTH', value: 1000 })
  })

  it('puts a frame on whole pixels only where it still exports at exactly its pixels', () => {
    // a story around a 600x400 layer: 1067 tall exports 1080x1920 at HEIGHT 1920
    expect(wholePixelFrame({ width: 600, height: 1066.67 }, { width: 1080, height: 1920 })).toEqual({ width: 600, height: 1067 })
    // a 16:9 frame around the same layer, exported at its result's 711x400
    expect(wholePixelFrame({ width: 711.12, height: 400 }, { width: 711, height: 400 })).toEqual({ width: 711, height: 400 })
    // nearest first, down as well as up
    expect(wholePixelFrame({ width: 1000.4, height: 1000.4 }, { width: 1000, height: 1000 })).toEqual({ width: 1000, height: 1000 })
    // 600x337.5 lands 1600x900 at no nearest whole size (600x338 is 1600x901): one pixel further, 599x337
    expect(wholePixelFrame({ width: 600, height: 337.5 }, { width: 1600, height: 900 })).toEqual({ width: 599, height: 337 })
    // a 58.67x33 frame: no whole size within a pixel or two exports 1600x900, so it stays as planned
    expect(wholePixelFrame({ width: 58.67, height: 33.001875 }, { width: 1600, height: 900 })).toEqual({ width: 58.67, height: 33.001875 })
    expect(wholePixelFrame({ width: 1080, height: 1350 }, { width: 1080, height: 1350 })).toEqual({ width: 1080, height: 1350 })
  })

  it('exports a ratio’s frame at its result’s own pixels, which the plan rounds to whole pixels', { timeout: 120_000 }, async () => {
    const main = await start()
    // a narrow layer at 1.7x density: a WIDTH export is a pixel off for 8 of the 11 ratios
    const layer = { width: 41, height: 97 }
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, ...layer })
    await main.readyAsync()
    const pixels = { width: 70, height: 165 }
    const plans = RATIO_IDS.map((size) => planReframe({ layer, pixels, size, engine: 'fill', placement: 'center', frameMode: 'around' }))
    const frames: PlannedFrame[] = plans.map((plan) => ({
      key: plan.size,
      sourceNodeId: photo.id,
      size: plan.size,
      frame: plan.frame,
      exported: plan.exported,
      preview: { bytes: preview, width: 64, height: 64 }
    }))
    const made = (await main.ui.request('create-frames', { batchId: 'b1', provider: 'local', prompt: '', namePattern: CANVAS_NAME_PATTERN, frames })).frames
    for (const [i, { frameId }] of made.entries()) {
      const { preview: _preview, ...rest } = frames[i]
      await main.ui.request('fill-result', { batchId: 'b1', frameId, planned: rest, namePattern: CANVAS_NAME_PATTERN, image: { bytes: result, width: 96, height: 96 }, exported: plans[i].output })
      const frame = (await main.figma.getNodeByIdAsync(frameId)) as FakeFrameNode
      const meta = await sharp(await frame.exportAsync(frame.exportSettings[0])).metadata()
      expect({ size: plans[i].size, width: meta.width, height: meta.height }).toEqual({ size: plans[i].size, ...plans[i].output })
    }
  })
})

describe('frames named for export', () => {
  it('carry the names the command line gives its files, so Figma’s Export writes the same files', { timeout: 120_000 }, async () => {
    const main = await start()
    const layer = { width: 600, height: 400 }
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, ...layer })
    await main.readyAsync()
    const plans = (['ig-portrait', 'story', '16:9'] as const).map((size) => planReframe({ layer, pixels: layer, size, engine: 'fill', placement: 'center', frameMode: 'around' }))
    const frames: PlannedFrame[] = plans.map((plan) => ({ key: plan.size, sourceNodeId: photo.id, size: plan.size, frame: plan.frame, exported: plan.exported, preview: { bytes: preview, width: 64, height: 64 } }))
    const made = (await main.ui.request('create-frames', { batchId: 'b1', provider: 'local', prompt: '', namePattern: FILE_NAME_PATTERN, frames })).frames
    const names: string[] = []
    for (const [i, { frameId }] of made.entries()) {
      const { preview: _preview, ...rest } = frames[i]
      const filled = await main.ui.request('fill-result', { batchId: 'b1', frameId, planned: rest, namePattern: FILE_NAME_PATTERN, image: { bytes: result, width: 96, height: 96 }, exported: plans[i].output })
      const frame = (await main.figma.getNodeByIdAsync(frameId)) as FakeFrameNode
      expect(frame.name).toBe(filled.name)
      // Figma's file: the frame's name, the setting's (empty) suffix, the format's extension
      const [setting] = frame.exportSettings
      expect(`${frame.name}${setting.suffix ?? ''}.jpg`).toBe(outputName('in/coffee.png', plans[i].size, { ...plans[i].output, format: 'jpeg' }))
      names.push(frame.name)
    }
    expect(names).toEqual(['coffee_ig-portrait_1080x1350', 'coffee_story_1080x1920', 'coffee_16x9_711x400'])
  })
})
