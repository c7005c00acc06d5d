// The browser backend (the plugin UI): createImageBitmap decodes upright (EXIF applied), and each recipe
// is drawn with the canvas's own scaler (drawImage, high quality), filters (blur) and compositing
// (mirrors, darkening, 'destination-in' feathers), then encoded by the canvas. OffscreenCanvas when the
// page has one, a <canvas> otherwise. Same plan as the Node backend (`planLayer`), so both draw alike.
import { ReframeError } from '../core/reframe-error'
import type { Size } from '../core/ratios'
import { analysisSampleStep, createAreaShrinker } from './area-shrinker'
import { fitWithin } from '../core/reframe-plan'
import { DamagedImageError, findPngStreamDamageAsync, throwIfDamaged } from './image-damage'
import { planLayer, type LayerPlan, type PixelBox } from './layer-plan'
import { matchSeam, seamMatchArea, seamMatchesOf } from './seam-match'
import { boxBlur } from './box-blur'
import { createPremultipliedImage, toRgba } from './premultiplied-image'
import { JPEG_QUALITY, type ImageBackend, type Picture, type PictureId, type RenderRecipe } from './render-recipe'
import type { RgbaImage } from './rgba-image'
import { readImageHeader, type EncodedImage } from '../core/image-header'

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement
type Context2d = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D

type BrowserPicture = Picture & { readonly bitmap: ImageBitmap }

/** Rows read back at a time for analysis: a strip of the picture, never the whole of it at once. */
const ANALYSIS_BAND_BYTES = 8 * 1024 * 1024

export const browserBackend: ImageBackend = {
  async decode(bytes: Uint8Array): Promise<Picture> {
    throwIfDamaged(bytes)
    // a browser may draw a PNG whose image stream is cut short as far as it goes: check the stream first
    const streamDamage = await findPngStreamDamageAsync(bytes)
    if (streamDamage !== null) throw new DamagedImageError(streamDamage)
    let bitmap: ImageBitmap
    try {
      // premultiplied, as a canvas holds pixels: no conversion on every draw
      bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { imageOrientation: 'from-image', premultiplyAlpha: 'premultiply' })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new ReframeError('decode', `This file is not an image the engine can read (${reason}).`, { cause: error })
    }
    const picture: BrowserPicture = { width: bitmap.width, height: bitmap.height, hasAlpha: readImageHeader(bytes)?.hasAlpha ?? true, bitmap }
    return picture
  },

  async analysis(picture: Picture, maxEdge: number): Promise<RgbaImage> {
    const { bitmap, width, height } = browserPicture(picture)
    const size = fitWithin(picture, maxEdge)
    const step = analysisSampleStep(picture, size.width, size.height)
    const shrinker = createAreaShrinker(picture, { x: 0, y: 0, width, height }, size.width, size.height, step)
    const band = Math.max(1, Math.min(height, Math.floor(ANALYSIS_BAND_BYTES / (width * 4))))
    const canvas = createCanvas(width, band)
    const context = context2d(canvas, true)
    // whole pixels at 1:1: what the picture holds, with no smoothing in between
    context.imageSmoothingEnabled = false
    for (let y = shrinker.rows.from; y < shrinker.rows.to; y += band) {
      const rows = Math.min(band, height - y)
      context.clearRect(0, 0, width, band)
      context.drawImage(bitmap, 0, y, width, rows, 0, 0, width, rows)
      shrinker.addRows(context.getImageData(0, 0, width, rows).data, 4, y, rows)
    }
    return toRgba(shrinker.result())
  },

  async render(recipe: RenderRecipe, pictures: Partial<Record<PictureId, Picture>>): Promise<EncodedImage> {
    const output: Size = { width: recipe.width, height: recipe.height }
    const canvas = createCanvas(output.width, output.height)
    const context = context2d(canvas)
    if (recipe.format === 'jpeg') {
      // JPEG has no alpha: everything lands on white, as it does in Node
      context.fillStyle = '#ffffff'
      context.fillRect(0, 0, output.width, output.height)
    }
    for (const layer of recipe.layers) {
      const picture = browserPicture(pictures[layer.picture], layer.picture)
      const plan = planLayer(layer, picture, output)
      if (plan === null) continue
      drawLayer(context, plan, picture.bitmap)
      matchSeams(context, plan, output)
    }
    const type = recipe.format === 'jpeg' ? 'image/jpeg' : 'image/png'
    const blob = await toBlob(canvas, type, recipe.quality ?? JPEG_QUALITY)
    return { bytes: new Uint8Array(await blob.arrayBuffer()), ...output, format: recipe.format }
  },

  release(picture: Picture): void {
    browserPicture(picture).bitmap.close()
  }
}

