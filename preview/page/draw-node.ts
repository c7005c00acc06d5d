// Draws a node of the fake document and its children into a 2D canvas, reading only the public Figma
// node API (absoluteTransform, width/height, fills, strokes, children), so it shows what any honest fake holds.
import type { ImageCache } from './image-cache'

/** Maps page coordinates to canvas pixels: pixel = page * scale + offset. */
export type Camera = { scale: number; offsetX: number; offsetY: number }

type Drawable = SceneNode & Partial<ChildrenMixin> & Partial<MinimalFillsMixin> & Partial<DimensionAndPositionMixin>

export function hasChildren(node: BaseNode): node is BaseNode & ChildrenMixin {
  return 'children' in node && Array.isArray((node as ChildrenMixin).children)
}

export function paintsOf(node: BaseNode): readonly Paint[] {
  const fills = (node as Partial<MinimalFillsMixin>).fills
  return Array.isArray(fills) ? (fills as readonly Paint[]) : []
}

function applyTransform(ctx: CanvasRenderingContext2D, camera: Camera, node: Drawable) {
  const [[a, c, e], [b, d, f]] = node.absoluteTransform
  const s = camera.scale
  ctx.setTransform(s * a, s * b, s * c, s * d, s * e + camera.offsetX, s * f + camera.offsetY)
}

function rgba(color: RGB | RGBA, opacity = 1): string {
  const alpha = ('a' in color ? color.a : 1) * opacity
  return `rgba(${Math.round(color.r * 255)}, ${Math.round(color.g * 255)}, ${Math.round(color.b * 255)}, ${alpha})`
}

function shapePath(ctx: CanvasRenderingContext2D, node: Drawable, width: number, height: number) {
  ctx.beginPath()
  if (node.type === 'ELLIPSE') {
    ctx.ellipse(width / 2, height / 2, width / 2, height / 2, 0, 0, Math.PI * 2)
    return
  }
  const radius = (node as Partial<CornerMixin>).cornerRadius
  if (typeof radius === 'number' && radius > 0) ctx.roundRect(0, 0, width, height, radius)
  else ctx.rect(0, 0, width, height)
}

/** Draws an image paint into the node's box (local coordinates), honouring FILL / FIT / TILE. */
function drawImagePaint(
  ctx: CanvasRenderingContext2D,
  paint: ImagePaint,
  bitmap: ImageBitmap,
  width: number,
  height: number
) {
  const iw = bitmap.width
  const ih = bitmap.height
  if (paint.scaleMode === 'TILE') {
    const factor = paint.scalingFactor ?? 1
    const pattern = ctx.createPattern(bitmap, 'repeat')
    if (pattern === null) return
    pattern.setTransform(new DOMMatrix().scale(factor, factor))
    ctx.fillStyle = pattern
    ctx.fill()
    return
  }
  // FILL covers the box, FIT shows the whole image; CROP is drawn like FILL (its transform is not modelled)
  const scale = paint.scaleMode === 'FIT' ? Math.min(width / iw, height / ih) : Math.max(width / iw, height / ih)
  const dw = iw * scale
  const dh = ih * scale
  ctx.save()
  ctx.clip()
  ctx.drawImage(bitmap, (width - dw) / 2, (height - dh) / 2, dw, dh)
  ctx.restore()
}

function drawPlaceholder(ctx: CanvasRenderingContext2D, width: number, height: number) {
  ctx.save()
  ctx.clip()
  ctx.fillStyle = '#f0f0f0'
  ctx.fillRect(0, 0, width, height)
  ctx.strokeStyle = '#d0d0d0'
  ctx.lineWidth = 1
  for (let x = -height; x < width; x += 16) {
    ctx.beginPath()
    ctx.moveTo(x, height)
    ctx.lineTo(x + height, 0)
    ctx.stroke()
  }
  ctx.restore()
}

