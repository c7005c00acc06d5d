/**
 * What the fake hosts' "model" draws: the source placed into the requested box (or centred when no box
 * was asked for), over a surround, encoded as JPEG. Behaviours stand in for what Photon Flash Reframe
 * may do to a result, so that locating the source and compositing the original back can be tested:
 * a redraw that is not pixel-exact, a box that is ignored, a result that is not the source at all.
 * Everything is deterministic (no randomness between runs), so tests can compare numbers.
 */
import sharp from 'sharp'
import type { Box, Size } from '../../../src/core/ratios'
import { fitBox } from '../../../src/core/reframe-plan'

export type ModelBehaviour = {
  /**
   * `exact` (default): the source's own pixels resized into its box. `degraded`: like a model's
   * redraw of the source area: blurred (sigma 1.2), brighter and warmer (x1.08/1.05/1.01 per channel),
   * shifted 3 px right and 2 px down, and the whole frame saved as JPEG q85 (q90 otherwise).
   * Sizes are result pixels whatever the fake's `scale`, so a small result is degraded more.
   */
  redraw?: 'exact' | 'degraded'
  /** Never honour `x_start`...`y_end`: always centre the source, at 95% of the contained size. */
  ignoreBox?: boolean
  /** The result is an unrelated picture (smooth colour clouds with texture), nothing of the source. */
  foreign?: boolean
  /**
   * `flat` (default, the fakes' historical behaviour): the surround is the `fill` colour (a letterbox).
   * `generated`: a heavily blurred, darkened cover of the source, so the surround continues the
   * picture's colours the way an outpainting does and seams between it and the source are meaningful.
   */
  surround?: 'flat' | 'generated'
}

export type ModelResult = {
  bytes: Uint8Array
  /** Where the source's content sits in the result (result pixels), or undefined for a foreign result. */
  sourceBox?: Box
}

export type ModelRender = {
  /** The result's pixel size. */
  size: Size
  /** The box the request asked for, in result pixels, or undefined (centre, fit contain). */
  requested?: Box
  behaviour?: ModelBehaviour
  /** Surround colour when `surround` is `flat`. */
  fill: string
}

const DEGRADED_SHIFT = { x: 3, y: 2 }
const DEGRADED_BLUR = 1.2
const DEGRADED_GAIN = [1.08, 1.05, 1.01, 1]
const IGNORED_BOX_SCALE = 0.95

/** Renders one result from the source's encoded bytes (decoded upright, alpha kept). */
export async function renderModelResult(sourceBytes: Uint8Array, render: ModelRender): Promise<ModelResult> {
  const { width, height } = render.size
  const behaviour = render.behaviour ?? {}
  const degraded = behaviour.redraw === 'degraded'
  const quality = degraded ? 85 : 90
  if (behaviour.foreign) {
    const bytes = await sharp(await foreignPicture(width, height), { raw: { width, height, channels: 3 } })
      .jpeg({ quality })
      .toBuffer()
    return { bytes: new Uint8Array(bytes) }
  }

  const decoded = await sharp(sourceBytes).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const source = { raw: { width: decoded.info.width, height: decoded.info.height, channels: 4 as const } }
  const aspect = source.raw.width / source.raw.height
  const planned = !render.requested || behaviour.ignoreBox ? ignoredBox(render.size, aspect, behaviour.ignoreBox ? IGNORED_BOX_SCALE : 1) : render.requested
  const box = wholePixels(planned)
  if (degraded) {
    box.x += DEGRADED_SHIFT.x
    box.y += DEGRADED_SHIFT.y
  }

  let placed = await resized(decoded.data, source.raw, box)
  if (degraded) {
    placed = await sharp(placed, { raw: { width: box.width, height: box.height, channels: 4 } })
      .linear(DEGRADED_GAIN, [0, 0, 0, 0])
      .blur(DEGRADED_BLUR)
      .raw()
      .toBuffer()
  }
  const layer = await visiblePart(placed, box, render.size)

  const surround = await surroundOf(decoded.data, source.raw, render, behaviour.surround ?? 'flat')
  const bytes = await sharp(surround, { raw: { width, height, channels: 3 } })
    .composite(layer ? [{ input: layer.data, raw: { width: layer.box.width, height: layer.box.height, channels: 4 }, left: layer.box.x, top: layer.box.y }] : [])
    .flatten({ background: render.fill })
    .jpeg({ quality })
    .toBuffer()
  return { bytes: new Uint8Array(bytes), sourceBox: box }
}

