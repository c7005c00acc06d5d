// The Node backend (CLI, tests, benchmarks): sharp (libvips) decodes once into a raw buffer held by
// libvips' side of Node, and draws each recipe as one streaming pipeline: the bottom layer is the
// pipeline's input, the others are composited over it, and only small copies (blurs) and the visible
// part of each upper layer are ever materialised (an output whose seams are matched is materialised
// once, and an opaque 1:1 top layer is copied into it row by row). No pixel loop in JavaScript touches
// a full-size image except the one area average that makes the analysis copy, reading the raw buffer
// in place (and a 3-channel top layer copied into a 4-channel output).
import sharp, { type OverlayOptions, type Sharp } from 'sharp'
import { availableParallelism } from 'node:os'
import { isWholeOf } from '../core/bounding-box'
import { ReframeError } from '../core/reframe-error'
import { createPriorityLimiter } from './priority-limiter'
import type { Size } from '../core/ratios'
import { analysisSampleStep, createAreaShrinker } from './area-shrinker'
import { fitWithin } from '../core/reframe-plan'
import { DamagedImageError, findPngStreamDamageAsync, throwIfDamaged } from './image-damage'
import { planLayer, type LayerPlan, type PixelBox } from './layer-plan'
import { isFeathered, isPlainCopy, layerOverlay, layerPipeline, type NodePicture } from './node-layers'
import { matchSeam, seamMatchesOf } from './seam-match'
import { toRgba } from './premultiplied-image'
import { JPEG_QUALITY, type ImageBackend, type Picture, type PictureId, type RenderRecipe } from './render-recipe'
import type { RgbaImage } from './rgba-image'
import { readImageHeader, type EncodedImage } from '../core/image-header'

/** Largest input accepted: 10000 x 10000 px, with headroom for a few px more on one side. */
const MAX_INPUT_PIXELS = 10_240 * 10_240

/**
 * Decodes and renders at once in this process: one per core keeps every core busy (a JPEG decode or
 * encode runs on one thread however many libvips has). More would only hold more pipelines' buffers in
 * memory at the same time (a 4K JPEG encode alone holds ~25 MB of coefficients), and would take every
 * thread of Node's pool, where file reads wait their turn behind them. Waiting decodes go before
 * waiting renders: a decoded picture's analysis (JavaScript, on the main thread) then overlaps the
 * renders, instead of the last picture's analysis starting only once every other render is done.
 */
const nativeWork = createPriorityLimiter(Math.max(1, availableParallelism()), ['decode', 'render'])

/** Source rows averaged between two looks at the event loop while the analysis copy is made (~10 ms). */
const ANALYSIS_BAND_ROWS = 256

export const nodeBackend: ImageBackend = {
  async decode(bytes: Uint8Array): Promise<Picture> {
    throwIfDamaged(bytes)
    return nativeWork.run('decode', () => decodePicture(bytes))
  },

  async analysis(picture: Picture, maxEdge: number): Promise<RgbaImage> {
    const { pixels, channels, width, height } = nodePicture(picture)
    const size = fitWithin(picture, maxEdge)
    const step = analysisSampleStep(picture, size.width, size.height)
    const shrinker = createAreaShrinker(picture, { x: 0, y: 0, width, height }, size.width, size.height, step)
    // a band at a time, letting the event loop run in between: decodes and renders that finish meanwhile
    // hand their slot on at once instead of leaving a core idle until the whole copy is made
    for (let y = shrinker.rows.from; y < shrinker.rows.to; y += ANALYSIS_BAND_ROWS) {
      if (y > shrinker.rows.from) await new Promise((resolve) => setImmediate(resolve))
      const rows = Math.min(ANALYSIS_BAND_ROWS, height - y)
      shrinker.addRows(pixels.subarray(y * width * channels), channels, y, rows)
    }
    return toRgba(shrinker.result())
  },

  async locateCopy(picture: Picture, maxEdge: number): Promise<RgbaImage> {
    const { pixels, channels, width, height } = nodePicture(picture)
    const size = fitWithin(picture, maxEdge)
    let pipeline = sharp(pixels, { raw: { width, height, channels } })
    if (size.width !== width || size.height !== height) pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' })
    const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) }
  },

  render(recipe: RenderRecipe, pictures: Partial<Record<PictureId, Picture>>): Promise<EncodedImage> {
    return nativeWork.run('render', () => renderRecipe(recipe, pictures))
  }
}

