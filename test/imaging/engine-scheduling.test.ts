// How the offline engine spends its time: smartcrop's maps made once per source and scored for every
// ratio exactly as smartcrop scores them, a window as large as the source drawn without waiting for the
// analysis, and native work that lets waiting decodes go before waiting renders.
import smartcrop from 'smartcrop'
import { describe, expect, it } from 'vitest'
import { scoreCrops, scoreMapOf, type ScoredCrop } from '../../src/imaging/crop-scores'
import { nodeBackend } from '../../src/imaging/backend-node'
import { createPriorityLimiter } from '../../src/imaging/priority-limiter'
import type { ImageBackend } from '../../src/imaging/render-recipe'
import { analysisImageOf, analysisMaxEdge } from '../../src/imaging/smart-crop'
import { createLocalProvider } from '../../src/providers/local'
import { encodeGradient, fixture } from './fixture-images'

async function analysisOf(name: string) {
  const picture = await nodeBackend.decode(fixture(name))
  return analysisImageOf(await nodeBackend.analysis(picture, analysisMaxEdge(picture)), picture).image
}

describe('crop scores', () => {
  it('scores every window of every size as smartcrop itself does, from maps made once', async () => {
    for (const name of ['chelsea.png', 'rocket.jpg', 'Flow.png']) {
      const image = await analysisOf(name)
      const settings = { skinWeight: 20, boost: [{ x: 8, y: 8, width: 8, height: 8, weight: 0.05 }] }
      const map = await scoreMapOf(image, settings)
      for (const [width, height] of [
        [image.height * 0.5625, image.height],
        [image.height, image.height],
        [image.width, image.width / 2.333]
      ]) {
        const ours = scoreCrops(map, image, width, height, settings)
        const theirs = (await smartcrop.crop(image as unknown as CanvasImageSource, {
          width,
          height,
          minScale: 1,
          prescale: false,
          imageOperations: { open: (i: unknown) => Promise.resolve(i), resample: () => Promise.reject(new Error('no')), getData: (i: unknown) => Promise.resolve(i) },
          skinWeight: 20,
          boost: settings.boost,
          ruleOfThirds: false,
          debug: true
        } as never)) as unknown as { crops: ScoredCrop[] }
        expect(ours.length, `${name} ${width}x${height}`).toBe(theirs.crops.length)
        expect(ours.map((c) => [c.x, c.y, c.width, c.height, c.score.total])).toEqual(theirs.crops.map((c) => [c.x, c.y, c.width, c.height, c.score.total]))
      }
    }
  })
})

describe('the offline engine on a source', () => {
  it('draws a crop window as large as the picture without waiting for the analysis', async () => {
    let asked!: () => void
    const analysisAsked = new Promise<void>((resolve) => (asked = resolve))
    const stalled: ImageBackend = {
      decode: (bytes) => nodeBackend.decode(bytes),
      // an analysis that never finishes: only a window with room to move may wait for it
      analysis: () => {
        asked()
        return new Promise(() => {})
      },
      locateCopy: (picture, maxEdge) => nodeBackend.locateCopy(picture, maxEdge),
      render: (recipe, pictures) => nodeBackend.render(recipe, pictures)
    }
    const provider = createLocalProvider({ backend: stalled, mode: 'crop' })
    const uploaded = await provider.upload({ bytes: await encodeGradient(320, 180, 'png'), width: 320, height: 180, format: 'png' })
    const whole = await provider.reframe(uploaded, '16:9')
    expect({ width: whole.width, height: whole.height }).toEqual({ width: 320, height: 180 })
    // the square has room to move, so it asks for the analysis (and waits for it)
    void provider.reframe(uploaded, '1:1')
    await analysisAsked
  })
})

describe('the native work queue', () => {
  it('runs at most its limit at once, and lets a waiting decode go before renders that waited longer', async () => {
    const limiter = createPriorityLimiter(1, ['decode', 'render'])
    const started: string[] = []
    let release!: () => void
    const first = limiter.run('render', () => {
      started.push('render 1')
      return new Promise<void>((resolve) => (release = resolve))
    })
    const later = [
      limiter.run('render', async () => void started.push('render 2')),
      limiter.run('render', async () => void started.push('render 3')),
      limiter.run('decode', async () => void started.push('decode'))
    ]
    await Promise.resolve()
    expect(started).toEqual(['render 1'])
    release()
    await Promise.all([first, ...later])
    expect(started).toEqual(['render 1', 'decode', 'render 2', 'render 3'])
  })

  it('passes each task its own outcome, and a failure frees the slot', async () => {
    const limiter = createPriorityLimiter(1, ['decode', 'render'])
    const failed = limiter.run('decode', () => Promise.reject(new Error('not an image')))
    const next = limiter.run('render', () => Promise.resolve(42))
    await expect(failed).rejects.toThrow('not an image')
    await expect(next).resolves.toBe(42)
  })
})
