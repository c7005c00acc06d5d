// Node renderer for the fake figma's exportAsync: draws a node's own paints with sharp into real
// PNG/JPEG bytes (fills by scale mode, opacity, inside solid strokes, corner radius, rotation). Filters and children are not drawn.
import sharp from 'sharp'
import type { RenderJob, RenderPaint, Renderer } from './render-job'

const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 }

function blank(width: number, height: number, background = TRANSPARENT) {
  return sharp({ create: { width, height, channels: 4, background } })
}

/** An SVG mask: opaque (times `opacity`) inside a rounded rectangle. */
function mask(width: number, height: number, radius: number, opacity: number): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="${width}" height="${height}" rx="${radius}" ry="${radius}" fill="#000" fill-opacity="${opacity}"/></svg>`
  )
}

async function withOpacity(png: Buffer, width: number, height: number, radius: number, opacity: number): Promise<Buffer> {
  if (opacity >= 1 && radius <= 0) return png
  return sharp(png)
    .ensureAlpha()
    .composite([{ input: mask(width, height, radius, opacity), blend: 'dest-in' }])
    .png()
    .toBuffer()
}

async function drawImage(paint: Extract<RenderPaint, { type: 'IMAGE' }>, job: RenderJob, width: number, height: number) {
  // upright first (EXIF orientation, as Figma shows the photo), then the paint's own turn
  const turned = await sharp(paint.bytes).rotate().rotate(paint.rotation).ensureAlpha().png().toBuffer()
  const meta = await sharp(turned).metadata()
  const imageWidth = meta.width ?? 1
  const imageHeight = meta.height ?? 1
  let layer: Buffer
  switch (paint.scaleMode) {
    case 'FILL':
      layer = await sharp(turned).resize(width, height, { fit: 'cover' }).png().toBuffer()
      break
    case 'FIT':
      layer = await sharp(turned).resize(width, height, { fit: 'contain', background: TRANSPARENT }).png().toBuffer()
      break
    case 'TILE': {
      const factor = paint.scalingFactor ?? 1
      const tileWidth = Math.max(1, Math.round(imageWidth * factor * job.scale))
      const tileHeight = Math.max(1, Math.round(imageHeight * factor * job.scale))
      const tile = await sharp(turned).resize(tileWidth, tileHeight, { fit: 'fill' }).png().toBuffer()
      layer = await blank(width, height).composite([{ input: tile, tile: true, left: 0, top: 0 }]).png().toBuffer()
      break
    }
    case 'CROP': {
      // imageTransform maps the layer's unit square into the image's: the visible window
      const t = paint.imageTransform ?? [
        [1, 0, 0],
        [0, 1, 0]
      ]
      const left = Math.max(0, Math.round(t[0][2] * imageWidth))
      const top = Math.max(0, Math.round(t[1][2] * imageHeight))
      const cropWidth = Math.max(1, Math.min(imageWidth - left, Math.round(t[0][0] * imageWidth)))
      const cropHeight = Math.max(1, Math.min(imageHeight - top, Math.round(t[1][1] * imageHeight)))
      layer = await sharp(turned)
        .extract({ left, top, width: cropWidth, height: cropHeight })
        .resize(width, height, { fit: 'fill' })
        .png()
        .toBuffer()
      break
    }
  }
  return withOpacity(layer, width, height, 0, paint.opacity)
}

/** The job's strokes as one SVG layer over the paints; only INSIDE strokes (a frame's default) are drawn. */
function strokeLayer(job: RenderJob, width: number, height: number): Buffer | null {
  if (job.strokes.length === 0) return null
  const rects = job.strokes.map((stroke) => {
    if (stroke.align !== 'INSIDE') throw new Error(`The fake figma renders only INSIDE strokes (asked for ${stroke.align})`)
    const w = stroke.weight
    const { r, g, b } = stroke.color
    const dash = stroke.dashPattern.length > 0 ? ` stroke-dasharray="${stroke.dashPattern.join(' ')}"` : ''
    const radius = Math.max(0, job.cornerRadius - w / 2)
    return (
      `<rect x="${w / 2}" y="${w / 2}" width="${Math.max(0, width - w)}" height="${Math.max(0, height - w)}" rx="${radius}" fill="none" ` +
      `stroke="rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)})" stroke-opacity="${stroke.opacity}" stroke-width="${w}"${dash}/>`
    )
  })
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rects.join('')}</svg>`)
}

export const renderWithSharp: Renderer = async (job) => {
  const width = Math.max(1, Math.round(job.layer.width))
  const height = Math.max(1, Math.round(job.layer.height))
  const layers: Buffer[] = []
  for (const paint of job.paints) {
    if (paint.type === 'SOLID') {
      const { r, g, b } = paint.color
      const color = { r: Math.round(r * 255), g: Math.round(g * 255), b: Math.round(b * 255), alpha: paint.opacity }
      layers.push(await blank(width, height, color).png().toBuffer())
    } else {
      layers.push(await drawImage(paint, job, width, height))
    }
  }
  const strokes = strokeLayer(job, width, height)
  if (strokes !== null) layers.push(strokes)
  let image: Buffer = await blank(width, height)
    .composite(layers.map((input) => ({ input, left: 0, top: 0 })))
    .png()
    .toBuffer()
  image = await withOpacity(image, width, height, job.cornerRadius, job.opacity)
  // Figma turns counter-clockwise for positive rotation; sharp turns clockwise
  if (job.rotation % 360 !== 0) image = await sharp(image).rotate(-job.rotation, { background: TRANSPARENT }).png().toBuffer()
  const out = sharp(image).resize(job.width, job.height, { fit: 'fill' })
  const bytes =
    job.format === 'JPG'
      ? await out.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer()
      : await out.png().toBuffer()
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