function browserPicture(picture: Picture | undefined, id: PictureId | 'picture' = 'picture'): BrowserPicture {
  if (picture === undefined) throw new Error(`the recipe draws the ${id} picture, which was not given`)
  if (!('bitmap' in picture)) throw new Error('this picture was not decoded by the browser backend')
  return picture as BrowserPicture
}

/**
 * One layer onto the output: a plain or blurred copy is drawn straight in (a blur's small copy carries
 * its darkening already); a feathered or darkened full-resolution one goes through a scratch canvas the
 * size of its visible part.
 */
function drawLayer(context: Context2d, plan: LayerPlan, bitmap: ImageBitmap): void {
  const { layer, target, visible, brightness } = plan
  const feathered = layer.feather !== undefined && layer.feather.edges.length > 0 && layer.feather.width > 0
  const blurred = plan.blur === undefined ? undefined : blurredCopy(plan, bitmap)
  if (!feathered && (blurred !== undefined || brightness === 1)) {
    if (blurred === undefined) drawRegion(context, bitmap, plan.source, target, layer.flip)
    else drawScaledUp(context, blurred, target)
    return
  }
  const scratch = createCanvas(visible.width, visible.height)
  const local = context2d(scratch)
  const shifted = { ...target, x: target.x - visible.x, y: target.y - visible.y }
  if (blurred !== undefined) {
    drawScaledUp(local, blurred, shifted)
  } else {
    drawRegion(local, bitmap, plan.source, shifted, layer.flip)
    if (brightness !== 1) darken(local, brightness, visible.width, visible.height)
  }
  if (feathered) feather(local, plan)
  context.drawImage(scratch, visible.x, visible.y)
}

/** The layer's seam matches, each on the strip it touches, read back from the canvas and written back. */
function matchSeams(context: Context2d, plan: LayerPlan, output: Size): void {
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
function drawScaledUp(context: Context2d, blurred: { copy: AnyCanvas; pad: number; width: number; height: number }, target: PixelBox): void {
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
function blurredCopy(plan: LayerPlan, bitmap: ImageBitmap): { copy: AnyCanvas; pad: number; width: number; height: number } {
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
  return { copy: blurred, pad, width, height }
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

/** Multiplies the scratch's alpha by each edge's ramp: 0 at that edge of the target, 1 `width` px inside. */
function feather(context: Context2d, plan: LayerPlan): void {
  const { target, visible } = plan
  const { width, edges } = plan.layer.feather!
  context.globalCompositeOperation = 'destination-in'
  for (const edge of edges) {
    // in scratch coordinates, where the visible part starts at 0
    const left = target.x - visible.x
    const top = target.y - visible.y
    const [x0, y0, x1, y1] =
      edge === 'left'
        ? [left, 0, left + width, 0]
        : edge === 'right'
          ? [left + target.width, 0, left + target.width - width, 0]
          : edge === 'top'
            ? [0, top, 0, top + width]
            : [0, top + target.height, 0, top + target.height - width]
    const gradient = context.createLinearGradient(x0, y0, x1, y1)
    gradient.addColorStop(0, 'rgba(0, 0, 0, 0)')
    gradient.addColorStop(1, 'rgba(0, 0, 0, 1)')
    context.fillStyle = gradient
    context.fillRect(0, 0, visible.width, visible.height)
  }
  context.globalCompositeOperation = 'source-over'
}

function smooth(context: Context2d): void {
  context.imageSmoothingEnabled = true
  context.imageSmoothingQuality = 'high'
}

function createCanvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  return canvas
}

function context2d(canvas: AnyCanvas, willReadFrequently = false): Context2d {
  const context = canvas.getContext('2d', { willReadFrequently }) as Context2d | null
  if (!context) throw new ReframeError('decode', 'This browser cannot give the engine a 2D canvas.')
  return context
}

async function toBlob(canvas: AnyCanvas, type: string, quality: number): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality })
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`canvas could not encode ${type}`))), type, quality)
  )
}
