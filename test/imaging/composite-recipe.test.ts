// The recipe that pastes the original back over a hosted result: geometry, snapping, feathered edges,
// presets, colour-matched seams, JPEG quality; and, end to end on the fake model, that a recipe drawn by
// a plain reference rasteriser keeps the original in its box with a seam that does not show.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { NATIVE_OUTPUT_SIZES, type Box } from '../../src/core/ratios'
import { fitBox } from '../../src/core/reframe-plan'
import { compositeRecipe, resultBoxInOutput, resultOnlyRecipe } from '../../src/imaging/composite-recipe'
import { cropOnResult } from '../../src/imaging/finish-hosted-result'
import { planReframe } from '../../src/core/reframe-plan'
import { seamGradients, ssim } from '../../src/imaging/image-quality'
import { judgeMatch, locateAnalysisEdges, locateSource, scaleBox } from '../../src/imaging/locate-source'
import type { Layer, PictureId, RenderRecipe } from '../../src/imaging/render-recipe'
import { matchSeam, seamMatchesOf } from '../../src/imaging/seam-match'
import { createRgbaImage, type RgbaImage } from '../../src/imaging/rgba-image'
import { renderModelResult, type ModelBehaviour } from '../../preview/fakes/providers/model-result'
import { fixture } from './fixture-images'

const result = { width: 2048, height: 1152 }
const source = { width: 1800, height: 1200 }

