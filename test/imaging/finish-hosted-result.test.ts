// A hosted result finished by the sharp backend, end to end on the fake model's degraded redraw: the
// source region of the output is the original's own pixels, exactly, up to its edges; the surround
// changes only in colour and only within the matched band; a PNG source gives a PNG result.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodedImageOf } from '../../src/core/image-header'
import { planReframe } from '../../src/core/reframe-plan'
import type { SizeId } from '../../src/core/sizes'
import { nodeBackend } from '../../src/imaging/backend-node'
import { resultOnlyRecipe, seamWidth } from '../../src/imaging/composite-recipe'
import { cropOnResult, finishedFormat, hostedFinisher } from '../../src/imaging/finish-hosted-result'
import { renderModelResult } from '../../preview/fakes/providers/model-result'
import { fixture } from './fixture-images'
import { decodeRgba } from './image-compare'

async function finished(name: string, size: SizeId) {
  const bytes = fixture(name)
  const source = encodedImageOf(bytes)!
  const plan = planReframe({ layer: source, pixels: source, size, engine: 'hosted', placement: 'center', frameMode: 'around' })
  const hosted = plan.hosted!
  const model = await renderModelResult(bytes, { size: hosted.generated, requested: hosted.sourceBox, behaviour: { redraw: 'degraded', surround: 'generated' }, fill: '#000000' })
  const result = encodedImageOf(model.bytes)!
  const out = await hostedFinisher(nodeBackend)(result, source, plan)
  const picture = await nodeBackend.decode(result.bytes)
  const alone = await nodeBackend.render(resultOnlyRecipe({ output: plan.output, result: picture, crop: cropOnResult(plan, picture), format: 'png' }), { result: picture })
  return { out, plan, original: await decodeRgba(bytes), drawn: await decodeRgba(out.image.bytes), alone: await decodeRgba(alone.bytes) }
}

describe('finishing a hosted result (sharp)', () => {
  it.each([
    ['chelsea.png', '16:9'],
    ['coffee.png', '9:16']
  ] as [string, SizeId][])('%s to %s: the source region is the original pixel for pixel, the surround changes only near the seam', async (name, size) => {
    const { out, plan, original, drawn, alone } = await finished(name, size)
    expect(out.composited).toBe(true)
    expect(out.image.format).toBe('png')
    const box = out.located!
    // drawn 1:1 where the model put it (shifted a pixel or two by the redraw), every pixel the original's
    expect({ width: box.width, height: box.height }).toEqual({ width: original.width, height: original.height })
    let differing = 0
    for (let y = Math.max(0, box.y); y < Math.min(plan.output.height, box.y + box.height); y++) {
      for (let x = Math.max(0, box.x); x < Math.min(plan.output.width, box.x + box.width); x++) {
        const i = (y * drawn.width + x) * 4
        const j = ((y - box.y) * original.width + x - box.x) * 4
        for (let c = 0; c < 3; c++) if (drawn.data[i + c] !== original.data[j + c]) differing++
      }
    }
    expect(differing).toBe(0)
    // outside the box: beyond the matched band the model's pixels as they came; inside it, some moved
    const band = Math.ceil(seamWidth(box)) + 1
    let moved = 0
    let movedBeyond = 0
    for (let y = 0; y < plan.output.height; y++) {
      for (let x = 0; x < plan.output.width; x++) {
        const dx = Math.max(box.x - 1 - x, x - (box.x + box.width), 0)
        const dy = Math.max(box.y - 1 - y, y - (box.y + box.height), 0)
        if (dx === 0 && dy === 0) continue
        const i = (y * drawn.width + x) * 4
        const same = drawn.data[i] === alone.data[i] && drawn.data[i + 1] === alone.data[i + 1] && drawn.data[i + 2] === alone.data[i + 2]
        if (same) continue
        if (Math.hypot(dx, dy) > band) movedBeyond++
        else moved++
      }
    }
    expect(movedBeyond).toBe(0)
    expect(moved).toBeGreaterThan(0)
  })

  it('keeps JPEG for a JPEG source and result, and gives PNG for a PNG or transparent source', () => {
    const opaque = { width: 1, height: 1, hasAlpha: false }
    expect(finishedFormat('jpeg', opaque, 'jpeg')).toBe('jpeg')
    expect(finishedFormat('jpeg', opaque, 'png')).toBe('png')
    expect(finishedFormat('jpeg', { ...opaque, hasAlpha: true }, 'jpeg')).toBe('png')
    expect(finishedFormat('png', opaque, 'jpeg')).toBe('png')
  })

  it('encodes a JPEG source composite as JPEG at the composite quality', async () => {
    const bytes = new Uint8Array(await sharp(fixture('chelsea.png')).jpeg({ quality: 90 }).toBuffer())
    const source = encodedImageOf(bytes)!
    const plan = planReframe({ layer: source, pixels: source, size: '16:9', engine: 'hosted', placement: 'center', frameMode: 'around' })
    const model = await renderModelResult(bytes, { size: plan.hosted!.generated, requested: plan.hosted!.sourceBox, behaviour: { redraw: 'degraded', surround: 'generated' }, fill: '#000000' })
    const out = await hostedFinisher(nodeBackend)(encodedImageOf(model.bytes)!, source, plan)
    expect(out.composited).toBe(true)
    expect(out.image.format).toBe('jpeg')
  })
})
