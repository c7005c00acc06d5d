// One layer of a render recipe as a canvas draws it (drawImage with high-quality smoothing, `filter:
// blur()` on a small copy or a box blur in script where the context has no filter, darkening, mirrors,
// 'destination-in' feathers, seam colour matches), and the canvases the browser backend draws on.
import { ReframeError } from '../core/reframe-error'
import type { Size } from '../core/ratios'
import { featherRamps, featherWidth, type LayerPlan, type PixelBox } from './layer-plan'
import type { Edge } from './render-recipe'
import { matchSeam, seamMatchArea, seamMatchesOf } from './seam-match'
import { boxBlur } from './box-blur'
import { createPremultipliedImage, toRgba } from './premultiplied-image'

export type AnyCanvas = OffscreenCanvas | HTMLCanvasElement
export type Context2d = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D

/**
 * One layer onto the output: a plain copy is drawn straight in; a blurred one is scaled up from its small
 * copy, which carries its darkening and its feather already; a sharp one feathered along one axis goes
 * in band by band; any other feathered or darkened full-resolution one goes through a scratch canvas
 * the size of its visible part.
 */
export function drawLayer(context: Context2d, plan: LayerPlan, bitmap: ImageBitmap): void {
  const { layer, target, visible, brightness } = plan
  const feathered = layer.feather !== undefined && layer.feather.edges.length > 0 && layer.feather.width > 0
  if (plan.blur !== undefined) {
    // a blurred layer is smooth: its feather goes on the small copy (the ramps scaled with it), and
    // the one scaled draw brings both to the output, with no full-size scratch
    const blurred = blurredCopy(plan, bitmap)
    if (feathered) {
      const sx = blurred.width / target.width
      const sy = blurred.height / target.height
      const box = { x: blurred.pad, y: blurred.pad, width: blurred.width, height: blurred.height }
      const size = { width: blurred.width + 2 * blurred.pad, height: blurred.height + 2 * blurred.pad }
      feather(blurred.context, box, size, (edge) => featherWidth(layer.feather!, edge) * (edge === 'left' || edge === 'right' ? sx : sy), layer.feather!.edges)
    }
    drawScaledUp(context, blurred, target)
    return
  }
  if (!feathered && brightness === 1) {
    drawRegion(context, bitmap, plan.source, target, layer.flip)
    return
  }
  if (brightness === 1 && featherAlongOneAxis(layer.feather!.edges)) {
    drawInBands(context, plan, bitmap)
    return
  }
  const scratch = createCanvas(visible.width, visible.height)
  const local = context2d(scratch)
  const shifted = { ...target, x: target.x - visible.x, y: target.y - visible.y }
  drawRegion(local, bitmap, plan.source, shifted, layer.flip)
  if (brightness !== 1) darken(local, brightness, visible.width, visible.height)
  if (feathered) feather(local, shifted, visible, (edge) => featherWidth(layer.feather!, edge), layer.feather!.edges)
  context.drawImage(scratch, visible.x, visible.y)
}

/** Whether every feathered edge ramps along the same axis (the mask is then one ramp, across rows or columns). */
function featherAlongOneAxis(edges: readonly Edge[]): boolean {
  return edges.every((edge) => edge === 'left' || edge === 'right') || edges.every((edge) => edge === 'top' || edge === 'bottom')
}

/**
 * A sharp layer feathered along one axis, drawn straight into the output with no scratch canvas: its
 * ramp (the one Node masks with, in whole 1/255 steps) cut into runs of rows or columns of equal alpha,
 * each run drawn clipped to itself with that alpha. A new full-size canvas costs more than the draws.
 */
function drawInBands(context: Context2d, plan: LayerPlan, bitmap: ImageBitmap): void {
  const { visible } = plan
  const ramps = featherRamps(plan.layer, plan.target, visible)
  const across = plan.layer.feather!.edges[0] === 'left' || plan.layer.feather!.edges[0] === 'right'
  const ramp = across ? ramps.x : ramps.y
  let start = 0
  for (let i = 1; i <= ramp.length; i++) {
    const level = Math.round(255 * ramp[start])
    if (i < ramp.length && Math.round(255 * ramp[i]) === level) continue
    if (level > 0) {
      context.save()
      context.beginPath()
      if (across) context.rect(visible.x + start, visible.y, i - start, visible.height)
      else context.rect(visible.x, visible.y + start, visible.width, i - start)
      context.clip()
      context.globalAlpha = level / 255
      drawRegion(context, bitmap, plan.source, plan.target, plan.layer.flip)
      context.restore()
    }
    start = i
  }
}

/** The layer's seam matches, each on the strip it touches, read back from the canvas and written back. */
export function matchSeams(context: Context2d, plan: LayerPlan, output: Size): void {
  for (const match of seamMatchesOf(plan.layer, plan.target)) {
    const area = seamMatchArea(match, output)
    if (area === null) continue
    const pixels = context.getImageData(area.x, area.y, area.width, area.height)
    matchSeam({ data: pixels.data, channels: 4, box: area }, match, output)
    context.putImageData(pixels, area.x, area.y)
  }
}

/** Black at (1 - brightness) over the canvas's own pixels only: colour times brightness, alpha kept. */
function darken(context: Context2d, brightness: number, width: number, height: number): void {
  context.globalCompositeOperation = 'source-atop'
  context.fillStyle = `rgba(0, 0, 0, ${1 - brightness})`
  context.fillRect(0, 0, width, height)
  context.globalCompositeOperation = 'source-over'
}

/**
 * A blurred small copy stretched over `target`. Bilinear ('medium') is enough for a picture blurred over
 * several of its own pixels, and many times faster than 'high' (bicubic) on a full-size frame.
 */