describe('compositeRecipe', () => {
  it('draws the result over the whole output, then the whole source where it was found', () => {
    const located = { x: 100.25, y: 10.5, width: 1500.5, height: 1000.33 }
    const recipe = compositeRecipe({ output: result, result, located, source, format: 'jpeg' })
    expect(recipe).toMatchObject({ width: 2048, height: 1152, format: 'jpeg' })
    expect(recipe.layers[0]).toEqual({ picture: 'result', from: { x: 0, y: 0, width: 2048, height: 1152 }, to: { x: 0, y: 0, width: 2048, height: 1152 } })
    expect(recipe.layers[1]).toMatchObject({ picture: 'source', from: { x: 0, y: 0, width: 1800, height: 1200 }, to: located })
  })

  it('snaps to the planned box in whole pixels when the host kept it, so the original comes back pixel for pixel', () => {
    const planned = { x: 124, y: 0, width: 1800, height: 1152 }
    const located = { x: 124.3, y: -0.2, width: 1799.6, height: 1152.4 }
    const recipe = compositeRecipe({ output: result, result, located, source, planned, format: 'png' })
    expect(recipe.layers[1].to).toEqual(planned)
    // a planned box a rounding away from the source's own size draws the source 1:1 in it
    const own = compositeRecipe({ output: result, result, located, source: { width: 1799, height: 1152 }, planned, format: 'png' })
    expect(own.layers[1].to).toEqual({ x: 125, y: 0, width: 1799, height: 1152 })
  })

  it('keeps a box the host moved where it was found (a redraw shifted by 3 px is not snapped back)', () => {
    const planned = { x: 124, y: 0, width: 1728, height: 1152 }
    const located = { x: 127.1, y: 2.05, width: 1728.2, height: 1152.1 }
    const recipe = compositeRecipe({ output: result, result, located, source: { width: 1728, height: 1152 }, planned, snapTolerance: 0.5, format: 'png' })
    // not the plan; but the source's own size, so drawn 1:1 at the nearest whole position
    expect(recipe.layers[1].to).toEqual({ x: 127, y: 2, width: 1728, height: 1152 })
    const scaled = compositeRecipe({ output: result, result, located, source, planned, snapTolerance: 0.5, format: 'png' })
    expect(scaled.layers[1].to).toEqual(located)
  })

  it('allows more than half an output pixel when output pixels are finer than the result (what locate can tell)', () => {
    // output at twice the result's density: 0.75 result px is 1.5 output px
    const output = { width: 4096, height: 2304 }
    const planned = { x: 248, y: 0, width: 3600, height: 2304 }
    const located = { x: 124 + 0.6, y: 0.3, width: 1800 - 0.5, height: 1152 + 0.4 }
    expect(compositeRecipe({ output, result, located, source: { width: 3600, height: 2304 }, planned, format: 'png' }).layers[1].to).toEqual(planned)
  })

  it('matches colour only outside the edges inside the output, over 10% of the box short side (at least 4 px), and feathers none by default', () => {
    const located = { x: 124, y: 0, width: 1728, height: 1152 }
    const centred = compositeRecipe({ output: result, result, located, source: { width: 1728, height: 1152 }, format: 'png' })
    expect(centred.layers[1].match).toEqual({ width: 0.1 * 1152, edges: ['right', 'left'], fringe: 2 })
    expect(centred.layers[1].feather).toBeUndefined()
    const atStart = compositeRecipe({ output: result, result, located: { ...located, x: 0 }, source: { width: 1728, height: 1152 }, format: 'png' })
    expect(atStart.layers[1].match?.edges).toEqual(['right'])
    const inside = compositeRecipe({ output: result, result, located: { x: 500, y: 300, width: 40, height: 30 }, source: { width: 40, height: 30 }, format: 'png' })
    expect(inside.layers[1].match).toEqual({ width: 4, edges: ['top', 'right', 'bottom', 'left'], fringe: 2 })
    // output pixels finer than the result's: two result pixels of fringe
    const finer = compositeRecipe({ output: { width: 4096, height: 2304 }, result, located, source: { width: 3456, height: 2304 }, format: 'png' })
    expect(finer.layers[1].match?.fringe).toBe(4)
    const custom = compositeRecipe({ output: result, result, located, source: { width: 1728, height: 1152 }, feather: 10, seam: 0, format: 'png' })
    expect(custom.layers[1].feather).toEqual({ width: 10, edges: ['right', 'left'] })
    expect(custom.layers[1].match).toBeUndefined()
  })

  it('encodes a JPEG composite at a higher quality than other outputs (the original lands off its own block grid)', () => {
    const located = { x: 124, y: 0, width: 1728, height: 1152 }
    expect(compositeRecipe({ output: result, result, located, source: { width: 1728, height: 1152 }, format: 'jpeg' }).quality).toBe(0.97)
    expect(compositeRecipe({ output: result, result, located, source: { width: 1728, height: 1152 }, format: 'png' }).quality).toBeUndefined()
  })

  it('gives a source that fills the output no feather or colour match at all, and never feathers more than half a box', () => {
    const whole = compositeRecipe({ output: result, result, located: { x: 0.2, y: -0.3, width: 2048, height: 1152 }, source: { width: 2048, height: 1152 }, feather: 5, format: 'png' })
    expect(whole.layers[1].feather).toBeUndefined()
    expect(whole.layers[1].match).toBeUndefined()
    expect(whole.layers[1].to).toEqual({ x: 0, y: 0, width: 2048, height: 1152 })
    const thin = compositeRecipe({ output: result, result, located: { x: 100, y: 100, width: 1.5, height: 400 }, source: { width: 3, height: 800 }, feather: 2, format: 'png' })
    expect(thin.layers[1].feather?.width).toBe(0.75)
  })

  it('makes a preset from the crop of a wider result: the crop fills the output and the box moves with it', () => {
    // 4:5 from a 1:1 native result, source 3:4 centred: the crop cuts generated margin only
    const native = NATIVE_OUTPUT_SIZES['1:1']
    const crop = { x: 154, y: 0, width: 1229, height: 1536 }
    const located = fitBox(native, 0.75, 'center')
    const output = { width: crop.width, height: crop.height }
    const recipe = compositeRecipe({ output, result: native, crop, located, source: { width: 1152, height: 1536 }, format: 'jpeg' })
    expect(recipe.layers[0]).toEqual({ picture: 'result', from: crop, to: { x: 0, y: 0, width: crop.width, height: crop.height } })
    expect(recipe.layers[1].to).toEqual({ x: located.x - crop.x, y: 0, width: 1152, height: 1536 })
    expect(recipe.layers[1].match?.edges).toEqual(['right', 'left'])
  })

  it('maps result pixels to output pixels axis by axis through the crop', () => {
    const crop = { x: 100, y: 50, width: 1000, height: 500 }
    expect(resultBoxInOutput({ x: 200, y: 100, width: 500, height: 250 }, crop, { width: 2000, height: 1500 })).toEqual({ x: 200, y: 150, width: 1000, height: 750 })
  })
})

describe('resultOnlyRecipe', () => {
  it('keeps the model result alone (no match): the crop over the whole output', () => {
    const crop = { x: 154, y: 0, width: 1229, height: 1536 }
    expect(resultOnlyRecipe({ output: { width: 1229, height: 1536 }, result: { width: 1536, height: 1536 }, crop, format: 'jpeg' })).toEqual({
      width: 1229,
      height: 1536,
      format: 'jpeg',
      layers: [{ picture: 'result', from: crop, to: { x: 0, y: 0, width: 1229, height: 1536 } }]
    })
  })
})

