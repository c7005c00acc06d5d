// The main thread's story: show the UI, wait for it to say ready, keep it told about the selection
// (and, when a result's "Reframe again" started the plugin, what to make again), and answer its
// requests (settings, secrets, export a source, create a batch's frames, fill them, finish a batch).
// Closing mid-run removes the frames still waiting, so none looks finished.
import { createChannel, type Channel, type Handlers } from '../protocol/channel'
import { WINDOW_SIZE } from '../protocol/messages'
import { createSelectionWatcher } from './selection-watcher'
import { exportSourceAsync } from './export-source-async'
import { createExportableSources } from './exportable-sources'
import { createFramesAsync } from './create-frames-async'
import { fillResultAsync, markFailedAsync } from './fill-result-async'
import { finishBatch, removePending } from './finish-batch'
import { readRelaunchAsync } from './read-relaunch-async'
import { createThumbnailCache, readSelectionAsync } from './read-selection-async'
import { createSourceDamageCheck } from './source-damage-async'
import { createResultBatches } from './result-batches'
import { REFRAME_AGAIN } from './result-frame'
import { getSecretAsync, loadSettingsAsync, saveSettingsAsync, setSecretAsync } from './settings-storage'
import { createSourceMemory } from './source-memory'

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)))

/** Runs canvas changes one at a time: each reads the page's free space, so two at once could pick the same spot. */
function serially() {
  let queue: Promise<unknown> = Promise.resolve()
  return <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work)
    queue = next.catch(() => undefined)
    return next
  }
}

export function startPlugin(): { channel: Channel; stop: () => void } {
  figma.showUI(__html__, { ...WINDOW_SIZE.initial, themeColors: true })

  const memory = createSourceMemory()
  const batches = createResultBatches()
  const thumbnailAsync = createThumbnailCache()
  const damageAsync = createSourceDamageCheck()
  const onCanvas = serially()
  const exportable = createExportableSources()

  const handlers: Handlers = {
    'load-settings': () => loadSettingsAsync(),
    'save-settings': async ({ settings }) => ({ settings: await saveSettingsAsync(settings) }),
    'get-secret': async ({ name }) => ({ value: await getSecretAsync(name) }),
    'set-secret': async ({ name, value }) => {
      await setSecretAsync(name, value)
      return {}
    },
    'export-source': async ({ nodeId, maxEdge, real }) => (await exportSourceAsync(nodeId, maxEdge, memory, exportable.allow, { real })).exported,
    'create-frames': (params) => onCanvas(() => createFramesAsync(params, batches, memory)),
    'fill-result': (params) => onCanvas(() => fillResultAsync(params, batches, memory)),
    'mark-failed': (params) => onCanvas(async () => (await markFailedAsync(params, batches), {})),
    'finish-batch': (params) =>
      onCanvas(async () => {
        exportable.finished()
        return finishBatch(params, batches)
      }),
    'resize-ui': ({ width, height }) => {
      figma.ui.resize(
        clamp(width, WINDOW_SIZE.minWidth, WINDOW_SIZE.maxWidth),
        clamp(height, WINDOW_SIZE.minHeight, WINDOW_SIZE.maxHeight)
      )
      return {}
    }
  }

  const channel = createChannel({
    post: (message) => figma.ui.postMessage(message),
    subscribe: (receive) => {
      const listener = (message: unknown) => receive(message)
      figma.ui.on('message', listener)
      return () => figma.ui.off('message', listener)
    },
    handlers
  })

  // once, after the first selection (which makes the originals exportable)
  let relaunchPending = figma.command === REFRAME_AGAIN
  const sendRelaunchAsync = async () => {
    const relaunch = await readRelaunchAsync(figma.currentPage.selection, memory)
    if (relaunch !== null) channel.emit('relaunch', relaunch)
  }
  const watcher = createSelectionWatcher({
    readAsync: () => readSelectionAsync(figma.currentPage.selection, { thumbnailAsync, damageAsync }, memory),
    send: (selection) => {
      exportable.listed(selection.sources.map((source) => source.nodeId))
      channel.emit('selection', selection)
      if (!relaunchPending) return
      relaunchPending = false
      sendRelaunchAsync().catch((error: unknown) => console.warn(`[luma-reframe] could not read what to reframe again: ${error instanceof Error ? error.message : String(error)}`))
    }
  })
  const onSelectionChange = () => watcher.changed()
  channel.on('ready', () => watcher.ready())
  figma.on('selectionchange', onSelectionChange)

  const stop = () => {
    let removed = 0
    for (const batch of batches.takeAll()) removed += removePending(batch)
    if (removed > 0) figma.commitUndo()
    watcher.stop()
    figma.off('selectionchange', onSelectionChange)
    channel.close()
  }
  figma.on('close', stop)
  return { channel, stop }
}
