// Decides how a source's pixels leave Figma: the original file bytes (getBytesAsync) when they are
// exactly what the layer shows and already small enough, otherwise a render (exportAsync) at the
// layer's native pixel density, capped on the long edge, as JPEG when opaque and PNG otherwise.
import type { ImageFormat } from './image-header'
import type { Size } from './ratios'

/** 2x3 affine transform, as Figma's `Transform`. */
export type AffineTransform = readonly [readonly [number, number, number], readonly [number, number, number]]

export type ExportFacts = {
  /** The layer's own size (before rotation). */
  layer: Size
  /** The layer's box on the page (after rotation): what a render covers. */
  bounds: Size
  /** Degrees. */
  rotation: number
  /** Layer opacity 0..1. */
  opacity: number
  cornerRadius: number
  hasChildren: boolean
  hasVisibleEffects: boolean
  hasVisibleStrokes: boolean
  /** Visible paints other than the image paint (solid fills below or above it, more images...). */
  otherVisiblePaints: number
  paint: {
    scaleMode: 'FILL' | 'FIT' | 'CROP' | 'TILE'
    imageTransform?: AffineTransform
    scalingFactor?: number
    /** Degrees, multiples of 90. */
    rotation?: number
    opacity?: number
    hasFilters: boolean
  }
  /** The image file behind the paint; null when Figma could not give it. */
  /** `orientation`: EXIF orientation of the file (1 = stored upright). */
  image: { width: number; height: number; format: ImageFormat; hasAlpha: boolean; orientation?: number } | null
  /** Long-edge cap of the upload in px. */
  maxEdge: number
}

export type ExportPlan =
  | { path: 'bytes'; mime: 'image/png' | 'image/jpeg'; width: number; height: number; reason: string }
  | {
      path: 'render'
      format: 'PNG' | 'JPG'
      mime: 'image/png' | 'image/jpeg'
      /** Pixel size of the render; the constraint is set on its long edge. */
      width: number
      height: number
      constraint: { type: 'WIDTH' | 'HEIGHT'; value: number }
      reason: string
    }

const ASPECT_TOLERANCE = 0.005

/**
 * Nothing leaves Figma larger than this a side, whatever cap the caller asks for: it is what
 * figma.createImage and every host take, and a tiled paint at a tiny scale would otherwise plan a
 * render of hundreds of thousands of pixels.
 */
export const MAX_EXPORT_EDGE = 4096

function isIdentity(transform: AffineTransform | undefined): boolean {
  if (transform === undefined) return true
  const [[a, b, c], [d, e, f]] = transform
  const near = (value: number, expected: number) => Math.abs(value - expected) < 1e-6
  return near(a, 1) && near(b, 0) && near(c, 0) && near(d, 0) && near(e, 1) && near(f, 0)
}

function quarterTurns(degrees: number | undefined): number {
  return (((Math.round((degrees ?? 0) / 90) % 4) + 4) % 4)
}

/** The image as the paint lays it out, in image px: swapped when the paint turns it a quarter. */
function orientedImage(image: Size, paintRotation: number | undefined): Size {
  return quarterTurns(paintRotation) % 2 === 1 ? { width: image.height, height: image.width } : image
}

/**
 * Image pixels per layer pixel: how finely the layer shows its image. Rendering at this density keeps
 * every pixel of the original the layer shows and invents none.
 */
export function nativeDensity(facts: Pick<ExportFacts, 'layer' | 'paint' | 'image'>): number {
  const { layer, paint, image } = facts
  if (image === null) return 1
  const oriented = orientedImage(image, paint.rotation)
  const sx = oriented.width / layer.width
  const sy = oriented.height / layer.height
  switch (paint.scaleMode) {
    case 'FILL':
      // the image covers the layer: its shorter relative side sets the scale
      return Math.min(sx, sy)
    case 'FIT':
      return Math.max(sx, sy)
    case 'TILE':
      return 1 / (paint.scalingFactor && paint.scalingFactor > 0 ? paint.scalingFactor : 1)
    case 'CROP': {
      // imageTransform maps the layer (0..1) into the image (0..1): its columns' lengths are the
      // fraction of the image visible across the layer's width and height
      const t = paint.imageTransform
      if (t === undefined) return Math.min(sx, sy)
      const fx = Math.hypot(t[0][0], t[1][0])
      const fy = Math.hypot(t[0][1], t[1][1])
      return Math.max((fx * image.width) / layer.width, (fy * image.height) / layer.height)
    }
  }
}

