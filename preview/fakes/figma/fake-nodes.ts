// Scene nodes of the fake figma. As strict as Figma where the plugin relies on it: x/y are relative to
// the parent (to the group's parent inside groups, ignored inside auto-layout), absoluteBoundingBox is
// computed through rotations, paints are frozen, removed nodes throw, instances refuse new children.
import { boundingBoxOf } from '../../../src/core/bounding-box'
import type { ImageStore } from './fake-image'
import { checkDashPattern, checkStrokeAlign, checkStrokeWeight, defaultStrokeState, renderStrokes } from './fake-strokes'
import type { RenderJob, RenderPaint, RenderStroke, Renderer } from './render-job'

export type Matrix = [[number, number, number], [number, number, number]]
type Rect = { x: number; y: number; width: number; height: number }

export type FakeContext = {
  mixed: symbol
  images: ImageStore
  renderer: Renderer | undefined
  nodes: Map<string, FakeBaseNode>
  nextId: () => string
  delay: () => Promise<void>
  /** The manifest's relaunch button commands: the only ones setRelaunchData takes. */
  relaunchCommands: readonly string[]
  exportLog: Array<{ nodeId: string; settings: ExportSettings }>
  /** Counts exportAsync calls still running. */
  exportsRunning: { count: number }
  /** Called after a node (and its subtree) is removed. */
  onRemoved: (node: FakeBaseNode) => void
}

const IDENTITY: Matrix = [
  [1, 0, 0],
  [0, 1, 0]
]

function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1], a[0][0] * b[0][2] + a[0][1] * b[1][2] + a[0][2]],
    [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1], a[1][0] * b[0][2] + a[1][1] * b[1][2] + a[1][2]]
  ]
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0][0] * x + m[0][1] * y + m[0][2], m[1][0] * x + m[1][1] * y + m[1][2]]
}

function boundsOf(m: Matrix, width: number, height: number): Rect {
  const points = [apply(m, 0, 0), apply(m, width, 0), apply(m, 0, height), apply(m, width, height)]
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  const clean = (v: number) => Math.round(v * 1e6) / 1e6
  const x = clean(Math.min(...xs))
  const y = clean(Math.min(...ys))
  return { x, y, width: clean(Math.max(...xs)) - x, height: clean(Math.max(...ys)) - y }
}

/** Deep copy, then freeze every level: Figma's paints and settings are read-only. */
export function deepFreezeClone<T>(value: T): T {
  const copy = structuredClone(value)
  const freeze = (v: unknown) => {
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
      Object.values(v).forEach(freeze)
      Object.freeze(v)
    }
  }
  freeze(copy)
  return copy
}

const PAINT_TYPES = new Set([
  'SOLID',
  'GRADIENT_LINEAR',
  'GRADIENT_RADIAL',
  'GRADIENT_ANGULAR',
  'GRADIENT_DIAMOND',
  'IMAGE',
  'VIDEO',
  'PATTERN'
])

function validatePaints(context: FakeContext, paints: unknown, property: string): readonly Paint[] {
  if (!Array.isArray(paints)) throw new Error(`in set_${property}: Expected an array of paints`)
  for (const paint of paints as Paint[]) {
    if (typeof paint !== 'object' || paint === null || !PAINT_TYPES.has(paint.type)) {
      throw new Error(`in set_${property}: Invalid paint type`)
    }
    if (paint.type === 'IMAGE') {
      if (!['FILL', 'FIT', 'CROP', 'TILE'].includes(paint.scaleMode)) {
        throw new Error(`in set_${property}: Invalid scaleMode "${String(paint.scaleMode)}"`)
      }
      if (paint.imageHash !== null && context.images.get(paint.imageHash) === null) {
        throw new Error(`in set_${property}: Image with hash ${paint.imageHash} does not exist`)
      }
      if (paint.rotation !== undefined && paint.rotation % 90 !== 0) {
        throw new Error(`in set_${property}: Image paint rotation must be a multiple of 90`)
      }
    }
    if (paint.opacity !== undefined && !(paint.opacity >= 0 && paint.opacity <= 1)) {
      throw new Error(`in set_${property}: opacity must be between 0 and 1`)
    }
  }
  return deepFreezeClone(paints as Paint[])
}

