// Runs the real built plugin as Figma does: dist/code.js evaluated against the fake `figma` (no DOM in
// its scope), dist/ui.html in a null-origin iframe, and messages passed as Figma passes them.
import type { FakeFigma } from '../fakes/figma/create-fake-figma'
import { THEME_CLASSES, THEME_LISTENER, themeMessage, themeStyle, type FigmaTheme, type ThemeCss } from './figma-theme'

export const PLUGIN_ID = 'luma-reframe-dev'

export type PluginHostOptions = {
  fake: FakeFigma
  holder: HTMLElement
  /** Fetches the current build (so "Run again" picks up a rebuild). */
  loadAsync: () => Promise<{ code: string; html: string }>
  /** Each theme's variables, injected at the top of the UI document as Figma injects them. */
  themeCss: ThemeCss
  /** The theme the plugin window opens in (`setTheme` changes it while it is open). */
  theme: FigmaTheme
  /** Dev overrides for the UI, seen as window.__LUMA_PREVIEW__ (provider base URLs). */
  uiOverrides: Record<string, unknown>
  notify: (message: string, error: boolean) => void
  scrollIntoView: (nodes: readonly SceneNode[]) => void
  onStateChange?: (state: 'running' | 'closed') => void
}

type Registration = { off: () => void }

/** Adds Figma's theme (variables + class, and its live switch) and the preview's overrides to the plugin's HTML. */
export function prepareUiHtml(html: string, themeColors: boolean, theme: FigmaTheme, themeCss: ThemeCss, overrides: Record<string, unknown>): string {
  const json = JSON.stringify(overrides).replace(/</g, '\\u003c')
  const injected =
    (themeColors ? `<style id="figma-style">${themeStyle(theme, themeCss)}</style>${THEME_LISTENER}` : '') +
    `<script>window.__LUMA_PREVIEW__ = ${json}</script>`
  let out = html
  if (themeColors) out = out.replace(/<html([^>]*)>/i, (_m, attrs: string) => `<html${attrs} class="${THEME_CLASSES[theme]}">`)
  return /<head[^>]*>/i.test(out) ? out.replace(/<head[^>]*>/i, (head) => head + injected) : injected + out
}

export class PluginHost {
  private iframe: HTMLIFrameElement | null = null
  private themeColors = false
  private registrations: Registration[] = []
  private unsubscribeUi: (() => void) | null = null
  private readonly onWindowMessage = (event: MessageEvent) => {
    // only the plugin's own frame speaks for the plugin, and only in Figma's envelope
    if (this.iframe === null || event.source !== this.iframe.contentWindow) return
    const data = event.data as { pluginMessage?: unknown } | null
    if (data === null || typeof data !== 'object' || !('pluginMessage' in data)) return
    this.options.fake.deliverToMain(data.pluginMessage)
  }

  constructor(private readonly options: PluginHostOptions) {
    window.addEventListener('message', this.onWindowMessage)
    this.instrument()
  }

  get frame(): HTMLIFrameElement | null {
    return this.iframe
  }

  /** The user switches Figma's theme: an open plugin window shown with themeColors follows at once. */
  setTheme(theme: FigmaTheme) {
    this.options.theme = theme
    if (this.themeColors) this.iframe?.contentWindow?.postMessage(themeMessage(theme, this.options.themeCss), '*')
  }