/**
 * The source resized to exactly the box. libvips' resize shifts an enlargement by up to half an
 * output pixel (pixel corners aligned, not centres), which would put an "exact" result's content
 * where the box does not say; an affine map with the centres aligned does not.
 */
async function resized(data: Buffer, raw: { width: number; height: number; channels: 4 }, box: Box): Promise<Buffer> {
  if (box.width <= raw.width && box.height <= raw.height) {
    return sharp(data, { raw }).resize(box.width, box.height, { fit: 'fill' }).raw().toBuffer()
  }
  const fx = box.width / raw.width
  const fy = box.height / raw.height
  const { data: out, info } = await sharp(data, { raw })
    .affine([fx, 0, 0, fy], { interpolator: 'bicubic', odx: 0.5 * fx - 0.5, ody: 0.5 * fy - 0.5 })
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.width === box.width && info.height === box.height) return out
  return sharp(out, { raw: { width: info.width, height: info.height, channels: 4 } })
    .resize(box.width, box.height, { fit: 'fill' })
    .raw()
    .toBuffer()
}

/** Centred and contained, optionally shrunk about its centre (a host that ignores the box). */
function ignoredBox(size: Size, aspect: number, scale: number): Box {
  const fit = fitBox(size, aspect, 'center')
  const width = fit.width * scale
  const height = fit.height * scale
  return { x: fit.x + (fit.width - width) / 2, y: fit.y + (fit.height - height) / 2, width, height }
}

/** Edges rounded to whole pixels, at least 1 px a side (sharp composites at integer offsets). */
function wholePixels(box: Box): Box {
  const x = Math.round(box.x)
  const y = Math.round(box.y)
  return { x, y, width: Math.max(1, Math.round(box.x + box.width) - x), height: Math.max(1, Math.round(box.y + box.height) - y) }
}

/** The part of a placed RGBA layer inside the frame (a shifted source may hang over an edge). */
async function visiblePart(data: Buffer, box: Box, size: Size): Promise<{ data: Buffer; box: Box } | undefined> {
  const left = Math.max(0, box.x)
  const top = Math.max(0, box.y)
  const right = Math.min(size.width, box.x + box.width)
  const bottom = Math.min(size.height, box.y + box.height)
  if (right <= left || bottom <= top) return undefined
  const visible = { x: left, y: top, width: right - left, height: bottom - top }
  if (visible.width === box.width && visible.height === box.height) return { data, box }
  const cut = await sharp(data, { raw: { width: box.width, height: box.height, channels: 4 } })
    .extract({ left: left - box.x, top: top - box.y, width: visible.width, height: visible.height })
    .raw()
    .toBuffer()
  return { data: cut, box: visible }
}

/** The whole frame under the source, RGB. */
async function surroundOf(data: Buffer, raw: { width: number; height: number; channels: 4 }, render: ModelRender, kind: 'flat' | 'generated'): Promise<Buffer> {
  const { width, height } = render.size
  if (kind === 'flat') {
    return sharp({ create: { width, height, channels: 3, background: render.fill } }).raw().toBuffer()
  }
  // a blurred, darkened cover: the source's own colours continued outwards, with no detail to match
  const sigma = Math.max(2, Math.max(width, height) / 40)
  const cover = await sharp(data, { raw })
    .flatten({ background: render.fill })
    .resize(width, height, { fit: 'cover' })
    .raw()
    .toBuffer()
  return sharp(cover, { raw: { width, height, channels: 3 } }).blur(sigma).linear(0.85, 0).raw().toBuffer()
}

/**
 * Smooth colour clouds plus finer texture, from a fixed-seed generator: a picture with the statistics
 * of a photo (large soft shapes, some detail) that shares nothing with any source.
 */
async function foreignPicture(width: number, height: number): Promise<Buffer> {
  const random = seeded(0x5eed)
  const layer = async (cells: number) => {
    const w = Math.max(2, Math.round((cells * width) / Math.max(width, height)))
    const h = Math.max(2, Math.round((cells * height) / Math.max(width, height)))
    const noise = Buffer.from(Array.from({ length: w * h * 3 }, () => Math.floor(random() * 256)))
    return sharp(noise, { raw: { width: w, height: h, channels: 3 } }).resize(width, height, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer()
  }
  const [clouds, texture] = await Promise.all([layer(6), layer(40)])
  const out = Buffer.alloc(width * height * 3)
  for (let i = 0; i < out.length; i++) out[i] = Math.round(clouds[i] * 0.75 + texture[i] * 0.25)
  return out
}

/** mulberry32: a tiny deterministic generator. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