function validateExportSettings(settings: unknown): readonly ExportSettings[] {
  if (!Array.isArray(settings)) throw new Error('in set_exportSettings: Expected an array')
  for (const s of settings as ExportSettings[]) {
    if (!['PNG', 'JPG', 'SVG', 'SVG_STRING', 'PDF', 'JSON_REST_V1'].includes(s?.format)) {
      throw new Error('in set_exportSettings: Invalid format')
    }
    if ('suffix' in s && s.suffix !== undefined && typeof s.suffix !== 'string') {
      throw new Error('in set_exportSettings: suffix must be a string')
    }
    if ((s.format === 'PNG' || s.format === 'JPG') && s.constraint !== undefined) {
      const { type, value } = s.constraint
      if (!['SCALE', 'WIDTH', 'HEIGHT'].includes(type) || !(value > 0) || !Number.isFinite(value)) {
        throw new Error('in set_exportSettings: Invalid constraint')
      }
    }
  }
  return deepFreezeClone(settings as ExportSettings[])
}

export abstract class FakeBaseNode {
  readonly id: string
  abstract readonly type: NodeType
  #name: string
  #removed = false
  parent: FakeContainerNode | null = null
  readonly #pluginData = new Map<string, string>()
  #relaunchData: Readonly<Record<string, string>> = Object.freeze({})
  protected readonly context: FakeContext

  constructor(context: FakeContext, name: string, id = context.nextId()) {
    this.context = context
    this.id = id
    this.#name = name
    context.nodes.set(id, this)
  }

  get removed(): boolean {
    return this.#removed
  }