/**
 * A plain reference rasteriser for the layers these recipes use (no blur, no brightness, no flips):
 * each output pixel's centre mapped into the layer's region, sampled bilinearly (clamped inside the
 * region), its alpha scaled by the feather, drawn over what is there. Enough to measure a recipe; the
 * real backends are sharp and canvas.
 */
function drawRecipe(recipe: RenderRecipe, pictures: Record<PictureId, RgbaImage>): RgbaImage {
  const out = createRgbaImage(recipe.width, recipe.height)
  for (const layer of recipe.layers) drawLayer(out, layer, pictures[layer.picture])
  // seam matches: the shared arithmetic the backends call, on the box as they snap it
  const output = { width: recipe.width, height: recipe.height }
  for (const layer of recipe.layers) {
    const x = Math.round(layer.to.x)
    const y = Math.round(layer.to.y)
    const target = { x, y, width: Math.round(layer.to.x + layer.to.width) - x, height: Math.round(layer.to.y + layer.to.height) - y }
    for (const match of seamMatchesOf(layer, target)) matchSeam({ data: out.data, channels: 4, box: { x: 0, y: 0, ...output } }, match, output)
  }
  return out
}

function drawLayer(out: RgbaImage, layer: Layer, picture: RgbaImage): void {
  if (layer.blur || layer.brightness !== undefined || layer.flip) throw new Error('drawRecipe draws plain layers only')
  const { from, to } = layer
  const x0 = Math.max(0, Math.floor(to.x))
  const y0 = Math.max(0, Math.floor(to.y))
  const x1 = Math.min(out.width, Math.ceil(to.x + to.width))
  const y1 = Math.min(out.height, Math.ceil(to.y + to.height))
  for (let y = y0; y < y1; y++) {
    const cy = y + 0.5
    if (cy < to.y || cy > to.y + to.height) continue
    const v = Math.min(from.y + from.height - 0.5, Math.max(from.y + 0.5, from.y + ((cy - to.y) / to.height) * from.height)) - 0.5
    for (let x = x0; x < x1; x++) {
      const cx = x + 0.5
      if (cx < to.x || cx > to.x + to.width) continue
      const u = Math.min(from.x + from.width - 0.5, Math.max(from.x + 0.5, from.x + ((cx - to.x) / to.width) * from.width)) - 0.5
      const colour = bilinearRgba(picture, u, v)
      let alpha = colour[3] / 255
      if (layer.feather) {
        const distance: Record<string, number> = { left: cx - to.x, right: to.x + to.width - cx, top: cy - to.y, bottom: to.y + to.height - cy }
        for (const edge of layer.feather.edges) alpha *= Math.min(1, distance[edge] / layer.feather.width)
      }
      const o = (y * out.width + x) * 4
      const under = out.data[o + 3] / 255
      const a = alpha + under * (1 - alpha)
      for (let c = 0; c < 3; c++) out.data[o + c] = a > 0 ? (colour[c] * alpha + out.data[o + c] * under * (1 - alpha)) / a : 0
      out.data[o + 3] = a * 255
    }
  }
}

function bilinearRgba(image: RgbaImage, u: number, v: number): number[] {
  const x = Math.max(0, Math.min(image.width - 1, u))
  const y = Math.max(0, Math.min(image.height - 1, v))
  const left = Math.min(image.width - 2, Math.floor(x))
  const top = Math.min(image.height - 2, Math.floor(y))
  const fx = image.width > 1 ? x - Math.max(0, left) : 0
  const fy = image.height > 1 ? y - Math.max(0, top) : 0
  const at = (i: number, j: number, c: number) => image.data[(Math.min(image.height - 1, Math.max(0, j)) * image.width + Math.min(image.width - 1, Math.max(0, i))) * 4 + c]
  const l = Math.max(0, left)
  const t = Math.max(0, top)
  return [0, 1, 2, 3].map((c) => {
    const a = at(l, t, c) + (at(l + 1, t, c) - at(l, t, c)) * fx
    const b = at(l, t + 1, c) + (at(l + 1, t + 1, c) - at(l, t + 1, c)) * fx
    return a + (b - a) * fy
  })
}

