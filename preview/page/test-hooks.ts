// Read-only windows into the preview for the end-to-end tests: what the document holds, where a node
// is on screen, and whether an image is blank. Tests act through the mouse and keyboard, not through here.
import type { FakeFigma } from '../fakes/figma/create-fake-figma'
import type { CanvasView } from './canvas-view'
import { paintsOf } from './draw-node'
import type { PluginHost } from './plugin-host'

export type NodeSummary = {
  id: string
  name: string
  type: string
  x: number
  y: number
  width: number
  height: number
  /** The topmost visible image fill's hash, if any. */
  imageHash: string | null
  selected: boolean
  /** A result frame's state in its plugin data ('pending', 'done', 'failed'); '' for other nodes. */
  state: string
}

export type ImageStats = { width: number; height: number; format: string; stdDev: number; mean: number }

export type PreviewHooks = {
  ready: boolean
  nodes(): NodeSummary[]
  clientCenterOf(id: string): { x: number; y: number }
  imageStatsAsync(hash: string): Promise<ImageStats>
  notifications(): string[]
  undoCommits(): number
  pluginRunning(): boolean
  /** `figma.command` of the plugin's current run ('' from the plugins menu). */
  figmaCommand(): string
}

function summary(node: SceneNode, selected: Set<string>): NodeSummary {
  const box = node.absoluteBoundingBox ?? { x: 0, y: 0, width: 0, height: 0 }
  const image = [...paintsOf(node)].reverse().find((p) => p.type === 'IMAGE' && p.visible !== false) as ImagePaint | undefined
  return {
    id: node.id,
    name: node.name,
    type: node.type,
    x: box.x,
    y: box.y,
    width: box.width,
    height: box.height,
    imageHash: image?.imageHash ?? null,
    selected: selected.has(node.id),
    state: node.getPluginData('state')
  }
}

/** Luminance spread of an image, sampled at up to 128 px: a blank or single-colour image has ~0. */
async function imageStatsAsync(bytes: Uint8Array): Promise<ImageStats> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]))
  const scale = Math.min(1, 128 / Math.max(bitmap.width, bitmap.height))
  const w = Math.max(1, Math.round(bitmap.width * scale))
  const h = Math.max(1, Math.round(bitmap.height * scale))
  const canvas = new OffscreenCanvas(w, h)
  const ctx = canvas.getContext('2d')!
  ctx.drawImage(bitmap, 0, 0, w, h)
  const data = ctx.getImageData(0, 0, w, h).data
  let sum = 0
  let sumSq = 0
  for (let i = 0; i < data.length; i += 4) {
    const y = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]
    sum += y
    sumSq += y * y
  }
  const n = data.length / 4
  const mean = sum / n
  const format = bytes[0] === 0x89 ? 'png' : bytes[0] === 0xff ? 'jpeg' : bytes[0] === 0x47 ? 'gif' : 'other'
  const stats = { width: bitmap.width, height: bitmap.height, format, stdDev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), mean }
  bitmap.close()
  return stats
}

export function installTestHooks(parts: { fake: FakeFigma; figma: PluginAPI; view: CanvasView; host: PluginHost }) {
  const { fake, figma, view, host } = parts
  const hooks: PreviewHooks = {
    ready: true,
    nodes() {
      const selected = new Set(figma.currentPage.selection.map((n) => n.id))
      return figma.currentPage.children.map((node) => summary(node, selected))
    },
    clientCenterOf(id) {
      const node = figma.currentPage.findAll((n) => n.id === id)[0]
      const box = node?.absoluteBoundingBox
      if (box === null || box === undefined) throw new Error(`No node ${id} on the page`)
      return view.toClient({ x: box.x + box.width / 2, y: box.y + box.height / 2 })
    },
    async imageStatsAsync(hash) {
      const image = figma.getImageByHash(hash)
      if (image === null) throw new Error(`No image ${hash}`)
      return imageStatsAsync(await image.getBytesAsync())
    },
    notifications: () => fake.hooks.notifications.map((n) => n.message),
    undoCommits: () => fake.hooks.undoCommits,
    pluginRunning: () => host.frame !== null,
    figmaCommand: () => figma.command
  }
  ;(window as unknown as { __preview: PreviewHooks }).__preview = hooks
}