  protected alive(): void {
    if (this.#removed) throw new Error(`The node with id "${this.id}" does not exist`)
  }

  get name(): string {
    this.alive()
    return this.#name
  }
  set name(value: string) {
    this.alive()
    if (typeof value !== 'string') throw new Error('in set_name: Expected a string')
    this.#name = value
  }

  setPluginData(key: string, value: string): void {
    this.alive()
    if (typeof key !== 'string' || key === '') throw new Error('in setPluginData: key must be a non-empty string')
    if (typeof value !== 'string') throw new Error('in setPluginData: value must be a string')
    if (value.length > 100_000) throw new Error('in setPluginData: value exceeds 100kB')
    if (value === '') this.#pluginData.delete(key)
    else this.#pluginData.set(key, value)
  }
  getPluginData(key: string): string {
    this.alive()
    return this.#pluginData.get(key) ?? ''
  }
  getPluginDataKeys(): string[] {
    this.alive()
    return [...this.#pluginData.keys()]
  }

  /**
   * Figma needs relaunchButtons in the manifest, and shows a button only for a command declared
   * there; where Figma would silently show nothing, the fake throws, so a misspelt command fails a
   * test instead of leaving results without their button. Each call replaces the node's data.
   */
  setRelaunchData(data: { [command: string]: string }): void {
    this.alive()
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('in setRelaunchData: Expected an object')
    const commands = this.context.relaunchCommands
    if (Object.keys(data).length > 0 && commands.length === 0) throw new Error('setRelaunchData: the manifest declares no relaunchButtons')
    for (const [command, description] of Object.entries(data)) {
      if (!commands.includes(command)) throw new Error(`in setRelaunchData: "${command}" is not a command of the manifest's relaunchButtons (${commands.join(', ')})`)
      if (typeof description !== 'string') throw new Error('in setRelaunchData: a description must be a string')
      if (description.length > 1000) throw new Error('in setRelaunchData: a description must be at most 1000 characters')
    }
    this.#relaunchData = Object.freeze({ ...data })
  }
  getRelaunchData(): { [command: string]: string } {
    this.alive()
    return { ...this.#relaunchData }
  }

  remove(): void {
    this.alive()
    if (this.parent?.type === 'INSTANCE' || this.insideInstance()) {
      throw new Error('Removing this node is not allowed: it is inside an instance')
    }
    this.parent?.detach(this as unknown as FakeSceneNode)
    this.markRemoved()
    this.context.onRemoved(this)
  }

  /** Marks this node and its subtree removed. */
  markRemoved(): void {
    this.#removed = true
    this.context.nodes.delete(this.id)
    if (this instanceof FakeContainerNode) for (const child of this.childList) child.markRemoved()
  }

  insideInstance(): boolean {
    for (let p = this.parent; p !== null; p = p.parent) if (p.type === 'INSTANCE') return true
    return false
  }

  toString(): string {
    return `[Node ${this.id}]`
  }
}

/** Nodes with children: pages, frames, groups, sections, components, instances. */
export abstract class FakeContainerNode extends FakeBaseNode {
  readonly childList: FakeSceneNode[] = []

  get children(): readonly FakeSceneNode[] {
    this.alive()
    return Object.freeze([...this.childList])
  }

  appendChild(child: FakeSceneNode): void {
    this.insertChild(this.childList.length, child)
  }

  insertChild(index: number, child: FakeSceneNode): void {
    this.alive()
    if (!(child instanceof FakeSceneNode) || child.removed) throw new Error('in appendChild: Expected a node')
    if (this.type === 'INSTANCE' || this.insideInstance()) {
      throw new Error('Cannot move node. New parent is an instance or is inside of an instance')
    }
    for (let p: FakeBaseNode | null = this; p !== null; p = p.parent) {
      if (p === child) throw new Error('Cannot move node. A node cannot be a child of itself')
    }
    child.parent?.detach(child)
    this.childList.splice(index, 0, child)
    child.parent = this
  }

  detach(child: FakeBaseNode): void {
    const index = this.childList.indexOf(child as FakeSceneNode)
    if (index >= 0) this.childList.splice(index, 1)
    child.parent = null
  }

  findAll(predicate?: (node: FakeSceneNode) => boolean): FakeSceneNode[] {
    this.alive()
    const found: FakeSceneNode[] = []
    const walk = (node: FakeContainerNode) => {
      for (const child of node.childList) {
        if (!predicate || predicate(child)) found.push(child)
        if (child instanceof FakeContainerNode) walk(child)
      }
    }
    walk(this)
    return found
  }

  /** Transform of this node's own coordinate space, in which its children's x/y are given. */
  abstract childSpace(): Matrix
}

export class FakeDocumentNode extends FakeContainerNode {
  readonly type = 'DOCUMENT' as const
  override appendChild(child: FakeSceneNode | FakePageNode): void {
    if (!(child instanceof FakePageNode)) throw new Error('The document accepts only pages')
    this.childList.push(child as unknown as FakeSceneNode)
    child.parent = this
  }
  childSpace(): Matrix {
    return IDENTITY
  }
}

export class FakePageNode extends FakeContainerNode {
  readonly type = 'PAGE' as const
  #selection: FakeSceneNode[] = []
  /** Set by the api: called when this page's selection changes. */
  onSelectionChange: (page: FakePageNode) => void = () => {}

  get selection(): readonly FakeSceneNode[] {
    this.alive()
    return Object.freeze([...this.#selection])
  }
  set selection(nodes: readonly FakeSceneNode[]) {
    this.alive()
    if (!Array.isArray(nodes)) throw new Error('in set_selection: Expected an array of nodes')
    const next: FakeSceneNode[] = []
    for (const node of nodes) {
      if (!(node instanceof FakeSceneNode)) throw new Error('in set_selection: Expected an array of scene nodes')
      if (node.removed) throw new Error(`in set_selection: The node with id "${node.id}" does not exist`)
      if (node.page !== this) throw new Error('in set_selection: Node must be on the current page')
      if (!next.includes(node)) next.push(node)
    }
    const changed = next.length !== this.#selection.length || next.some((n, i) => n !== this.#selection[i])
    this.#selection = next
    if (changed) this.onSelectionChange(this)
  }

  /** Drops removed nodes from the selection, as Figma does when selected layers are deleted. */
  pruneSelection(): void {
    const kept = this.#selection.filter((n) => !n.removed)
    if (kept.length !== this.#selection.length) {
      this.#selection = kept
      this.onSelectionChange(this)
    }
  }

  childSpace(): Matrix {
    return IDENTITY
  }
}

type Layout = 'NONE' | 'HORIZONTAL' | 'VERTICAL'

/** Every node that sits on the canvas. */
export abstract class FakeSceneNode extends FakeContainerNode {
  #x = 0
  #y = 0
  #width: number
  #height: number
  #rotation = 0
  #visible = true
  #opacity = 1
  #exportSettings: readonly ExportSettings[] = Object.freeze([])

  constructor(context: FakeContext, name: string, width = 100, height = 100) {
    super(context, name)
    this.#width = width
    this.#height = height
  }

  /** Only container types accept children (frames, groups, sections, components). */
  protected acceptsChildren(): boolean {
    return false
  }
  override insertChild(index: number, child: FakeSceneNode): void {
    if (!this.acceptsChildren() && this.type !== 'INSTANCE') throw new Error(`A ${this.type} node cannot have children`)
    super.insertChild(index, child)
  }

  get page(): FakePageNode | null {
    for (let p: FakeBaseNode | null = this.parent; p !== null; p = p.parent) if (p instanceof FakePageNode) return p
    return null
  }

  /** The node whose space holds this node's x/y: groups do not have their own. */
  protected coordinateParent(): FakeContainerNode | null {
    let p = this.parent
    while (p instanceof FakeGroupNode) p = p.parent
    return p
  }

  protected isLaidOut(): boolean {
    return this.parent instanceof FakeFrameNode && this.parent.layoutMode !== 'NONE'
  }

  get x(): number {
    this.alive()
    if (this.isLaidOut()) return (this.parent as FakeFrameNode).layoutPosition(this)[0]
    return this.#x
  }
  set x(value: number) {
    this.alive()
    if (!Number.isFinite(value)) throw new Error('in set_x: Expected a finite number')
    // Figma keeps the value but auto layout decides the position
    this.#x = value
  }
  get y(): number {
    this.alive()
    if (this.isLaidOut()) return (this.parent as FakeFrameNode).layoutPosition(this)[1]
    return this.#y
  }
  set y(value: number) {
    this.alive()
    if (!Number.isFinite(value)) throw new Error('in set_y: Expected a finite number')
    this.#y = value
  }
  get width(): number {
    this.alive()
    return this.#width
  }
  get height(): number {
    this.alive()
    return this.#height
  }
  resize(width: number, height: number): void {
    this.alive()
    if (!(width >= 0.01) || !(height >= 0.01) || !Number.isFinite(width) || !Number.isFinite(height)) {
      throw new Error('in resize: Expected width and height to be >= 0.01')
    }
    this.#width = width
    this.#height = height
  }
  get rotation(): number {
    this.alive()
    return this.#rotation
  }
  set rotation(degrees: number) {
    this.alive()
    if (!Number.isFinite(degrees)) throw new Error('in set_rotation: Expected a finite number')
    this.#rotation = degrees
  }
  get visible(): boolean {
    this.alive()
    return this.#visible
  }
  set visible(value: boolean) {
    this.alive()
    this.#visible = Boolean(value)
  }
  get opacity(): number {
    this.alive()
    return this.#opacity
  }
  set opacity(value: number) {
    this.alive()
    if (!(value >= 0 && value <= 1)) throw new Error('in set_opacity: Expected a number between 0 and 1')
    this.#opacity = value
  }

  get relativeTransform(): Matrix {
    this.alive()
    const r = (this.#rotation * Math.PI) / 180
    const cos = Math.cos(r)
    const sin = Math.sin(r)
    return [
      [cos, sin, this.x],
      [-sin, cos, this.y]
    ]
  }

  get absoluteTransform(): Matrix {
    this.alive()
    const parent = this.coordinateParent()
    const base = parent === null ? IDENTITY : parent.childSpace()
    return multiply(base, this.relativeTransform)
  }

  childSpace(): Matrix {
    return this.absoluteTransform
  }

  get absoluteBoundingBox(): Rect | null {
    this.alive()
    return boundsOf(this.absoluteTransform, this.width, this.height)
  }

  get exportSettings(): readonly ExportSettings[] {
    this.alive()
    return this.#exportSettings
  }
  set exportSettings(value: readonly ExportSettings[]) {
    this.alive()
    this.#exportSettings = validateExportSettings(value)
  }

  /** The rotation part of relativeTransform: what auto layout measures. */
  relativeTransformIgnoringPosition(): Matrix {
    const r = (this.rotation * Math.PI) / 180
    return [
      [Math.cos(r), Math.sin(r), 0],
      [-Math.sin(r), Math.cos(r), 0]
    ]
  }

  /** A copy without children (how component contents appear in an instance). */
  cloneShallow(): FakeSceneNode {
    const Kind = this.constructor as new (context: FakeContext, name: string, w: number, h: number) => FakeSceneNode
    const copy = new Kind(this.context, this.name, this.width, this.height)
    copy.x = this.x
    copy.y = this.y
    copy.rotation = this.rotation
    if (this instanceof FakeGeometryNode && copy instanceof FakeGeometryNode) {
      const fills = this.fills
      if (Array.isArray(fills)) copy.fills = fills
    }
    return copy
  }

  /** Node-specific part of a render: fills, corner radius. */
  protected renderPaints(): RenderPaint[] {
    return []
  }
  protected renderCornerRadius(): number {
    return 0
  }
  protected renderStrokes(_scale: number): RenderStroke[] {
    return []
  }

  async exportAsync(settings: ExportSettings = { format: 'PNG' }): Promise<Uint8Array> {
    this.alive()
    if (settings.format !== 'PNG' && settings.format !== 'JPG') {
      throw new Error(`The fake figma exports only PNG and JPG (asked for ${settings.format})`)
    }
    const box = this.absoluteBoundingBox
    if (box === null || box.width <= 0 || box.height <= 0) throw new Error('Cannot export a node with no size')
    const constraint = settings.constraint ?? { type: 'SCALE', value: 1 }
    if (!(constraint.value > 0) || !Number.isFinite(constraint.value)) throw new Error('Invalid export constraint')
    const scale =
      constraint.type === 'SCALE'
        ? constraint.value
        : constraint.type === 'WIDTH'
          ? constraint.value / box.width
          : constraint.value / box.height
    const width = Math.max(1, Math.round(box.width * scale))
    const height = Math.max(1, Math.round(box.height * scale))
    this.context.exportLog.push({ nodeId: this.id, settings: structuredClone(settings) })
    const renderer = this.context.renderer
    if (renderer === undefined) throw new Error('This fake figma has no renderer: pass createFakeFigma({ renderer })')
    const job: RenderJob = {
      format: settings.format,
      width,
      height,
      scale,
      layer: { width: this.width * scale, height: this.height * scale },
      rotation: this.rotation,
      opacity: this.opacity,
      cornerRadius: this.renderCornerRadius() * scale,
      paints: this.renderPaints(),
      strokes: this.renderStrokes(scale)
    }
    this.context.exportsRunning.count += 1
    let bytes: Uint8Array
    try {
      await this.context.delay()
      bytes = await renderer(job)
    } finally {
      this.context.exportsRunning.count -= 1
    }
    if (this.removed) throw new Error(`The node with id "${this.id}" does not exist`)
    return bytes
  }
}

/** Nodes with fills, strokes and effects (shapes, text, frames). */
export abstract class FakeGeometryNode extends FakeSceneNode {
  #fills: readonly Paint[] = Object.freeze([])
  #strokes: readonly Paint[] = Object.freeze([])
  #stroke = defaultStrokeState()
  #effects: readonly Effect[] = Object.freeze([])
  #cornerRadius = 0

  get fills(): readonly Paint[] | symbol {
    this.alive()
    return this.#fills
  }
  set fills(paints: readonly Paint[] | symbol) {
    this.alive()
    this.#fills = validatePaints(this.context, paints, 'fills')
  }
  get strokes(): readonly Paint[] {
    this.alive()
    return this.#strokes
  }
  set strokes(paints: readonly Paint[]) {
    this.alive()
    this.#strokes = validatePaints(this.context, paints, 'strokes')
  }
  get strokeWeight(): number {
    this.alive()
    return this.#stroke.weight
  }
  set strokeWeight(value: number) {
    this.alive()
    this.#stroke = { ...this.#stroke, weight: checkStrokeWeight(value) }
  }
  get strokeAlign(): 'CENTER' | 'INSIDE' | 'OUTSIDE' {
    this.alive()
    return this.#stroke.align
  }
  set strokeAlign(value: 'CENTER' | 'INSIDE' | 'OUTSIDE') {
    this.alive()
    this.#stroke = { ...this.#stroke, align: checkStrokeAlign(value) }
  }
  get dashPattern(): readonly number[] {
    this.alive()
    return this.#stroke.dashPattern
  }
  set dashPattern(value: readonly number[]) {
    this.alive()
    this.#stroke = { ...this.#stroke, dashPattern: checkDashPattern(value) }
  }
  protected override renderStrokes(scale: number): RenderStroke[] {
    return renderStrokes(this.#strokes, this.#stroke, scale)
  }
  get effects(): readonly Effect[] {
    this.alive()
    return this.#effects
  }
  set effects(effects: readonly Effect[]) {
    this.alive()
    if (!Array.isArray(effects)) throw new Error('in set_effects: Expected an array')
    this.#effects = deepFreezeClone(effects)
  }
  get cornerRadius(): number {
    this.alive()
    return this.#cornerRadius
  }
  set cornerRadius(value: number) {
    this.alive()
    if (!(value >= 0)) throw new Error('in set_cornerRadius: Expected a number >= 0')
    this.#cornerRadius = value
  }

  protected override renderCornerRadius(): number {
    return this.#cornerRadius
  }

  protected override renderPaints(): RenderPaint[] {
    const fills = this.fills
    if (!Array.isArray(fills)) return []
    const out: RenderPaint[] = []
    for (const paint of fills as Paint[]) {
      if (paint.visible === false) continue
      if (paint.type === 'SOLID') out.push({ type: 'SOLID', color: { ...paint.color }, opacity: paint.opacity ?? 1 })
      if (paint.type === 'IMAGE' && paint.imageHash !== null) {
        const image = this.context.images.get(paint.imageHash)
        if (image === null) continue
        out.push({
          type: 'IMAGE',
          bytes: image.bytes,
          scaleMode: paint.scaleMode,
          imageTransform: paint.imageTransform,
          scalingFactor: paint.scalingFactor,
          rotation: paint.rotation ?? 0,
          opacity: paint.opacity ?? 1
        })
      }
    }
    return out
  }
}

export class FakeRectangleNode extends FakeGeometryNode {
  readonly type = 'RECTANGLE' as const
}

export class FakeEllipseNode extends FakeGeometryNode {
  readonly type = 'ELLIPSE' as const
}

export class FakeTextNode extends FakeGeometryNode {
  readonly type = 'TEXT' as const
  #characters = ''
  #rangeFills: Array<{ start: number; end: number; paints: readonly Paint[] }> = []

  get characters(): string {
    this.alive()
    return this.#characters
  }
  set characters(value: string) {
    this.alive()
    this.#characters = String(value)
    this.#rangeFills = []
  }
  /** Different fills on part of the text make `fills` read as figma.mixed. */
  setRangeFills(start: number, end: number, paints: Paint[]): void {
    this.alive()
    if (!(start >= 0 && end <= this.#characters.length && start < end)) throw new Error('in setRangeFills: Invalid range')
    if (start === 0 && end === this.#characters.length) {
      this.fills = paints
      this.#rangeFills = []
      return
    }
    this.#rangeFills.push({ start, end, paints: validatePaints(this.context, paints, 'fills') })
  }
  override get fills(): readonly Paint[] | symbol {
    const whole = super.fills
    return this.#rangeFills.length > 0 ? this.context.mixed : whole
  }
  override set fills(paints: readonly Paint[] | symbol) {
    super.fills = paints
    this.#rangeFills = []
  }
}

export class FakeFrameNode extends FakeGeometryNode {
  readonly type: 'FRAME' | 'COMPONENT' | 'INSTANCE' = 'FRAME'
  layoutMode: Layout = 'NONE'
  itemSpacing = 0
  paddingLeft = 0
  paddingTop = 0
  clipsContent = true
  #guides: readonly Guide[] = Object.freeze([])

  /** Frame guides: X lines at an x offset, Y lines at a y offset; Figma refuses anything else. */
  get guides(): readonly Guide[] {
    this.alive()
    return this.#guides
  }
  set guides(value: readonly Guide[]) {
    this.alive()
    if (!Array.isArray(value)) throw new Error('in set_guides: Expected an array')
    for (const guide of value) {
      if ((guide.axis !== 'X' && guide.axis !== 'Y') || typeof guide.offset !== 'number' || !Number.isFinite(guide.offset)) {
        throw new Error('in set_guides: Invalid guide')
      }
    }
    this.#guides = Object.freeze(value.map((guide) => Object.freeze({ axis: guide.axis, offset: guide.offset })))
  }

  protected override acceptsChildren(): boolean {
    return true
  }

  /** Auto layout: children stack from the padding, one after another, ignoring their own x/y. */
  layoutPosition(child: FakeSceneNode): [number, number] {
    let offset = this.layoutMode === 'HORIZONTAL' ? this.paddingLeft : this.paddingTop
    for (const sibling of this.childList) {
      if (sibling === child) break
      const box = boundsOf(sibling.relativeTransformIgnoringPosition(), sibling.width, sibling.height)
      offset += (this.layoutMode === 'HORIZONTAL' ? box.width : box.height) + this.itemSpacing
    }
    return this.layoutMode === 'HORIZONTAL' ? [offset, this.paddingTop] : [this.paddingLeft, offset]
  }
}

export class FakeComponentNode extends FakeFrameNode {
  override readonly type = 'COMPONENT' as const
  createInstance(): FakeInstanceNode {
    this.alive()
    const instance = new FakeInstanceNode(this.context, this.name, this.width, this.height, this)
    instance.fills = this.fills as Paint[]
    const page = this.page
    page?.appendChild(instance)
    for (const child of this.childList) instance.adoptCopy(child)
    return instance
  }
}

export class FakeInstanceNode extends FakeFrameNode {
  override readonly type = 'INSTANCE' as const
  constructor(
    context: FakeContext,
    name: string,
    width: number,
    height: number,
    readonly mainComponent: FakeComponentNode
  ) {
    super(context, name, width, height)
  }
  /** Copies a component child into the instance (the only way children get into one). */
  adoptCopy(child: FakeSceneNode): FakeSceneNode {
    const copy = child.cloneShallow()
    this.childList.push(copy)
    copy.parent = this
    return copy
  }
}

export class FakeGroupNode extends FakeSceneNode {
  readonly type = 'GROUP' as const
  protected override acceptsChildren(): boolean {
    return true
  }
  /** A group's box is its children's: x/y are the children's union in the group's parent space. */
  get #union(): Rect {
    const parent = this.coordinateParent()
    const base = parent === null ? IDENTITY : parent.childSpace()
    const [[a, b, c], [d, e, f]] = base
    // children boxes in page space, brought back into the parent's space (no rotation on groups here)
    const boxes = this.childList.map((child) => child.absoluteBoundingBox as Rect)
    const u = boundingBoxOf(boxes) ?? { x: 0, y: 0, width: 0, height: 0 }
    if (a !== 1 || b !== 0 || d !== 0 || e !== 1) return u
    return { x: u.x - c, y: u.y - f, width: u.width, height: u.height }
  }
  override get x(): number {
    this.alive()
    return this.#union.x
  }
  override set x(_value: number) {
    throw new Error('The fake figma does not move groups: move their children')
  }
  override get y(): number {
    this.alive()
    return this.#union.y
  }
  override set y(_value: number) {
    throw new Error('The fake figma does not move groups: move their children')
  }
  override get width(): number {
    this.alive()
    return this.#union.width
  }
  override get height(): number {
    this.alive()
    return this.#union.height
  }
  override resize(): void {
    throw new Error('The fake figma does not resize groups')
  }
  override get absoluteBoundingBox(): Rect | null {
    this.alive()
    return boundingBoxOf(this.childList.map((child) => child.absoluteBoundingBox as Rect))
  }
  override childSpace(): Matrix {
    const parent = this.coordinateParent()
    return parent === null ? IDENTITY : parent.childSpace()
  }
}

export class FakeSectionNode extends FakeGeometryNode {
  readonly type = 'SECTION' as const
  protected override acceptsChildren(): boolean {
    return true
  }
}
