// exportAsync in the browser: the fake `figma` hands a flat RenderJob (the node's own paints at the
// export scale) and this draws it with canvas and encodes PNG or JPEG, as Figma renders what is seen.
import type { RenderJob, RenderPaint, Renderer } from '../fakes/figma/render-job'

type ImagePaintJob = Extract<RenderPaint, { type: 'IMAGE' }>

async function drawImagePaintAsync(ctx: OffscreenCanvasRenderingContext2D, paint: ImagePaintJob, width: number, height: number) {
  const bitmap = await createImageBitmap(new Blob([paint.bytes as Uint8Array<ArrayBuffer>]))
  ctx.save()
  ctx.globalAlpha *= paint.opacity
  ctx.clip()
  if (paint.scaleMode === 'TILE') {
    const pattern = ctx.createPattern(bitmap, 'repeat')
    if (pattern !== null) {
      const factor = paint.scalingFactor ?? 1
      pattern.setTransform(new DOMMatrix().scale(factor, factor))
      ctx.fillStyle = pattern
      ctx.fillRect(0, 0, width, height)
    }
  } else if (paint.scaleMode === 'CROP') {
    // imageTransform maps the layer's unit square into the image's: the visible window
    const t = paint.imageTransform ?? [
      [1, 0, 0],
      [0, 1, 0]
    ]
    const sx = Math.max(0, t[0][2] * bitmap.width)
    const sy = Math.max(0, t[1][2] * bitmap.height)
    const sw = Math.max(1, Math.min(bitmap.width - sx, t[0][0] * bitmap.width))
    const sh = Math.max(1, Math.min(bitmap.height - sy, t[1][1] * bitmap.height))
    ctx.drawImage(bitmap, sx, sy, sw, sh, 0, 0, width, height)
  } else {
    // FILL covers the box, FIT shows the whole image
    const scale =
      paint.scaleMode === 'FIT'
        ? Math.min(width / bitmap.width, height / bitmap.height)
        : Math.max(width / bitmap.width, height / bitmap.height)
    const dw = bitmap.width * scale
    const dh = bitmap.height * scale
    ctx.drawImage(bitmap, (width - dw) / 2, (height - dh) / 2, dw, dh)
  }
  ctx.restore()
  bitmap.close()
}

/** Renders one export job to encoded bytes with OffscreenCanvas. */
export const renderWithCanvas: Renderer = async (job: RenderJob) => {
  const width = Math.max(1, Math.round(job.width))
  const height = Math.max(1, Math.round(job.height))
  const canvas = new OffscreenCanvas(width, height)
  const ctx = canvas.getContext('2d')
  if (ctx === null) throw new Error('Canvas 2D is unavailable')
  if (job.format === 'JPG') {
    // JPEG has no alpha: flattened onto white
    ctx.fillStyle = '#fff'
    ctx.fillRect(0, 0, width, height)
  }
  ctx.imageSmoothingQuality = 'high'
  ctx.globalAlpha = job.opacity
  // the page box is the rotated layer's bounds: draw the layer rotated about the centre
  ctx.translate(width / 2, height / 2)
  ctx.rotate((-job.rotation * Math.PI) / 180)
  ctx.translate(-job.layer.width / 2, -job.layer.height / 2)
  const radius = job.cornerRadius
  for (const paint of job.paints) {
    ctx.beginPath()
    if (radius > 0) ctx.roundRect(0, 0, job.layer.width, job.layer.height, radius)
    else ctx.rect(0, 0, job.layer.width, job.layer.height)
    if (paint.type === 'SOLID') {
      const { r, g, b } = paint.color
      ctx.fillStyle = `rgba(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}, ${paint.opacity})`
      ctx.fill()
    } else {
      await drawImagePaintAsync(ctx, paint, job.layer.width, job.layer.height)
    }
  }
  for (const stroke of job.strokes) {
    if (stroke.align !== 'INSIDE') throw new Error(`The preview renders only INSIDE strokes (asked for ${stroke.align})`)
    const { r, g, b } = stroke.color
    const w = stroke.weight
    ctx.strokeStyle = `rgba(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}, ${stroke.opacity})`
    ctx.lineWidth = w
    ctx.setLineDash(stroke.dashPattern)
    ctx.beginPath()
    ctx.roundRect(w / 2, w / 2, Math.max(0, job.layer.width - w), Math.max(0, job.layer.height - w), Math.max(0, radius - w / 2))
    ctx.stroke()
  }
  const blob = await canvas.convertToBlob(job.format === 'JPG' ? { type: 'image/jpeg', quality: 0.92 } : { type: 'image/png' })
  return new Uint8Array(await blob.arrayBuffer())
}
