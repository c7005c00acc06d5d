// Locating a hosted result in Chromium (the canvas's own downscale makes the copies) finds the box the
// sharp backend finds, to a fraction of a result pixel, and the original goes in at the same place. The
// copies are not the same bytes on both platforms (only the offline engine's analysis copies are), so
// this is what keeps the two honest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodedImageOf } from '../../src/core/image-header'
import type { Box } from '../../src/core/ratios'
import { planReframe } from '../../src/core/reframe-plan'
import type { SizeId } from '../../src/core/sizes'
import { nodeBackend } from '../../src/imaging/backend-node'
import { hostedFinisher } from '../../src/imaging/finish-hosted-result'
import { locateAnalysisEdges, locateSource, scaleBox } from '../../src/imaging/locate-source'
import { renderModelResult, type ModelBehaviour } from '../../preview/fakes/providers/model-result'
import { base64, openEnginePage, type EnginePage } from './engine-page'
import { fixture } from './fixture-images'

let page: EnginePage

beforeAll(async () => {
  page = await openEnginePage()
})

afterAll(async () => {
  await page?.close()
})

function edgeError(a: Box, b: Box): number {
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.x + a.width - b.x - b.width), Math.abs(a.y + a.height - b.y - b.height))
}

describe('locating a hosted result in Chromium and in Node', () => {
  it.each([
    ['GreenMeadow.jpg', '16:9', { redraw: 'degraded', surround: 'generated' }],
    ['astronaut.png', '9:16', { redraw: 'degraded', surround: 'generated' }],
    ['rocket.jpg', '4:3', { redraw: 'degraded', surround: 'generated', ignoreBox: true }],
    ['chelsea.png', '16:9', { redraw: 'exact', surround: 'generated' }]
  ] as Array<[string, SizeId, ModelBehaviour]>)('%s to %s (%o): the same box within a fraction of a pixel', async (name, size, behaviour) => {
    const bytes = fixture(name)
    const source = encodedImageOf(bytes)!
    const plan = planReframe({ layer: source, pixels: source, size, engine: 'hosted', placement: 'center', frameMode: 'around' })
    const hosted = plan.hosted!
    const model = await renderModelResult(bytes, { size: hosted.generated, requested: hosted.sourceBox, behaviour, fill: '#000000' })
    const result = encodedImageOf(model.bytes)!
    const expected = scaleBox(hosted.sourceBox, hosted.generated, result)

    const [resultPicture, sourcePicture] = await Promise.all([nodeBackend.decode(result.bytes), nodeBackend.decode(bytes)])
    const edges = locateAnalysisEdges(resultPicture, sourcePicture, expected)
    const small = await nodeBackend.locateCopy(resultPicture, edges.result)
    const match = locateSource(small, await nodeBackend.locateCopy(sourcePicture, edges.source), scaleBox(expected, resultPicture, small), {
      fullSize: { source: sourcePicture, result: resultPicture }
    })
    const inNode = await hostedFinisher(nodeBackend)(result, source, plan)
    const inBrowser = await page.call('locateAndFinish', base64(result.bytes), base64(bytes), plan, expected, source.format)

    // both near the truth, and nearer still to each other
    const found = scaleBox(match.box, small, resultPicture)
    expect(edgeError(found, model.sourceBox!)).toBeLessThan(1)
    expect(edgeError(inBrowser.box, model.sourceBox!)).toBeLessThan(1)
    expect(edgeError(inBrowser.box, found)).toBeLessThan(0.5)
    expect(inBrowser.composited).toBe(true)
    expect(inNode.composited).toBe(true)
    const drawn = (box: Box | undefined) => box && { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) }
    expect(drawn(inBrowser.located)).toEqual(drawn(inNode.located))
  })
})