function drawScaledUp(context: Context2d, blurred: BlurredCopy, target: PixelBox): void {
  context.imageSmoothingEnabled = true
  context.imageSmoothingQuality = 'medium'
  context.drawImage(blurred.copy, blurred.pad, blurred.pad, blurred.width, blurred.height, target.x, target.y, target.width, target.height)
}

/** `source` of the bitmap scaled into `target`, mirrored as asked. */
function drawRegion(context: Context2d, bitmap: ImageBitmap, source: PixelBox, target: PixelBox, flip: { x?: boolean; y?: boolean } = {}): void {
  context.save()
  smooth(context)
  context.translate(target.x + (flip.x ? target.width : 0), target.y + (flip.y ? target.height : 0))
  context.scale(flip.x ? -1 : 1, flip.y ? -1 : 1)
  context.drawImage(bitmap, source.x, source.y, source.width, source.height, 0, 0, target.width, target.height)
  context.restore()
}

/**
 * The layer reduced to the blur plan's size, its edges extended by `pad` pixels (the blur's reach),
 * blurred and darkened: the canvas filter treats the outside as transparent, libvips as a copy of the
 * edge; padding with the edge makes both mean the same.
 */
type BlurredCopy = { copy: AnyCanvas; context: Context2d; pad: number; width: number; height: number }

function blurredCopy(plan: LayerPlan, bitmap: ImageBitmap): BlurredCopy {
  const { width, height, sigma } = plan.blur!
  const pad = Math.ceil(3 * sigma)
  const padded = createCanvas(width + 2 * pad, height + 2 * pad)
  const context = context2d(padded)
  drawRegion(context, bitmap, plan.source, { x: pad, y: pad, width, height }, plan.layer.flip)
  if (pad > 0) {
    context.imageSmoothingEnabled = false
    context.drawImage(padded, pad, pad, width, 1, pad, 0, width, pad)
    context.drawImage(padded, pad, pad + height - 1, width, 1, pad, pad + height, width, pad)
    context.drawImage(padded, pad, 0, 1, height + 2 * pad, 0, 0, pad, height + 2 * pad)
    context.drawImage(padded, pad + width - 1, 0, 1, height + 2 * pad, pad + width, 0, pad, height + 2 * pad)
  }
  const blurred = createCanvas(width + 2 * pad, height + 2 * pad)
  const out = context2d(blurred)
  if (typeof out.filter === 'string') {
    out.filter = `blur(${sigma}px)`
    out.drawImage(padded, 0, 0)
    out.filter = 'none'
  } else {
    // no canvas filters (Safari): three box blurs in script, on this small copy only
    blurInScript(context, width + 2 * pad, height + 2 * pad, sigma)
    out.drawImage(padded, 0, 0)
  }
  if (plan.brightness !== 1) darken(out, plan.brightness, width + 2 * pad, height + 2 * pad)
  return { copy: blurred, context: out, pad, width, height }
}

/** Three box blurs (a Gaussian of about `sigma`) over a small canvas, premultiplied, in place. */
function blurInScript(context: Context2d, width: number, height: number, sigma: number): void {
  const pixels = context.getImageData(0, 0, width, height)
  const image = createPremultipliedImage(width, height)
  for (let i = 0; i < pixels.data.length; i += 4) {
    const a = pixels.data[i + 3]
    image.data[i] = (pixels.data[i] * a) / 255
    image.data[i + 1] = (pixels.data[i + 1] * a) / 255
    image.data[i + 2] = (pixels.data[i + 2] * a) / 255
    image.data[i + 3] = a
  }
  // three passes of width 2r + 1 have a variance of 3((2r + 1)^2 - 1) / 12 = sigma^2
  boxBlur(image, Math.round((Math.sqrt(4 * sigma * sigma + 1) - 1) / 2))
  const straight = toRgba(image)
  context.putImageData(new ImageData(straight.data as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0)
}

/**
 * Multiplies the alpha of a `size` canvas by each edge's ramp: 0 at that edge of `box` (the layer's
 * target in the canvas's coordinates), 1 `widthOf(edge)` px inside.
 */
function feather(context: Context2d, box: PixelBox, size: Size, widthOf: (edge: Edge) => number, edges: readonly Edge[]): void {
  context.globalCompositeOperation = 'destination-in'
  for (const edge of edges) {
    const width = widthOf(edge)
    const { x: left, y: top } = box
    const [x0, y0, x1, y1] =
      edge === 'left'
        ? [left, 0, left + width, 0]
        : edge === 'right'
          ? [left + box.width, 0, left + box.width - width, 0]
          : edge === 'top'
            ? [0, top, 0, top + width]
            : [0, top + box.height, 0, top + box.height - width]
    const gradient = context.createLinearGradient(x0, y0, x1, y1)
    gradient.addColorStop(0, 'rgba(0, 0, 0, 0)')
    gradient.addColorStop(1, 'rgba(0, 0, 0, 1)')
    context.fillStyle = gradient
    context.fillRect(0, 0, size.width, size.height)
  }
  context.globalCompositeOperation = 'source-over'
}

function smooth(context: Context2d): void {
  context.imageSmoothingEnabled = true
  context.imageSmoothingQuality = 'high'
}

export function createCanvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  return canvas
}

export function context2d(canvas: AnyCanvas, willReadFrequently = false): Context2d {
  const context = canvas.getContext('2d', { willReadFrequently }) as Context2d | null
  if (!context) throw new ReframeError('decode', 'This browser cannot give the engine a 2D canvas.')
  return context
}