  /** Wraps the fake's UI entry points (the fake stays the judge: its checks run first). */
  private instrument() {
    const { fake } = this.options
    const api = fake.api
    const showUI = api.showUI.bind(api)
    api.showUI = (html: string, showOptions: ShowUIOptions = {}) => {
      showUI(html, showOptions)
      this.showFrame(html, showOptions)
    }
    const resize = api.ui.resize.bind(api.ui)
    api.ui.resize = (width: number, height: number) => {
      resize(width, height)
      if (this.iframe !== null) this.sizeFrame(width, height)
    }
    const closeUi = api.ui.close.bind(api.ui)
    api.ui.close = () => {
      closeUi()
      this.removeFrame()
    }
    const closePlugin = api.closePlugin.bind(api)
    api.closePlugin = (message?: string) => {
      closePlugin()
      if (message !== undefined) this.options.notify(message, false)
      this.stop()
    }
    const notify = api.notify.bind(api)
    api.notify = (message: string, notifyOptions?: NotificationOptions) => {
      const handle = notify(message, notifyOptions)
      // Figma cuts notifications at 100 characters; show what a user would see
      this.options.notify(message.length > 100 ? `${message.slice(0, 99)}…` : message, notifyOptions?.error === true)
      return handle
    }
    const scroll = api.viewport.scrollAndZoomIntoView.bind(api.viewport)
    api.viewport.scrollAndZoomIntoView = (nodes) => {
      scroll(nodes)
      this.options.scrollIntoView(nodes as unknown as readonly SceneNode[])
    }
    // remember what each run registers, so closing the plugin drops it as Figma drops the sandbox
    const on = api.on.bind(api)
    api.on = (event, listener) => {
      on(event, listener)
      this.registrations.push({ off: () => api.off(event, listener) })
    }
    const uiOn = api.ui.on.bind(api.ui)
    api.ui.on = (type, listener) => {
      uiOn(type, listener)
      this.registrations.push({ off: () => api.ui.off(type, listener) })
    }
  }

  /** Evaluates dist/code.js as the plugin's main thread, started by `command` ('' from the plugins menu). */
  async runAsync(command = '') {
    this.stop()
    this.options.fake.startWith(command)
    const { code, html } = await this.options.loadAsync()
    const target = globalThis as unknown as { figma?: unknown; __html__?: string }
    target.figma = this.options.fake.api
    target.__html__ = html
    this.unsubscribeUi = this.options.fake.onUiMessage((message) => {
      // main's figma.ui.postMessage(msg) arrives in the UI as event.data.pluginMessage
      this.iframe?.contentWindow?.postMessage({ pluginMessage: message, pluginId: PLUGIN_ID }, '*')
    })
    this.options.onStateChange?.('running')
    // Figma's main thread has no DOM: shadow the page's globals so a stray use fails here as it would there
    const main = new Function('figma', '__html__', 'window', 'document', 'parent', 'self', 'localStorage', code) as (
      ...args: unknown[]
    ) => void
    try {
      main(this.options.fake.api, html, undefined, undefined, undefined, undefined, undefined)
    } catch (error) {
      this.options.notify(`The plugin failed to start: ${(error as Error).message}`, true)
      throw error
    }
  }

  /** The user closes the plugin window (the × in the panel). */
  closeByUser() {
    this.options.fake.closeByUser()
    this.stop()
  }

  private stop() {
    for (const registration of this.registrations.splice(0)) registration.off()
    const api = this.options.fake.api
    api.ui.onmessage = undefined
    this.unsubscribeUi?.()
    this.unsubscribeUi = null
    this.removeFrame()
    this.options.onStateChange?.('closed')
  }

  private showFrame(html: string, showOptions: ShowUIOptions) {
    this.removeFrame()
    const iframe = document.createElement('iframe')
    // no allow-same-origin: the document's origin is 'null', as Figma's plugin iframe
    iframe.setAttribute('sandbox', 'allow-scripts allow-popups allow-forms allow-downloads')
    iframe.title = showOptions.title ?? 'Plugin'
    iframe.name = 'plugin-ui'
    this.themeColors = showOptions.themeColors === true
    iframe.srcdoc = prepareUiHtml(html, this.themeColors, this.options.theme, this.options.themeCss, this.options.uiOverrides)
    this.iframe = iframe
    this.sizeFrame(showOptions.width ?? 300, showOptions.height ?? 200)
    if (showOptions.visible === false) iframe.style.display = 'none'
    this.options.holder.append(iframe)
  }

  private sizeFrame(width: number, height: number) {
    if (this.iframe === null) return
    this.iframe.style.width = `${width}px`
    this.iframe.style.height = `${height}px`
  }

  private removeFrame() {
    this.iframe?.remove()
    this.iframe = null
  }
}