/** Whether the render may contain transparent pixels, so it must be PNG. */
export function mayShowTransparency(facts: ExportFacts): boolean {
  const { paint, image, layer } = facts
  if (image === null || image.hasAlpha) return true
  if (facts.opacity < 1 || (paint.opacity ?? 1) < 1) return true
  if (facts.cornerRadius > 0) return true
  // a turned layer leaves empty corners in its page box
  if (Math.abs(facts.rotation % 90) > 1e-6) return true
  if (paint.scaleMode === 'FIT') {
    const oriented = orientedImage(image, paint.rotation)
    const letterboxed =
      Math.abs(oriented.width / oriented.height - layer.width / layer.height) / (layer.width / layer.height) >
      ASPECT_TOLERANCE
    // bars around a fitted image are empty unless another paint fills them
    if (letterboxed && facts.otherVisiblePaints === 0) return true
  }
  if (paint.scaleMode === 'CROP' && paint.imageTransform !== undefined) {
    const [[a, b, c], [d, e, f]] = paint.imageTransform
    // the crop window reaches outside the image: the rest is empty
    const corners = [
      [c, f],
      [a + c, d + f],
      [b + c, e + f],
      [a + b + c, d + e + f]
    ]
    const outside = corners.some(([u, v]) => u < -1e-3 || v < -1e-3 || u > 1 + 1e-3 || v > 1 + 1e-3)
    if (outside && facts.otherVisiblePaints === 0) return true
  }
  return false
}

/** The long-edge cap actually applied: the caller's, never above MAX_EXPORT_EDGE. */
function exportCap(facts: Pick<ExportFacts, 'maxEdge'>): number {
  return Math.min(facts.maxEdge, MAX_EXPORT_EDGE)
}

/** Why the original file bytes are not what the layer shows, or null when they are. */
function whyNotOriginalBytes(facts: ExportFacts): string | null {
  const { paint, image, layer } = facts
  if (image === null) return 'the original image is unavailable'
  if (image.format === 'gif') return 'GIF is not an upload format'
  if ((image.orientation ?? 1) !== 1) return 'the file is stored turned (EXIF orientation): only a render is upright'
  if (!image.hasAlpha && image.format === 'png') return 'an opaque PNG uploads smaller as JPEG'
  if (Math.max(image.width, image.height) > exportCap(facts)) return 'the original is larger than the cap'
  if (paint.scaleMode !== 'FILL' && paint.scaleMode !== 'FIT') return `scale mode ${paint.scaleMode} changes the image`
  if (quarterTurns(paint.rotation) !== 0 || !isIdentity(paint.imageTransform)) return 'the paint turns the image'
  const imageAspect = image.width / image.height
  const layerAspect = layer.width / layer.height
  if (Math.abs(imageAspect - layerAspect) / layerAspect > ASPECT_TOLERANCE) return 'the layer crops or letterboxes the image'
  return whatTheLayerAdds(facts)
}

/** What the layer draws that the image file does not hold (filters, opacity, rotation, rounding, children, effects, strokes, other fills), or null. */
export function whatTheLayerAdds(
  facts: Pick<ExportFacts, 'paint' | 'opacity' | 'rotation' | 'cornerRadius' | 'hasChildren' | 'hasVisibleEffects' | 'hasVisibleStrokes' | 'otherVisiblePaints'>
): string | null {
  if (facts.paint.hasFilters) return 'filters change the image'
  if ((facts.paint.opacity ?? 1) < 1 || facts.opacity < 1) return 'opacity changes the image'
  if (Math.abs(facts.rotation) > 1e-6) return 'the layer is rotated'
  if (facts.cornerRadius > 0) return 'rounded corners change the image'
  if (facts.hasChildren) return 'the layer has children drawn over the image'
  if (facts.hasVisibleEffects) return 'effects change the image'
  if (facts.hasVisibleStrokes) return 'strokes are drawn over the image'
  if (facts.otherVisiblePaints > 0) return 'other fills are drawn with the image'
  return null
}

export function planExport(facts: ExportFacts): ExportPlan {
  if (!(facts.maxEdge > 0)) throw new RangeError(`The export cap must be positive (got ${facts.maxEdge})`)
  const notOriginal = whyNotOriginalBytes(facts)
  if (notOriginal === null && facts.image !== null) {
    return {
      path: 'bytes',
      mime: facts.image.format === 'png' ? 'image/png' : 'image/jpeg',
      width: facts.image.width,
      height: facts.image.height,
      reason: 'the original file is exactly what the layer shows and within the cap'
    }
  }
  const { bounds } = facts
  const cap = exportCap(facts)
  const longEdge = Math.max(bounds.width, bounds.height)
  const scale = Math.min(nativeDensity(facts), cap / longEdge)
  const target = Math.max(1, Math.min(cap, Math.round(longEdge * scale)))
  const wide = bounds.width >= bounds.height
  const width = wide ? target : Math.max(1, Math.round((target * bounds.width) / bounds.height))
  const height = wide ? Math.max(1, Math.round((target * bounds.height) / bounds.width)) : target
  const transparent = mayShowTransparency(facts)
  return {
    path: 'render',
    format: transparent ? 'PNG' : 'JPG',
    mime: transparent ? 'image/png' : 'image/jpeg',
    width,
    height,
    constraint: { type: wide ? 'WIDTH' : 'HEIGHT', value: target },
    reason: notOriginal ?? 'render'
  }
}
