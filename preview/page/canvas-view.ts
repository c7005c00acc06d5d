// The canvas area of the preview: draws the current page of the fake document (frames, image fills,
// names, selection) and turns mouse, wheel, keyboard and file drops into edits through the figma API.
import { boundingBoxOf } from '../../src/core/bounding-box'
import { drawNode, hasChildren, paintsOf } from './draw-node'
import { ImageCache } from './image-cache'

export type CanvasViewOptions = {
  canvas: HTMLCanvasElement
  figma: PluginAPI
  images: ImageCache
  /** Adds an image file dropped at page coordinates (x, y). */
  onDropImage: (file: File, at: { x: number; y: number }) => Promise<void>
  onError: (message: string) => void
  /** The selection changed (by a click, a key or the plugin), checked once per animation frame. */
  onSelectionChange?: (selection: readonly SceneNode[]) => void
}

type Point = { x: number; y: number }

const SELECTION_BLUE = '#0d99ff'

function boxOf(node: SceneNode): Rect | null {
  return node.absoluteBoundingBox
}

function contains(box: Rect, p: Point): boolean {
  return p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height
}

export class CanvasView {
  private readonly canvas: HTMLCanvasElement
  private readonly figma: PluginAPI
  private readonly images: ImageCache
  /** Page coordinates at the centre of the canvas, and CSS pixels per page unit. */
  private center: Point = { x: 0, y: 0 }
  private zoom = 1
  /** What figma.viewport said last time, to notice when the plugin moves it (scrollAndZoomIntoView). */
  private lastFigmaViewport = ''
  private lastSignature = ''
  private lastSelected: string | null = null
  private dirty = true
  private hover: SceneNode | null = null
  private drag: { start: Point; last: Point; mode: 'pan' | 'move'; moved: boolean; shift: boolean; target: SceneNode | null } | null = null

  constructor(private readonly options: CanvasViewOptions) {
    this.canvas = options.canvas
    this.figma = options.figma
    this.images = options.images
    this.bindEvents()
    const tick = () => {
      // the next frame first: one bad frame must not stop the canvas for good
      requestAnimationFrame(tick)
      this.frame()
    }
    requestAnimationFrame(tick)
  }

  /** Marks the view for redrawing (an image finished decoding). */
  invalidate() {
    this.dirty = true
  }

  /** CSS pixels of the canvas element. */
  private size() {
    const rect = this.canvas.getBoundingClientRect()
    return { width: rect.width, height: rect.height, left: rect.left, top: rect.top }
  }

  /** Page coordinates -> client (viewport) CSS pixels; used by tests to click on nodes. */
  toClient(p: Point): Point {
    const s = this.size()
    return { x: s.left + (p.x - this.center.x) * this.zoom + s.width / 2, y: s.top + (p.y - this.center.y) * this.zoom + s.height / 2 }
  }

  toPage(clientX: number, clientY: number): Point {
    const s = this.size()
    return {
      x: (clientX - s.left - s.width / 2) / this.zoom + this.center.x,
      y: (clientY - s.top - s.height / 2) / this.zoom + this.center.y
    }
  }

  /** Fits the boxes in view with a margin, never zooming past 100 %; `roomRight` keeps free space beside them (x their width). */
  zoomToFit(nodes: readonly SceneNode[] = this.figma.currentPage.children, roomRight = 0) {
    const content = boundingBoxOf(nodes.map(boxOf).filter((b): b is Rect => b !== null))
    if (content === null) return
    const box = { ...content, width: content.width * (1 + roomRight) }
    const s = this.size()
    this.zoom = Math.min(1, (s.width - 80) / box.width, (s.height - 80) / box.height)
    this.center = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    this.writeFigmaViewport()
    this.dirty = true
  }

  private readFigmaViewport() {
    const viewport = this.figma.viewport
    const key = `${viewport.center.x},${viewport.center.y},${viewport.zoom}`
    if (key === this.lastFigmaViewport) return
    this.lastFigmaViewport = key
    if (Number.isFinite(viewport.zoom) && viewport.zoom > 0) {
      this.center = { x: viewport.center.x, y: viewport.center.y }
      this.zoom = viewport.zoom
      this.dirty = true
    }
  }

  private writeFigmaViewport() {
    try {
      this.figma.viewport.center = { ...this.center }
      this.figma.viewport.zoom = this.zoom
      const viewport = this.figma.viewport
      this.lastFigmaViewport = `${viewport.center.x},${viewport.center.y},${viewport.zoom}`
    } catch (error) {
      // a fake without a writable viewport: the view keeps its own camera
      this.lastFigmaViewport = ''
      console.warn(`[preview] viewport not writable: ${(error as Error).message}`)
    }
  }

