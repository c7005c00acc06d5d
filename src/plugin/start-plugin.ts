// The main thread's story: show the UI, wait for it to say ready, keep it told about the selection,
// and answer its requests (settings, secrets, export a source, place a result, finish a batch).
import { createChannel, type Channel, type Handlers } from '../protocol/channel'
import { WINDOW_SIZE } from '../protocol/messages'
import { createSelectionWatcher } from './selection-watcher'
import { exportSourceAsync } from './export-source-async'
import { finishBatch } from './finish-batch'
import { createResultPlacer } from './place-result-async'
import { createThumbnailCache, readSelectionAsync } from './read-selection-async'
import { createResultBatches } from './result-batches'
import { getSecretAsync, loadSettingsAsync, saveSettingsAsync, setSecretAsync } from './settings-storage'
import { createSourceMemory } from './source-memory'


const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)))

export function startPlugin(): { channel: Channel; stop: () => void } {
  figma.showUI(__html__, { ...WINDOW_SIZE.initial, themeColors: true })

  const memory = createSourceMemory()
  const batches = createResultBatches()
  const thumbnailAsync = createThumbnailCache()
  const placeResultAsync = createResultPlacer(batches, memory)

  const handlers: Handlers = {
    'load-settings': () => loadSettingsAsync(),
    'save-settings': async ({ settings }) => ({ settings: await saveSettingsAsync(settings) }),
    'get-secret': async ({ name }) => ({ value: await getSecretAsync(name) }),
    'set-secret': async ({ name, value }) => {
      await setSecretAsync(name, value)
      return {}
    },
    'export-source': async ({ nodeId, maxEdge }) => (await exportSourceAsync(nodeId, maxEdge, memory)).exported,
    'place-result': (params) => placeResultAsync(params),
    'finish-batch': (params) => finishBatch(params, batches),
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

  const watcher = createSelectionWatcher({
    readAsync: () => readSelectionAsync(figma.currentPage.selection, thumbnailAsync, memory),
    send: (selection) => channel.emit('selection', selection)
  })
  const onSelectionChange = () => watcher.changed()
  channel.on('ready', () => watcher.ready())
  figma.on('selectionchange', onSelectionChange)

  const stop = () => {
    watcher.stop()
    figma.off('selectionchange', onSelectionChange)
    channel.close()
  }
  figma.on('close', stop)
  return { channel, stop }
}
