// One layer of a render recipe as sharp draws it: a pipeline giving the layer's visible part (extract,
// resize, mirror, darken; a blur made on a small copy and scaled up), and that part as an overlay at its
// place in the output, feathered when asked. The Node backend (backend-node.ts) stacks them.
import sharp, { type OverlayOptions, type Sharp } from 'sharp'
import { isWholeOf } from '../core/bounding-box'
import { featherRamps, type LayerPlan, type PixelBox } from './layer-plan'
import type { Picture } from './render-recipe'

/** A decoded picture: 8-bit sRGB, 3 channels when it has no alpha, 4 (straight alpha) when it has. */
export type NodePicture = Picture & { readonly pixels: Buffer; readonly channels: 3 | 4 }

function rawInput(picture: NodePicture): Sharp {
  return sharp(picture.pixels, { raw: { width: picture.width, height: picture.height, channels: picture.channels } })
}

/**
 * A pipeline giving the visible part of a layer (not yet run). Without a blur it reads the picture
 * directly: extract, resize, mirror, crop to what shows, darken. With one, a small blurred copy is made
 * first and the pipeline scales it up.
 */
export async function layerPipeline(plan: LayerPlan, picture: NodePicture): Promise<Sharp> {
  const { source, target, visible, brightness } = plan
  const flip = plan.layer.flip ?? {}
  const shown = relativeTo(visible, target)
  const resized = source.width !== target.width || source.height !== target.height
  const cropped = shown.width !== target.width || shown.height !== target.height
  let pipeline: Sharp
  if (plan.blur !== undefined) {
    const small = await blurredCopy(plan, picture)
    pipeline = sharp(small.data, { raw: small.info })
    if (small.info.width !== target.width || small.info.height !== target.height) {
      pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' })
    }
    if (cropped) pipeline = pipeline.extract(pixelRegion(shown))
    return pipeline
  }
  pipeline = rawInput(picture)
  if (resized) {
    pipeline = pipeline.extract(pixelRegion(source)).resize(target.width, target.height, { fit: 'fill' })
    pipeline = mirrored(pipeline, flip)
    if (cropped) pipeline = pipeline.extract(pixelRegion(shown))
  } else {
    // same size: one extract of the part that shows, found in the unmirrored source
    const x = flip.x ? source.x + source.width - shown.x - shown.width : source.x + shown.x
    const y = flip.y ? source.y + source.height - shown.y - shown.height : source.y + shown.y
    if (!isWholeOf({ x, y, width: shown.width, height: shown.height }, picture)) pipeline = pipeline.extract({ left: x, top: y, width: shown.width, height: shown.height })
    pipeline = mirrored(pipeline, flip)
  }
  if (brightness !== 1) pipeline = pipeline.recomb(darken(brightness))
  return pipeline
}

/** The layer's visible part as a raw overlay at its place in the output, feathered when asked. */
export async function layerOverlay(plan: LayerPlan, picture: NodePicture): Promise<OverlayOptions> {
  const { source, target, visible } = plan
  const feathered = isFeathered(plan)
  const untouched =
    isPlainCopy(plan) && isWholeOf(source, picture) && visible.width === target.width && visible.height === target.height
  if (untouched) {
    // the whole picture at 1:1: sharp reads the decoded buffer itself, no copy
    return { input: picture.pixels, raw: rawOf(picture), left: visible.x, top: visible.y }
  }
  let pipeline = await layerPipeline(plan, picture)
  if (feathered) {
    pipeline = pipeline.composite([{ input: featherMask(plan), raw: { width: visible.width, height: visible.height, channels: 2 }, blend: 'dest-in' }])
  }
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  return { input: data, raw: { width: info.width, height: info.height, channels: info.channels as 3 | 4 }, left: visible.x, top: visible.y }
}

/** The region read, reduced to the blur plan's size, mirrored, blurred and darkened (a few thousand pixels). */
async function blurredCopy(plan: LayerPlan, picture: NodePicture): Promise<{ data: Buffer; info: { width: number; height: number; channels: 3 | 4 } }> {
  const blur = plan.blur!
  const { source } = plan
  let pipeline = rawInput(picture).extract(pixelRegion(source))
  if (blur.width !== source.width || blur.height !== source.height) pipeline = pipeline.resize(blur.width, blur.height, { fit: 'fill' })
  pipeline = mirrored(pipeline, plan.layer.flip ?? {})
  // libvips extends edges by copying them before convolving: the meaning the recipe gives a blur.
  // A low minimum amplitude keeps the kernel a true Gaussian out to ~3 sigma (the default cuts at 1.8).
  if (blur.sigma >= 0.3) pipeline = pipeline.blur({ sigma: blur.sigma, minAmplitude: 0.01 })
  if (plan.brightness !== 1) pipeline = pipeline.recomb(darken(plan.brightness))
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  return { data, info: { width: info.width, height: info.height, channels: info.channels as 3 | 4 } }
}

/** Grey-and-alpha mask of the visible part: white, with alpha the product of the feather ramps. */
function featherMask(plan: LayerPlan): Buffer {
  const { visible } = plan
  const ramps = featherRamps(plan.layer, plan.target, visible)
  const mask = Buffer.alloc(visible.width * visible.height * 2, 255)
  for (let y = 0; y < visible.height; y++) {
    const ry = ramps.y[y]
    let o = y * visible.width * 2 + 1
    for (let x = 0; x < visible.width; x++, o += 2) mask[o] = Math.round(255 * ry * ramps.x[x])
  }
  return mask
}

function mirrored(pipeline: Sharp, flip: { x?: boolean; y?: boolean }): Sharp {
  let out = pipeline
  if (flip.x) out = out.flop()
  if (flip.y) out = out.flip()
  return out
}

/** Colour times `brightness`, alpha kept (recomb runs before compositing, on premultiplied values when there is alpha). */
function darken(brightness: number): [[number, number, number], [number, number, number], [number, number, number]] {
  return [
    [brightness, 0, 0],
    [0, brightness, 0],
    [0, 0, brightness]
  ]
}

function relativeTo(box: PixelBox, origin: PixelBox): PixelBox {
  return { x: box.x - origin.x, y: box.y - origin.y, width: box.width, height: box.height }
}

function pixelRegion(box: PixelBox): { left: number; top: number; width: number; height: number } {
  return { left: box.x, top: box.y, width: box.width, height: box.height }
}

function rawOf(picture: NodePicture): { width: number; height: number; channels: 3 | 4 } {
  return { width: picture.width, height: picture.height, channels: picture.channels }
}

export function isFeathered(plan: LayerPlan): boolean {
  return plan.layer.feather !== undefined && plan.layer.feather.edges.length > 0 && plan.layer.feather.width > 0
}

/** Drawn at 1:1 with no effect: the picture's pixels as they are. */
export function isPlainCopy(plan: LayerPlan): boolean {
  const flip = plan.layer.flip ?? {}
  return (
    plan.blur === undefined && plan.brightness === 1 && !isFeathered(plan) && !flip.x && !flip.y &&
    plan.source.width === plan.target.width && plan.source.height === plan.target.height
  )
}