async function decodePicture(bytes: Uint8Array): Promise<Picture> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1, page: 0 })
      .rotate() // EXIF orientation: the image as people see it
      .toColourspace('srgb') // CMYK, grey, 16-bit and palette inputs all end as 8-bit sRGB
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3 && info.channels !== 4) throw new Error(`unexpected ${info.channels} channels after decoding`)
    const hasAlpha = readImageHeader(bytes)?.hasAlpha ?? info.channels === 4
    const picture: NodePicture = { width: info.width, height: info.height, hasAlpha, pixels: data, channels: info.channels }
    return picture
  } catch (error) {
    // a PNG whose chunks are whole may still hold a cut-short image stream: say so rather than "unreadable"
    const damage = await findPngStreamDamageAsync(bytes)
    if (damage !== null) throw new DamagedImageError(damage)
    throw new ReframeError('decode', `This file is not an image the engine can read (${describe(error)}).`, { cause: error })
  }
}

async function renderRecipe(recipe: RenderRecipe, pictures: Partial<Record<PictureId, Picture>>): Promise<EncodedImage> {
  const output: Size = { width: recipe.width, height: recipe.height }
  const plans: Array<{ plan: LayerPlan; picture: NodePicture }> = []
  for (const layer of recipe.layers) {
    const picture = nodePicture(pictures[layer.picture], layer.picture)
    const plan = planLayer(layer, picture, output)
    if (plan !== null) plans.push({ plan, picture })
  }
  // JPEG has no alpha: everything lands on white, as it does in the browser
  const background = recipe.format === 'jpeg' ? { r: 255, g: 255, b: 255, alpha: 1 } : { r: 0, g: 0, b: 0, alpha: 0 }
  const baseIndex = chooseBase(plans, recipe)
  const chosen = plans[baseIndex]
  const padded = chosen !== undefined && !isWholeOf(chosen.plan.visible, output)
  if (padded && chosen.picture.channels === 4 && plans.length > 1) return renderAroundExactCopy(recipe, plans, baseIndex)
  const matched = plans.some(({ plan }) => seamMatchesOf(plan.layer, plan.target).length > 0)
  // an opaque 1:1 top layer over an output materialised anyway (to match its seams): its rows are
  // copied in after libvips draws the rest (composite runs in float, several times a byte copy's cost)
  const top = plans.length - 1
  const copiedTop = matched && top > 0 && top !== baseIndex && isPlainCopy(plans[top].plan) && plans[top].picture.channels === 3
  let base: Sharp | undefined
  const overlays: OverlayOptions[] = []
  for (const [index, { plan, picture }] of plans.entries()) {
    if (copiedTop && index === top) continue
    if (index !== baseIndex) overlays.push(await layerOverlay(plan, picture))
    else if (!padded) base = await layerPipeline(plan, picture)
    else base = (await layerPipeline(plan, picture)).extend({ ...edgesAround(plan.visible, output), background })
  }
  let pipeline = base ?? sharp({ create: { ...output, channels: recipe.format === 'jpeg' ? 3 : 4, background } })
  if (overlays.length > 0) pipeline = pipeline.composite(overlays)
  if (!matched) return encode(pipeline, recipe)
  // seams to match: the output drawn once into memory, the bands outside them shifted, then encoded
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  const channels = info.channels as 3 | 4
  if (copiedTop) copyRows(data, channels, output, plans[top].plan, plans[top].picture)
  return encode(matchedSeams(data, channels, plans, output), recipe)
}

/** A 1:1 opaque layer's visible rows copied into a raw output (3 or 4 channels, alpha set opaque). */
function copyRows(data: Buffer, channels: 3 | 4, output: Size, plan: LayerPlan, picture: NodePicture): void {
  const { source, target, visible } = plan
  for (let y = 0; y < visible.height; y++) {
    const from = ((source.y + visible.y - target.y + y) * picture.width + source.x + visible.x - target.x) * 3
    const to = ((visible.y + y) * output.width + visible.x) * channels
    if (channels === 3) picture.pixels.copy(data, to, from, from + visible.width * 3)
    else {
      for (let x = 0, i = from, o = to; x < visible.width; x++, i += 3, o += 4) {
        data[o] = picture.pixels[i]
        data[o + 1] = picture.pixels[i + 1]
        data[o + 2] = picture.pixels[i + 2]
        data[o + 3] = 255
      }
    }
  }
}

