// The main thread's story: show the UI, wait for it to say ready, keep it told about the selection,
// and answer its requests (settings, secrets, export a source, place a result, finish a batch).
import { createChannel, type Channel, type Handlers } from '../protocol/channel'
import { createSelectionWatcher } from './selection-watcher'
import { exportSourceAsync } from './export-source-async'
import { createExportableSources } from './exportable-sources'
import { finishBatch } from './finish-batch'
import { createResultPlacer } from './place-result-async'
import { createThumbnailCache, readSelectionAsync } from './read-selection-async'
import { createResultBatches } from './result-batches'
import { getSecretAsync, loadSettingsAsync, saveSettingsAsync, setSecretAsync } from './settings-storage'
import { createSourceMemory } from './source-memory'

export const UI_SIZE = { width: 360, height: 560 }
export const UI_LIMITS = { minWidth: 280, maxWidth: 900, minHeight: 240, maxHeight: 1000 }

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)))

export function startPlugin(): { channel: Channel; stop: () => void } {
  figma.showUI(__html__, { ...UI_SIZE, themeColors: true })

  const memory = createSourceMemory()
  const batches = createResultBatches()
  const thumbnailAsync = createThumbnailCache()
  const placeResultAsync = createResultPlacer(batches, memory)
  const exportable = createExportableSources()

  const handlers: Handlers = {
    'load-settings': () => loadSettingsAsync(),
    'save-settings': async ({ settings }) => ({ settings: await saveSettingsAsync(settings) }),
    'get-secret': async ({ name }) => ({ value: await getSecretAsync(name) }),
    'set-secret': async ({ name, value }) => {
      await setSecretAsync(name, value)
      return {}
    },
    'export-source': async ({ nodeId, maxEdge }) => (await exportSourceAsync(nodeId, maxEdge, memory, exportable.allow)).exported,
    'place-result': (params) => placeResultAsync(params),
    'finish-batch': (params) => {
      exportable.finished()
      return finishBatch(params, batches)
    },
    'resize-ui': ({ width, height }) => {
      figma.ui.resize(
        clamp(width, UI_LIMITS.minWidth, UI_LIMITS.maxWidth),
        clamp(height, UI_LIMITS.minHeight, UI_LIMITS.maxHeight)
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
    send: (selection) => {
      exportable.listed(selection.sources.map((source) => source.nodeId))
      channel.emit('selection', selection)
    }
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
