// The preview page: a fake Figma document drawn on a canvas, with the real built plugin running in it.
import { createFakeFigma, MANIFEST_RELAUNCH_BUTTONS } from '../fakes/figma/create-fake-figma'
import { CanvasView } from './canvas-view'
import { renderWithCanvas } from './export-renderer'
import { ImageCache } from './image-cache'
import { importableImageAsync } from './importable-image'
import { PluginHost } from './plugin-host'
import { addImageAsync, seedFixturesAsync } from './seed-document'
import { installTestHooks } from './test-hooks'
import type { ThemeCss } from './figma-theme'
import { setUpThemeToggle } from './theme-toggle'

export type PreviewConfig = {
  fixtures: string[]
  themeCss: ThemeCss
  /** Provider base URLs the UI uses in the preview (the fake hosts on loopback). */
  providerBaseUrls: Record<string, string>
  /** The fake hosts and their keys, shown in the header so a key can be pasted into the plugin. */
  hosts: Array<{ id: string; label: string; baseUrl: string; apiKey: string }>
  /** What the "Fake host" menu can make every fake host do next. */
  faults: Array<{ id: string; label: string }>
}

async function fetchOk(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init)
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`)
  return response
}

function toast(message: string, error = false) {
  const holder = document.getElementById('toasts')!
  const item = document.createElement('div')
  item.className = error ? 'toast error' : 'toast'
  item.textContent = message
  holder.append(item)
  setTimeout(() => item.remove(), error ? 8000 : 4000)
}

function setUpFaultMenu(config: PreviewConfig) {
  const info = document.getElementById('host-info')!
  info.innerHTML = ''
  info.append('Fake keys:')
  for (const host of config.hosts) {
    const code = document.createElement('code')
    code.textContent = host.apiKey
    code.title = `The fake ${host.label} host at ${host.baseUrl} accepts this key`
    info.append(` ${host.label} `, code)
  }
  const select = document.getElementById('fault') as HTMLSelectElement
  select.innerHTML = ''
  for (const fault of config.faults) {
    const option = document.createElement('option')
    option.value = fault.id
    option.textContent = fault.label
    select.append(option)
  }
  select.addEventListener('change', () => {
    void fetchOk('/fake-host/fault', { method: 'POST', body: JSON.stringify({ fault: select.value }) })
      .then(() => toast(`Fake hosts: ${select.options[select.selectedIndex].text}`))
      .catch((error: Error) => toast(error.message, true))
  })
}

/**
 * Figma's relaunch buttons: when every selected layer carries relaunch data for a command of the
 * manifest (a result frame's "Reframe again"), the properties panel offers that button; pressing it
 * starts the plugin with `figma.command` set to it. The preview shows them over the canvas.
 */
function showRelaunchButtons(selection: readonly SceneNode[], start: (command: string) => void) {
  const bar = document.getElementById('relaunch')!
  bar.replaceChildren()
  if (selection.length === 0) return
  for (const button of MANIFEST_RELAUNCH_BUTTONS) {
    const descriptions = selection.map((node) => node.getRelaunchData()[button.command])
    if (descriptions.some((description) => description === undefined)) continue
    if (selection.length > 1 && button.multipleSelection !== true) continue
    const element = document.createElement('button')
    element.type = 'button'
    element.textContent = button.name
    element.title = selection.length === 1 ? descriptions[0]! : `${button.name} (${selection.length} layers)`
    element.addEventListener('click', () => start(button.command))
    bar.append(element)
  }
}

async function boot() {
  const config = (await (await fetchOk('/config.json')).json()) as PreviewConfig
  const fake = createFakeFigma({ renderer: renderWithCanvas, delayMs: 0 })
  const figma = fake.api as unknown as PluginAPI
  let view: CanvasView | null = null
  const images = new ImageCache(
    async (hash) => figma.getImageByHash(hash)?.getBytesAsync() ?? null,
    () => view?.invalidate()
  )
  await seedFixturesAsync(figma, config.fixtures, async (name) =>
    new Uint8Array(await (await fetchOk(`/fixtures/${encodeURIComponent(name)}`)).arrayBuffer())
  )
  view = new CanvasView({
    canvas: document.getElementById('canvas') as HTMLCanvasElement,
    figma,
    images,
    async onDropImage(file, at) {
      const bytes = await importableImageAsync(new Uint8Array(await file.arrayBuffer()))
      const rect = await addImageAsync(figma, bytes, file.name, at)
      // centred on the drop point, as Figma drops an image
      rect.x = Math.round(at.x - rect.width / 2)
      rect.y = Math.round(at.y - rect.height / 2)
      figma.currentPage.selection = [rect]
    },
    onError: (message) => toast(message, true),
    onSelectionChange: (selection) => showRelaunchButtons(selection, (command) => void host.runAsync(command))
  })
  // leave room on the right, where the plugin places results
  view.zoomToFit(figma.currentPage.children, 3)
  setUpFaultMenu(config)

  const holder = document.getElementById('plugin-frame-holder')!
  let setTheme = (_theme: 'light' | 'dark') => {}
  const theme = setUpThemeToggle(document.getElementById('theme') as HTMLSelectElement, (next) => setTheme(next))
  const host = new PluginHost({
    fake,
    holder,
    themeCss: config.themeCss,
    theme,
    uiOverrides: { providerBaseUrls: config.providerBaseUrls },
    async loadAsync() {
      const [code, html] = await Promise.all([
        fetchOk('/plugin/code.js').then((r) => r.text()),
        fetchOk('/plugin/ui.html').then((r) => r.text())
      ])
      return { code, html }
    },
    notify: toast,
    scrollIntoView: (nodes) => view?.zoomToFit(nodes),
    onStateChange(state) {
      holder.querySelector('.closed')?.remove()
      if (state === 'running') return
      const closed = document.createElement('div')
      closed.className = 'closed'
      const again = document.createElement('button')
      again.type = 'button'
      again.textContent = 'Run Luma Reframe again'
      again.addEventListener('click', () => void host.runAsync())
      closed.append('The plugin is closed. What it placed stays on the canvas.', again)
      holder.append(closed)
    }
  })
  setTheme = (next) => {
    host.setTheme(next)
    view?.invalidate()
  }
  document.getElementById('close-plugin')!.addEventListener('click', () => host.closeByUser())
  installTestHooks({ fake, figma, view, host })
  await host.runAsync()
}

boot().catch((error: unknown) => {
  toast(`The preview failed to start: ${(error as Error).message}`, true)
  console.error(error)
})