async function decode(bytes: Uint8Array | Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) }
}

async function copyOf(bytes: Uint8Array | Buffer, maxEdge: number): Promise<RgbaImage> {
  return decode(await sharp(bytes).resize(maxEdge, maxEdge, { fit: 'inside', withoutEnlargement: true, fastShrinkOnLoad: false }).png().toBuffer())
}

/** The source, resampled into the output box it was drawn at: what the composite should show there. */
async function sourceAt(bytes: Uint8Array, box: Box, output: { width: number; height: number }): Promise<RgbaImage> {
  const frame = createRgbaImage(output.width, output.height)
  drawLayer(frame, { picture: 'source', from: { x: 0, y: 0, ...(await sharp(bytes).metadata().then((m) => ({ width: m.width ?? 1, height: m.height ?? 1 }))) }, to: box }, await decode(bytes))
  return frame
}

describe('a composite drawn from the recipe, on the fake model', () => {
  it.each([
    ['honoured box', { surround: 'generated' }],
    ['redrawn source area', { redraw: 'degraded', surround: 'generated' }],
    ['ignored box', { ignoreBox: true, surround: 'generated' }]
  ] as [string, ModelBehaviour][])('keeps the original in its box and shows no seam (%s)', async (_, behaviour) => {
    const rows: string[] = []
    for (const name of ['chelsea.png', 'coffee.png']) {
      const bytes = fixture(name)
      const meta = await sharp(bytes).metadata()
      const size = { width: meta.width ?? 1, height: meta.height ?? 1 }
      const plan = planReframe({ layer: size, pixels: size, size: '16:9', engine: 'hosted', placement: 'end', frameMode: 'around' })
      const native = plan.hosted!.generated
      const resultSize = { width: 1024, height: 576 }
      const planned = scaleBox(plan.hosted!.sourceBox, native, resultSize)
      const rendered = await renderModelResult(bytes, { size: resultSize, requested: planned, behaviour, fill: '#6a6a6a' })
      const resultImage = await decode(rendered.bytes)

      const edges = locateAnalysisEdges(resultSize, size, planned)
      const resultCopy = await copyOf(rendered.bytes, edges.result)
      const match = locateSource(resultCopy, await copyOf(bytes, edges.source), scaleBox(planned, resultSize, resultCopy), { fullSize: { source: size, result: resultSize } })
      expect(judgeMatch(match)).toEqual({ matched: true })
      const located = scaleBox(match.box, resultCopy, resultSize)
      const output = plan.output
      const crop = cropOnResult(plan, resultSize)
      const recipe = compositeRecipe({ output, result: resultSize, crop, located, source: size, planned: plan.sourceBox, format: 'png' })
      const drawn = drawRecipe(recipe, { result: resultImage, source: await decode(bytes) })

      // inside the box (away from the 5 px reach of SSIM's window, which sees the surround), the composite is the original
      const box = recipe.layers[1].to
      const margin = Math.ceil(recipe.layers[1].feather?.width ?? 0) + 6
      const inner = { x: Math.ceil(box.x) + margin, y: Math.ceil(box.y) + margin, width: Math.floor(box.width) - 2 * margin, height: Math.floor(box.height) - 2 * margin }
      // the seam measured over 3% of the box's short side either side of the edge (the "a few percent")
      const band = Math.max(2, 0.03 * Math.min(box.width, box.height))
      const original = await sourceAt(bytes, box, output)
      const kept = ssim(drawn, original, inner)
      expect(kept).toBeGreaterThan(0.999)
      // the gradient across the seam band against the flanks just beyond it (seamGradients): the whole
      // image's mean would weigh the sharp original against the fake's blurred surround by area
      const local = (gradients: { seam: number; near: number }) => gradients.seam / gradients.near
      const seam = local(seamGradients(drawn, box, band))
      const before = local(seamGradients(resultImage, located, Math.max(2, band * (resultSize.width / output.width))))
      rows.push(`${name}: output ${output.width}x${output.height}, box ${JSON.stringify(box)}, ssim inside ${kept.toFixed(4)}, seam gradient ratio ${seam.toFixed(2)} (the model's result alone: ${before.toFixed(2)})`)
      // the fake's surround is a blurred cover: even its own result has a step where sharp meets blurred;
      // the composite must not add to it
      expect(seam).toBeLessThan(Math.max(1.2, before * 1.05))
    }
    console.log(rows.join('\n'))
  })
})
