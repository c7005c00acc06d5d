// A strict fake of the parts of Figma's PluginAPI the plugin uses, plus hooks for tests: deliver a
// message from the UI, read what main posted, notifications, undo commits. No Node-only imports: the
// renderer behind exportAsync is injected (see sharp-renderer.ts for Node). Like Figma, it runs the
// plugin of this repository's manifest (its relaunch buttons), started by a command (`figma.command`).
import manifest from '../../../manifest.json'
import { FakeClientStorage } from './fake-client-storage'
import { ImageStore } from './fake-image'
import {
  FakeComponentNode,
  FakeDocumentNode,
  FakeEllipseNode,
  FakeFrameNode,
  FakeGroupNode,
  FakePageNode,
  FakeRectangleNode,
  FakeSceneNode,
  FakeSectionNode,
  FakeTextNode,
  type FakeBaseNode,
  type FakeContext,
  type FakeGeometryNode
} from './fake-nodes'
import type { Renderer } from './render-job'

export type FakeFigmaOptions = {
  /** Draws node.exportAsync output. Without one, exportAsync throws. */
  renderer?: Renderer
  /** Delay of every async API call, in ms (0: next macrotask). */
  delayMs?: number
  /** `figma.command`: '' when run from the plugins menu, a relaunch button's command when started by it. */
  command?: string
  /** The commands of the manifest's relaunchButtons (default: this repository's manifest.json). */
  relaunchCommands?: readonly string[]
}

/** The relaunch buttons manifest.json declares (Figma shows them in the properties panel). */
export const MANIFEST_RELAUNCH_BUTTONS: ReadonlyArray<{ command: string; name: string; multipleSelection?: boolean }> =
  (manifest as { relaunchButtons?: Array<{ command: string; name: string; multipleSelection?: boolean }> }).relaunchButtons ?? []

/** The relaunch commands manifest.json declares. */
export const MANIFEST_RELAUNCH_COMMANDS: readonly string[] = MANIFEST_RELAUNCH_BUTTONS.map((button) => button.command)

type UiListener = (message: unknown, props: { origin: string }) => void
type EventName = 'selectionchange' | 'currentpagechange' | 'close' | 'run'
const EVENTS: EventName[] = ['selectionchange', 'currentpagechange', 'close', 'run']
/** Figma's default fill of a new rectangle or ellipse. */
const SHAPE_GREY: RGB = { r: 0.85, g: 0.85, b: 0.85 }