function drawText(ctx: CanvasRenderingContext2D, node: TextNode) {
  const size = typeof node.fontSize === 'number' ? node.fontSize : 12
  const fill = paintsOf(node).find((p) => p.type === 'SOLID') as SolidPaint | undefined
  ctx.fillStyle = fill === undefined ? '#000' : rgba(fill.color, fill.opacity ?? 1)
  ctx.font = `${size}px Inter, Helvetica, sans-serif`
  ctx.textBaseline = 'top'
  node.characters.split('\n').forEach((line, i) => ctx.fillText(line, 0, i * size * 1.2))
}

/** Solid strokes over the node and its children, inside its edge as Figma draws a frame's. */
function drawStrokes(ctx: CanvasRenderingContext2D, camera: Camera, node: Drawable, width: number, height: number) {
  const { strokes, strokeWeight, dashPattern } = node as Partial<MinimalStrokesMixin>
  if (!Array.isArray(strokes) || typeof strokeWeight !== 'number' || strokeWeight <= 0) return
  applyTransform(ctx, camera, node)
  for (const paint of strokes as readonly Paint[]) {
    if (paint.visible === false || paint.type !== 'SOLID') continue
    ctx.strokeStyle = rgba(paint.color, paint.opacity ?? 1)
    ctx.lineWidth = strokeWeight
    ctx.setLineDash(dashPattern ?? [])
    ctx.beginPath()
    ctx.rect(strokeWeight / 2, strokeWeight / 2, Math.max(0, width - strokeWeight), Math.max(0, height - strokeWeight))
    ctx.stroke()
  }
}

/** A frame's guides (a story's safe area), as Figma draws them: thin red lines across the frame. */
function drawGuides(ctx: CanvasRenderingContext2D, camera: Camera, node: Drawable, width: number, height: number) {
  const guides = (node as Partial<FrameNode>).guides
  if (!Array.isArray(guides) || guides.length === 0) return
  applyTransform(ctx, camera, node)
  ctx.strokeStyle = 'rgba(242, 72, 34, 0.9)'
  ctx.lineWidth = 1 / camera.scale
  ctx.setLineDash([])
  for (const guide of guides as readonly Guide[]) {
    ctx.beginPath()
    if (guide.axis === 'X') {
      ctx.moveTo(guide.offset, 0)
      ctx.lineTo(guide.offset, height)
    } else {
      ctx.moveTo(0, guide.offset)
      ctx.lineTo(width, guide.offset)
    }
    ctx.stroke()
  }
}

/** Draws `node` and its subtree. Returns false when an image was not decoded yet (draw again later). */
export function drawNode(ctx: CanvasRenderingContext2D, node: SceneNode, camera: Camera, images: ImageCache): boolean {
  const drawable = node as Drawable
  if (drawable.visible === false) return true
  const width = drawable.width ?? 0
  const height = drawable.height ?? 0
  let complete = true
  ctx.save()
  const opacity = (node as Partial<BlendMixin>).opacity
  if (typeof opacity === 'number') ctx.globalAlpha *= opacity
  applyTransform(ctx, camera, drawable)
  if (node.type === 'TEXT') {
    drawText(ctx, node)
  } else {
    for (const paint of paintsOf(node)) {
      if (paint.visible === false) continue
      shapePath(ctx, drawable, width, height)
      if (paint.type === 'SOLID') {
        ctx.fillStyle = rgba(paint.color, paint.opacity ?? 1)
        ctx.fill()
      } else if (paint.type === 'IMAGE' && paint.imageHash !== null) {
        const bitmap = images.get(paint.imageHash)
        ctx.save()
        ctx.globalAlpha *= paint.opacity ?? 1
        if (bitmap === null) {
          complete = false
          drawPlaceholder(ctx, width, height)
        } else {
          drawImagePaint(ctx, paint, bitmap, width, height)
        }
        ctx.restore()
      }
    }
  }
  if (hasChildren(drawable) && drawable.children !== undefined) {
    if ((node as Partial<FrameNode>).clipsContent === true) {
      shapePath(ctx, drawable, width, height)
      ctx.clip()
    }
    for (const child of drawable.children) complete = drawNode(ctx, child, camera, images) && complete
  }
  drawStrokes(ctx, camera, drawable, width, height)
  drawGuides(ctx, camera, drawable, width, height)
  ctx.restore()
  return complete
}