/** The layers' seam matches applied to the raw output in place, as a pipeline to encode. */
function matchedSeams(data: Buffer, channels: 3 | 4, plans: Array<{ plan: LayerPlan }>, output: Size): Sharp {
  const box = { x: 0, y: 0, width: output.width, height: output.height }
  for (const { plan } of plans) for (const match of seamMatchesOf(plan.layer, plan.target)) matchSeam({ data, channels, box }, match, output)
  return sharp(data, { raw: { width: output.width, height: output.height, channels } })
}

async function encode(pipeline: Sharp, recipe: RenderRecipe): Promise<EncodedImage> {
  const encoded =
    recipe.format === 'jpeg'
      ? // no optimised Huffman tables: the same pixels, a file ~3% larger, encoded in half the time
        pipeline.jpeg({ quality: Math.round((recipe.quality ?? JPEG_QUALITY) * 100), optimiseCoding: false })
      : // level 6 with no adaptive filtering: close to the default size, clearly faster on photos
        pipeline.png({ compressionLevel: 6, adaptiveFiltering: false })
  const bytes = await encoded.toBuffer()
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), width: recipe.width, height: recipe.height, format: recipe.format }
}

/**
 * A translucent picture drawn 1:1 where nothing else is (a transparent PNG in a fill frame): libvips
 * composites in float and truncates, so a semi-transparent pixel in a tile that any other layer touches
 * could lose a level. The other layers are composited first, then the picture's rows are copied in
 * (byte copies, no pixel loop), so its pixels, and even the colour under transparent ones, stay exact.
 */
async function renderAroundExactCopy(recipe: RenderRecipe, plans: Array<{ plan: LayerPlan; picture: NodePicture }>, exactIndex: number): Promise<EncodedImage> {
  const { width, height } = recipe
  const overlays: OverlayOptions[] = []
  for (const [index, { plan, picture }] of plans.entries()) if (index !== exactIndex) overlays.push(await layerOverlay(plan, picture))
  const canvas = await sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite(overlays)
    .raw()
    .toBuffer()
  const { plan, picture } = plans[exactIndex]
  const { source, target, visible } = plan
  const rowBytes = visible.width * 4
  for (let y = 0; y < visible.height; y++) {
    const from = ((source.y + visible.y - target.y + y) * picture.width + source.x + visible.x - target.x) * 4
    picture.pixels.copy(canvas, ((visible.y + y) * width + visible.x) * 4, from, from + rowBytes)
  }
  return encode(matchedSeams(canvas, 4, plans, { width, height }), recipe)
}

function nodePicture(picture: Picture | undefined, id: PictureId | 'picture' = 'picture'): NodePicture {
  if (picture === undefined) throw new Error(`the recipe draws the ${id} picture, which was not given`)
  if (!('pixels' in picture)) throw new Error('this picture was not decoded by the Node backend')
  return picture as NodePicture
}

/**
 * Which layer becomes the pipeline's input (the others are composited over it), or -1 for a blank
 * canvas: the bottom layer when it fills the output with nothing to mask; otherwise a plain 1:1 copy
 * that no other layer overlaps (order does not matter between layers that do not touch), padded out to
 * the output. Both spare a full-size blank canvas, and the second keeps the copy exact to the level:
 * compositing over transparency rounds semi-transparent colour.
 */
function chooseBase(plans: Array<{ plan: LayerPlan; picture: NodePicture }>, recipe: RenderRecipe): number {
  const opaqueEnough = (picture: NodePicture) => recipe.format === 'png' || picture.channels === 3
  if (plans.length === 0) return -1
  const [{ plan, picture }] = plans
  if (isWholeOf(plan.visible, recipe) && opaqueEnough(picture) && !isFeathered(plan)) return 0
  return plans.findIndex(
    (candidate, index) =>
      opaqueEnough(candidate.picture) &&
      isPlainCopy(candidate.plan) &&
      plans.every((other, otherIndex) => otherIndex === index || !overlaps(other.plan.visible, candidate.plan.visible))
  )
}

function overlaps(a: PixelBox, b: PixelBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/** Padding that puts `box` at its place in an `output`-sized image. */
function edgesAround(box: PixelBox, output: Size): { top: number; left: number; bottom: number; right: number } {
  return { top: box.y, left: box.x, bottom: output.height - box.y - box.height, right: output.width - box.x - box.width }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0].replace(/^Input buffer /, '').trim() || 'unknown format'
}