  private signature(): string {
    const parts: string[] = []
    const visit = (node: SceneNode) => {
      const box = boxOf(node)
      const fills = paintsOf(node)
        .map((p) => (p.type === 'IMAGE' ? `I${p.imageHash}${p.scaleMode}` : p.type === 'SOLID' ? `S${JSON.stringify(p.color)}` : p.type))
        .join(',')
      parts.push(`${node.id}|${node.name}|${node.visible}|${box?.x},${box?.y},${box?.width},${box?.height}|${fills}`)
      if (hasChildren(node)) for (const child of node.children) visit(child)
    }
    for (const node of this.figma.currentPage.children) visit(node)
    parts.push(`sel:${this.figma.currentPage.selection.map((n) => n.id).join(',')}`)
    parts.push(`hover:${this.hover?.id ?? ''}`)
    return parts.join(';')
  }

  private frame() {
    // a layer deleted (by a key, by the plugin) while the pointer was over it is no longer hovered
    if (this.hover?.removed === true) this.hover = null
    this.readFigmaViewport()
    const dpr = window.devicePixelRatio || 1
    const s = this.size()
    const w = Math.round(s.width * dpr)
    const h = Math.round(s.height * dpr)
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w
      this.canvas.height = h
      this.dirty = true
    }
    const selection = this.figma.currentPage.selection
    const selected = selection.map((n) => n.id).join(',')
    if (selected !== this.lastSelected) {
      this.lastSelected = selected
      this.options.onSelectionChange?.(selection)
    }
    const signature = this.signature()
    if (!this.dirty && signature === this.lastSignature) return
    this.lastSignature = signature
    this.dirty = false
    this.draw(dpr, s.width, s.height)
  }

  private draw(dpr: number, width: number, height: number) {
    const ctx = this.canvas.getContext('2d')
    if (ctx === null) return
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    // the page's theme sets the canvas colour (Figma's light or dark canvas)
    ctx.fillStyle = getComputedStyle(this.canvas).getPropertyValue('--canvas-bg').trim() || '#e5e5e5'
    ctx.fillRect(0, 0, width, height)
    const camera = {
      scale: this.zoom * dpr,
      offsetX: (width / 2 - this.center.x * this.zoom) * dpr,
      offsetY: (height / 2 - this.center.y * this.zoom) * dpr
    }
    ctx.imageSmoothingQuality = 'high'
    for (const node of this.figma.currentPage.children) drawNode(ctx, node, camera, this.images)
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    this.drawNames(ctx)
    if (this.hover !== null && !this.figma.currentPage.selection.includes(this.hover)) this.outline(ctx, this.hover, 1)
    for (const node of this.figma.currentPage.selection) this.outline(ctx, node, 2, true)
  }

  private drawNames(ctx: CanvasRenderingContext2D) {
    ctx.font = '11px Inter, Helvetica, sans-serif'
    ctx.textBaseline = 'bottom'
    const selected = new Set(this.figma.currentPage.selection.map((n) => n.id))
    for (const node of this.figma.currentPage.children) {
      const box = boxOf(node)
      if (box === null) continue
      const at = this.toCanvas({ x: box.x, y: box.y })
      const maxWidth = Math.max(24, box.width * this.zoom)
      ctx.fillStyle = selected.has(node.id) ? SELECTION_BLUE : '#6b6b6b'
      ctx.fillText(this.ellipsize(ctx, node.name, maxWidth), at.x, at.y - 4)
    }
  }

  private ellipsize(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
    if (ctx.measureText(text).width <= maxWidth) return text
    let cut = text
    while (cut.length > 1 && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1)
    return `${cut}…`
  }

  private toCanvas(p: Point): Point {
    const s = this.size()
    return { x: (p.x - this.center.x) * this.zoom + s.width / 2, y: (p.y - this.center.y) * this.zoom + s.height / 2 }
  }

  private outline(ctx: CanvasRenderingContext2D, node: SceneNode, lineWidth: number, withSize = false) {
    const box = boxOf(node)
    if (box === null) return
    const a = this.toCanvas({ x: box.x, y: box.y })
    const w = box.width * this.zoom
    const h = box.height * this.zoom
    ctx.strokeStyle = SELECTION_BLUE
    ctx.lineWidth = lineWidth
    ctx.strokeRect(a.x, a.y, w, h)
    if (!withSize) return
    const label = `${Math.round(box.width)} × ${Math.round(box.height)}`
    ctx.font = '10px Inter, Helvetica, sans-serif'
    const tw = ctx.measureText(label).width + 8
    ctx.fillStyle = SELECTION_BLUE
    ctx.fillRect(a.x + w / 2 - tw / 2, a.y + h + 6, tw, 16)
    ctx.fillStyle = '#fff'
    ctx.textBaseline = 'middle'
    ctx.fillText(label, a.x + w / 2 - tw / 2 + 4, a.y + h + 14)
  }

  /** The node a click at page point p selects: the topmost page child, or a child of a top-level frame (as in Figma). */
  hitTest(p: Point): SceneNode | null {
    const children = this.figma.currentPage.children
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const node = children[i]
      if (node.visible === false) continue
      const box = boxOf(node)
      if (box === null || !contains(box, p)) continue
      if (node.type === 'FRAME' && hasChildren(node)) {
        for (let j = node.children.length - 1; j >= 0; j -= 1) {
          const childBox = boxOf(node.children[j])
          if (node.children[j].visible !== false && childBox !== null && contains(childBox, p)) return node.children[j]
        }
      }
      return node
    }
    return null
  }

  private select(nodes: SceneNode[]) {
    this.figma.currentPage.selection = nodes
  }

  private bindEvents() {
    const canvas = this.canvas
    canvas.addEventListener('pointerdown', (event) => {
      canvas.focus()
      canvas.setPointerCapture(event.pointerId)
      const p = this.toPage(event.clientX, event.clientY)
      const target = this.hitTest(p)
      const selection = this.figma.currentPage.selection
      if (target !== null && !event.shiftKey && !selection.includes(target)) this.select([target])
      this.drag = { start: p, last: p, mode: target === null ? 'pan' : 'move', moved: false, shift: event.shiftKey, target }
    })
    canvas.addEventListener('pointermove', (event) => {
      const p = this.toPage(event.clientX, event.clientY)
      if (this.drag === null) {
        const hover = this.hitTest(p)
        if (hover !== this.hover) this.hover = hover
        return
      }
      const screenDistance = Math.hypot(p.x - this.drag.start.x, p.y - this.drag.start.y) * this.zoom
      if (!this.drag.moved && screenDistance < 4) return
      this.drag.moved = true
      if (this.drag.mode === 'pan') {
        this.center = { x: this.center.x - (p.x - this.drag.last.x), y: this.center.y - (p.y - this.drag.last.y) }
        this.writeFigmaViewport()
        this.dirty = true
        // the page point under the cursor is unchanged after panning
        this.drag.last = this.toPage(event.clientX, event.clientY)
        return
      }
      const dx = p.x - this.drag.last.x
      const dy = p.y - this.drag.last.y
      for (const node of this.figma.currentPage.selection) {
        if ('x' in node) {
          node.x += dx
          node.y += dy
        }
      }
      this.drag.last = p
    })
    canvas.addEventListener('pointerup', () => {
      const drag = this.drag
      this.drag = null
      if (drag === null || drag.moved) return
      if (drag.target?.removed === true) drag.target = null
      const selection = this.figma.currentPage.selection
      if (drag.target === null) {
        if (!drag.shift) this.select([])
      } else if (drag.shift) {
        // shift-click toggles the node in the selection
        this.select(selection.includes(drag.target) ? selection.filter((n) => n !== drag.target) : [...selection, drag.target])
      } else {
        this.select([drag.target])
      }
    })
    canvas.addEventListener('pointerleave', () => {
      this.hover = null
    })
    canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault()
        if (event.ctrlKey || event.metaKey) {
          const before = this.toPage(event.clientX, event.clientY)
          this.zoom = Math.min(16, Math.max(0.02, this.zoom * Math.exp(-event.deltaY * 0.01)))
          const after = this.toPage(event.clientX, event.clientY)
          this.center = { x: this.center.x + before.x - after.x, y: this.center.y + before.y - after.y }
        } else {
          this.center = { x: this.center.x + event.deltaX / this.zoom, y: this.center.y + event.deltaY / this.zoom }
        }
        this.writeFigmaViewport()
        this.dirty = true
      },
      { passive: false }
    )
    canvas.addEventListener('keydown', (event) => {
      const selection = this.figma.currentPage.selection
      if ((event.key === 'Delete' || event.key === 'Backspace') && selection.length > 0) {
        event.preventDefault()
        for (const node of selection) node.remove()
      } else if (event.key === '!' || (event.shiftKey && event.code === 'Digit1')) {
        this.zoomToFit()
      } else if (event.key === '@' || (event.shiftKey && event.code === 'Digit2')) {
        if (selection.length > 0) this.zoomToFit(selection)
      } else if (event.key === 'Escape') {
        this.select([])
      }
    })
    canvas.addEventListener('dragover', (event) => {
      event.preventDefault()
      if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy'
    })
    canvas.addEventListener('drop', (event) => {
      event.preventDefault()
      const files = [...(event.dataTransfer?.files ?? [])]
      let at = this.toPage(event.clientX, event.clientY)
      void (async () => {
        for (const file of files) {
          try {
            await this.options.onDropImage(file, at)
            at = { x: at.x + 40, y: at.y + 40 }
          } catch (error) {
            this.options.onError(`${file.name}: ${(error as Error).message}`)
          }
        }
      })()
    })
  }
}