export function createFakeFigma(options: FakeFigmaOptions = {}) {
  const mixed = Symbol('figma.mixed')
  let idCounter = 1
  let command = options.command ?? ''
  const hooks = {
    delayMs: options.delayMs ?? 0,
    /** Messages main posted to the UI (structured clones), in order. */
    posted: [] as unknown[],
    notifications: [] as Array<{ message: string; options?: NotificationOptions }>,
    undoCommits: 0,
    scrolledTo: [] as string[][],
    resizes: [] as Array<{ width: number; height: number }>,
    showUiOptions: undefined as ShowUIOptions | undefined,
    uiHtml: undefined as string | undefined,
    closed: false,
    exports: [] as Array<{ nodeId: string; settings: ExportSettings }>,
    exportsRunning: { count: 0 },
    getBytesCalls: 0,
    getSizeCalls: 0
  }
  const delay = () => new Promise<void>((resolve) => setTimeout(resolve, hooks.delayMs))
  const images = new ImageStore(async (call) => {
    if (call === 'bytes') hooks.getBytesCalls += 1
    else hooks.getSizeCalls += 1
    await delay()
  })
  const context: FakeContext = {
    mixed,
    images,
    renderer: options.renderer,
    nodes: new Map(),
    nextId: () => `${Math.floor(idCounter / 1000) + 1}:${idCounter++ % 1000}`,
    delay,
    relaunchCommands: options.relaunchCommands ?? MANIFEST_RELAUNCH_COMMANDS,
    exportLog: hooks.exports,
    exportsRunning: hooks.exportsRunning,
    onRemoved: () => {
      for (const page of root.childList as unknown as FakePageNode[]) page.pruneSelection()
    }
  }

  const listeners = new Map<EventName, Set<() => void>>(EVENTS.map((e) => [e, new Set()]))
  function fire(event: EventName) {
    for (const listener of [...(listeners.get(event) ?? [])]) listener()
  }

  const root = new FakeDocumentNode(context, 'Document')
  let currentPage = createPage('Page 1')

  function createPage(name: string): FakePageNode {
    const page = new FakePageNode(context, name)
    // Figma fires selectionchange asynchronously, after the change, and only for the current page
    page.onSelectionChange = (changed) => {
      if (changed === currentPage) setTimeout(() => fire('selectionchange'), 0)
    }
    root.appendChild(page as unknown as FakeSceneNode)
    return page
  }

  function add<T extends FakeSceneNode>(node: T, parent?: { appendChild(n: FakeSceneNode): void }): T {
    ;(parent ?? currentPage).appendChild(node)
    return node
  }

  /** Adds a new node with the solid fill Figma gives its kind (white frames, grey shapes, black text). */
  function addWithFill<T extends FakeGeometryNode>(node: T, color: RGB): T {
    add(node).fills = [{ type: 'SOLID', color }]
    return node
  }

  const uiListeners = new Set<UiListener>()
  const uiOnce = new Set<UiListener>()
  let uiOnMessage: UiListener | undefined
  const uiReceivers = new Set<(message: unknown) => void>()
  let uiShown = false

  const ui = {
    postMessage(message: unknown) {
      if (!uiShown) throw new Error('figma.ui.postMessage: no UI is shown (call figma.showUI first)')
      const copy = structuredClone(message)
      hooks.posted.push(copy)
      setTimeout(() => {
        for (const receive of [...uiReceivers]) receive(structuredClone(copy))
      }, 0)
    },
    on(type: 'message', listener: UiListener) {
      if (type !== 'message') throw new Error(`figma.ui.on: unsupported event "${String(type)}"`)
      uiListeners.add(listener)
    },
    once(type: 'message', listener: UiListener) {
      if (type !== 'message') throw new Error(`figma.ui.once: unsupported event "${String(type)}"`)
      uiOnce.add(listener)
    },
    off(type: 'message', listener: UiListener) {
      uiListeners.delete(listener)
      uiOnce.delete(listener)
    },
    get onmessage() {
      return uiOnMessage
    },
    set onmessage(listener: UiListener | undefined) {
      uiOnMessage = listener
    },
    resize(width: number, height: number) {
      if (!uiShown) throw new Error('figma.ui.resize: no UI is shown')
      if (!(width > 0 && height > 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
        throw new Error('figma.ui.resize: width and height must be positive numbers')
      }
      hooks.resizes.push({ width, height })
    },
    show() {},
    hide() {},
    close() {
      uiShown = false
    }
  }

  const api = {
    get mixed() {
      return mixed
    },
    apiVersion: '1.0.0',
    editorType: 'figma',
    /** The command the plugin was started with ('' from the plugins menu), as Figma sets it per run. */
    get command() {
      return command
    },
    get root() {
      return root
    },
    get currentPage() {
      return currentPage
    },
    set currentPage(_page: FakePageNode) {
      throw new Error('Setting figma.currentPage is not supported with documentAccess: dynamic-page. Use figma.setCurrentPageAsync')
    },
    async setCurrentPageAsync(page: FakePageNode) {
      if (!(page instanceof FakePageNode) || page.removed) throw new Error('setCurrentPageAsync: expected a page')
      await delay()
      currentPage = page
      fire('currentpagechange')
      fire('selectionchange')
    },
    getNodeById(_id: string): never {
      throw new Error('Cannot call getNodeById with documentAccess: dynamic-page. Use figma.getNodeByIdAsync instead.')
    },
    async getNodeByIdAsync(id: string): Promise<FakeBaseNode | null> {
      if (typeof id !== 'string') throw new Error('getNodeByIdAsync: id must be a string')
      await delay()
      const node = context.nodes.get(id)
      return node === undefined || node.removed ? null : node
    },
    getImageByHash(hash: string) {
      if (typeof hash !== 'string') throw new Error('getImageByHash: hash must be a string')
      return images.get(hash)
    },
    createImage(bytes: Uint8Array) {
      return images.create(bytes)
    },
    createFrame() {
      return addWithFill(new FakeFrameNode(context, 'Frame', 100, 100), { r: 1, g: 1, b: 1 })
    },
    createRectangle() {
      return addWithFill(new FakeRectangleNode(context, 'Rectangle', 100, 100), SHAPE_GREY)
    },
    createEllipse() {
      return addWithFill(new FakeEllipseNode(context, 'Ellipse', 100, 100), SHAPE_GREY)
    },
    createText() {
      return addWithFill(new FakeTextNode(context, 'Text', 100, 20), { r: 0, g: 0, b: 0 })
    },
    createComponent() {
      return add(new FakeComponentNode(context, 'Component', 100, 100))
    },
    createSection() {
      return add(new FakeSectionNode(context, 'Section', 100, 100))
    },
    createPage() {
      return createPage(`Page ${root.childList.length + 1}`)
    },
    group(nodes: readonly FakeSceneNode[], parent: FakePageNode | FakeFrameNode | FakeSectionNode) {
      if (nodes.length === 0) throw new Error('group: Expected at least one node')
      const group = new FakeGroupNode(context, 'Group', 0, 0)
      parent.appendChild(group)
      // children keep their place: their x/y stay in the group's parent space
      for (const node of nodes) group.appendChild(node)
      return group
    },
    showUI(html: string, showOptions: ShowUIOptions = {}) {
      if (typeof html !== 'string') throw new Error('showUI: html must be a string')
      hooks.uiHtml = html
      hooks.showUiOptions = showOptions
      uiShown = true
    },
    ui,
    on(event: EventName, listener: () => void) {
      const set = listeners.get(event)
      if (!set) throw new Error(`figma.on: unsupported event "${String(event)}"`)
      set.add(listener)
    },
    once(event: EventName, listener: () => void) {
      const wrapped = () => {
        listeners.get(event)?.delete(wrapped)
        listener()
      }
      api.on(event, wrapped)
    },
    off(event: EventName, listener: () => void) {
      listeners.get(event)?.delete(listener)
    },
    notify(message: string, notifyOptions?: NotificationOptions) {
      if (typeof message !== 'string') throw new Error('notify: message must be a string')
      hooks.notifications.push({ message, options: notifyOptions })
      return { cancel() {} }
    },
    commitUndo() {
      hooks.undoCommits += 1
    },
    viewport: {
      center: { x: 0, y: 0 },
      zoom: 1,
      scrollAndZoomIntoView(nodes: readonly FakeBaseNode[]) {
        if (!Array.isArray(nodes)) throw new Error('scrollAndZoomIntoView: Expected an array of nodes')
        for (const node of nodes) if (node.removed) throw new Error(`The node with id "${node.id}" does not exist`)
        hooks.scrolledTo.push(nodes.map((node) => node.id))
      }
    },
    clientStorage: new FakeClientStorage(delay),
    closePlugin() {
      hooks.closed = true
      uiShown = false
    }
  }

  return {
    api,
    hooks,
    /** What the UI's parent.postMessage({ pluginMessage }) does: a structured clone, delivered later. */
    deliverToMain(message: unknown) {
      const copy = structuredClone(message)
      setTimeout(() => {
        const props = { origin: 'null' }
        for (const listener of [...uiListeners]) listener(copy, props)
        for (const listener of [...uiOnce]) {
          uiOnce.delete(listener)
          listener(copy, props)
        }
        uiOnMessage?.(copy, props)
      }, 0)
    },
    /** Subscribes the test's UI side to main's postMessage; returns an unsubscribe function. */
    onUiMessage(receive: (message: unknown) => void) {
      uiReceivers.add(receive)
      return () => uiReceivers.delete(receive)
    },
    /**
     * The next run of the plugin is started by this command: '' from the plugins menu, or a relaunch
     * button's command (only one the manifest declares, as Figma shows only those).
     */
    startWith(next: string) {
      if (next !== '' && !context.relaunchCommands.includes(next)) throw new Error(`"${next}" is not a relaunch command of the manifest (${context.relaunchCommands.join(', ')})`)
      command = next
    },
    /** The user closes the plugin window. */
    closeByUser() {
      fire('close')
    }
  }
}

export type FakeFigma = ReturnType<typeof createFakeFigma>

/** Makes the fake the global `figma` (and `__html__`) that main-thread code sees. */
export function installFakeFigma(fake: FakeFigma, html = '<div id="app"></div>') {
  const target = globalThis as unknown as { figma?: unknown; __html__?: string }
  const previous = { figma: target.figma, html: target.__html__ }
  target.figma = fake.api
  target.__html__ = html
  return () => {
    target.figma = previous.figma
    target.__html__ = previous.html
  }
}
