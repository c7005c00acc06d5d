// Plays Figma's main thread for UI tests over a real channel pair (structured-cloned envelopes, like
// postMessage): exports fixture photos, checks every placed result the way figma.createImage would,
// and records what it was asked.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { DEFAULT_SETTINGS, SettingsSchema, type SecretName, type Settings } from '../../src/protocol/settings'
import { createChannel, type Channel, type Handlers } from '../../src/protocol/channel'
import { connectToMain } from '../../ui/bridge/connect-to-main'
import type { ExportedSource, FillResultParams, PlannedFrame, RequestParams } from '../../src/protocol/messages'
import { readImageHeader } from '../../src/core/image-header'

export const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/images')

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)))
}

/** An exported source as main sends it: JPEG for opaque photos, at most `maxEdge` on the long side. */
export async function exportedSource(nodeId: string, name: string, bytes: Uint8Array, crop?: { width: number; height: number }): Promise<ExportedSource> {
  let image = sharp(bytes)
  if (crop !== undefined) image = image.resize(crop.width, crop.height, { fit: 'cover' })
  const { data, info } = await image.jpeg({ quality: 90 }).toBuffer({ resolveWithObject: true })
  return { nodeId, name, bytes: new Uint8Array(data), mime: 'image/jpeg', width: info.width, height: info.height, layer: { width: info.width, height: info.height } }
}

/** A result main put in its frame, as the tests read it. */
export type Placed = { batchId: string; frameId: string; size: string; bytes: Uint8Array; width: number; height: number; frame: FillResultParams['planned']['frame']; exported: FillResultParams['exported'] }

/** Refuses bytes the way figma.createImage does. */
function checkImage(bytes: Uint8Array, said: { width: number; height: number }) {
  const sniffed = readImageHeader(bytes)
  if (sniffed === null || (sniffed.format !== 'png' && sniffed.format !== 'jpeg')) throw new Error('Image type is unsupported')
  if (sniffed.width > 4096 || sniffed.height > 4096) throw new Error('Image is too large')
  if (sniffed.width !== said.width || sniffed.height !== said.height) throw new Error('size does not match the bytes')
}

export type FakeMain = {
  ui: Channel
  main: Channel
  exports: Array<RequestParams<'export-source'>>
  /** Every frame made when a run started, in order, with its id. */
  created: Array<PlannedFrame & { frameId: string; batchId: string; provider: string; prompt: string; run?: RequestParams<'create-frames'>['run'] }>
  placed: Placed[]
  failures: Array<RequestParams<'mark-failed'>>
  finished: Array<RequestParams<'finish-batch'>>
  saved: Array<RequestParams<'save-settings'>['settings']>
  secrets: Map<string, string>
  settings(): Settings
  /** How many times the UI said `ready`. */
  readyCount(): number
  /** Makes the results of this size fail the way Figma's createImage would. */
  refusePlacement: Set<string>
  close(): void
}

export type FakeMainOptions = {
  handlers?: Handlers
  settings?: Partial<Settings>
  secrets?: Partial<Record<SecretName, string>>
  /** Talk to the UI the way Figma does: `pluginMessage`s through this window's message events. */
  window?: Window
}

export function startFakeMain(sources: ExportedSource[], options: FakeMainOptions = {}): FakeMain {
  const extra = options.handlers ?? {}
  let settings: Settings = SettingsSchema.parse({ ...DEFAULT_SETTINGS, ...options.settings })
  let ready = 0
  let toUi: (message: unknown) => void = () => undefined
  let toMain: (message: unknown) => void = () => undefined
  const deliver = (target: () => (message: unknown) => void, message: unknown) =>
    setTimeout(() => target()(structuredClone(message)), 0)
  const state = {
    exports: [] as Array<RequestParams<'export-source'>>,
    created: [] as FakeMain['created'],
    placed: [] as Placed[],
    failures: [] as Array<RequestParams<'mark-failed'>>,
    finished: [] as Array<RequestParams<'finish-batch'>>,
    saved: [] as Array<RequestParams<'save-settings'>['settings']>,
    secrets: new Map<string, string>(Object.entries(options.secrets ?? {})),
    refusePlacement: new Set<string>()
  }
  const win = options.window
  const main = createChannel({
    post: (message) =>
      win === undefined
        ? deliver(() => toUi, message)
        : setTimeout(() => {
            // a reply that lands after the test's window was torn down has no window to go to: dropped,
            // as Figma drops messages to a closed plugin window
            if (typeof win.dispatchEvent !== 'function') return
            win.dispatchEvent(new MessageEvent('message', { data: { pluginMessage: structuredClone(message) } }))
          }, 0),
    subscribe(receive) {
      toMain = receive
      return () => undefined
    },
    log: () => undefined,
    handlers: {
      'export-source'(params) {
        state.exports.push(params)
        const source = sources.find((s) => s.nodeId === params.nodeId)
        if (source === undefined) throw new Error('The layer was deleted.')
        return source
      },
      'create-frames'(params) {
        const frames = params.frames.map((planned) => {
          checkImage(planned.preview.bytes, planned.preview)
          const frameId = `frame-${state.created.length + 1}`
          state.created.push({ ...planned, frameId, batchId: params.batchId, provider: params.provider, prompt: params.prompt, run: params.run })
          return { key: planned.key, frameId, name: `${planned.sourceNodeId} · ${planned.size}` }
        })
        return { frames }
      },
      'fill-result'(params) {
        checkImage(params.image.bytes, params.image)
        if (state.refusePlacement.has(params.planned.size)) throw new Error('Figma refused the image')
        const { bytes, width, height } = params.image
        state.placed.push({ batchId: params.batchId, frameId: params.frameId, size: params.planned.size, bytes, width, height, frame: params.planned.frame, exported: params.exported })
        return { frameId: params.frameId, name: `${params.planned.sourceNodeId} · ${params.planned.size}` }
      },
      'mark-failed'(params) {
        state.failures.push(params)
        return {}
      },
      'finish-batch'(params) {
        state.finished.push(params)
        return { placed: state.placed.filter((p) => p.batchId === params.batchId).length, removed: 0 }
      },
      'load-settings'() {
        const secrets = { eachlabs: false, fal: false, replicate: false, relayToken: false }
        for (const name of state.secrets.keys()) secrets[name as SecretName] = true
        return { settings, secrets }
      },
      'save-settings'(params) {
        state.saved.push(params.settings)
        settings = SettingsSchema.parse({ ...settings, ...params.settings })
        return { settings }
      },
      'get-secret'(params) {
        return { value: state.secrets.get(params.name) ?? null }
      },
      'set-secret'(params) {
        if (params.value === null) state.secrets.delete(params.name)
        else state.secrets.set(params.name, params.value)
        return {}
      },
      'resize-ui': () => ({}),
      ...extra
    }
  })
  main.on('ready', () => {
    ready += 1
  })
  const ui =
    win === undefined
      ? createChannel({
          post: (message) => deliver(() => toMain, message),
          subscribe(receive) {
            toUi = receive
            return () => undefined
          }
        })
      : connectToMain(win, { postMessage: (data) => deliver(() => toMain, (data as { pluginMessage: unknown }).pluginMessage) })
  return {
    ui,
    main,
    ...state,
    settings: () => settings,
    readyCount: () => ready,
    close() {
      ui.close()
      main.close()
    }
  }
}
