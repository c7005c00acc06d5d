// The browser backend (the plugin UI): createImageBitmap decodes upright (EXIF applied), and each recipe
// is drawn with the canvas's own scaler (drawImage, high quality), filters (blur) and compositing
// (mirrors, darkening, 'destination-in' feathers), then encoded by the canvas. OffscreenCanvas when the
// page has one, a <canvas> otherwise. Same plan as the Node backend (`planLayer`), so both draw alike.
import { ReframeError } from '../core/reframe-error'
import type { Size } from '../core/ratios'
import { analysisSampleStep, createAreaShrinker } from './area-shrinker'
import { fitWithin } from '../core/reframe-plan'
import { DamagedImageError, findPngStreamDamageAsync, throwIfDamaged } from './image-damage'
import { planLayer } from './layer-plan'
import { toRgba } from './premultiplied-image'
import { context2d, createCanvas, drawLayer, matchSeams, type AnyCanvas } from './canvas-layers'
import { createCanvasPool } from './canvas-pool'
import { JPEG_QUALITY, type ImageBackend, type Picture, type PictureId, type RenderRecipe } from './render-recipe'
import type { RgbaImage } from './rgba-image'
import { readImageHeader, type EncodedImage } from '../core/image-header'


type BrowserPicture = Picture & { readonly bitmap: ImageBitmap }

/** Output canvases, kept for the next output of the same size (creating one is most of a render's cost). */
const outputCanvases = createCanvasPool()

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
    const { from, to } = shrinker.sampledRows
    // a strip of the rows the average reads (every step-th one), within ANALYSIS_BAND_BYTES
    const band = Math.max(1, Math.min(to - from, Math.floor(ANALYSIS_BAND_BYTES / (width * 4))))
    const canvas = createCanvas(width, band)
    const context = context2d(canvas, true)
    // whole pixels at 1:1: what the picture holds, with no smoothing in between
    context.imageSmoothingEnabled = false
    for (let index = from; index < to; index += band) {
      const rows = Math.min(band, to - index)
      context.clearRect(0, 0, width, band)
      // every row: in one draw; every step-th row: each copied on its own, so a step of 2 reads back
      // half the pixels and a 4K photo's step of 4 a quarter
      if (step === 1) context.drawImage(bitmap, 0, index, width, rows, 0, 0, width, rows)
      else for (let row = 0; row < rows; row++) context.drawImage(bitmap, 0, (index + row) * step, width, 1, 0, row, width, 1)
      shrinker.addSampledRows(context.getImageData(0, 0, width, rows).data, 4, index, rows)
    }
    return toRgba(shrinker.result())
  },

  async locateCopy(picture: Picture, maxEdge: number): Promise<RgbaImage> {
    const { bitmap } = browserPicture(picture)
    const { width, height } = fitWithin(picture, maxEdge)
    // halvings while more than twice the size (each a 2x2 average: bilinear at exactly half), then the
    // canvas's high-quality scaler for the rest; only the small copy is read back
    let from: ImageBitmap | AnyCanvas = bitmap
    let size = { width: picture.width, height: picture.height }
    while (size.width >= 2 * width && size.height >= 2 * height) {
      const half = { width: Math.round(size.width / 2), height: Math.round(size.height / 2) }
      const canvas = createCanvas(half.width, half.height)
      const context = context2d(canvas)
      context.imageSmoothingEnabled = true
      context.imageSmoothingQuality = 'low'
      context.drawImage(from, 0, 0, size.width, size.height, 0, 0, half.width, half.height)
      from = canvas
      size = half
    }
    const canvas = createCanvas(width, height)
    const context = context2d(canvas, true)
    context.imageSmoothingEnabled = true
    context.imageSmoothingQuality = 'high'
    context.drawImage(from, 0, 0, size.width, size.height, 0, 0, width, height)
    return { width, height, data: context.getImageData(0, 0, width, height).data }
  },

  async render(recipe: RenderRecipe, pictures: Partial<Record<PictureId, Picture>>): Promise<EncodedImage> {
    const output: Size = { width: recipe.width, height: recipe.height }
    const pooled = outputCanvases.take(output.width, output.height)
    const { canvas, context } = pooled
    try {
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
    } finally {
      outputCanvases.give(pooled)
    }
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

async function toBlob(canvas: AnyCanvas, type: string, quality: number): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality })
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`canvas could not encode ${type}`))), type, quality)
  )
}
