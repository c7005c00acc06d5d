// Sends the selection to the UI: nothing before the UI is ready, bursts of selectionchange coalesced,
// and a slow read (thumbnails) never overwrites the answer for a newer selection.
import type { Selection } from '../protocol/messages'

export type SelectionWatcherOptions = {
  readAsync: () => Promise<Selection>
  send: (selection: Selection) => void
  /** Quiet time after a change before reading (ms). */
  debounceMs?: number
  log?: (reason: string) => void
}

export function createSelectionWatcher(options: SelectionWatcherOptions) {
  const { readAsync, send, debounceMs = 40, log = (reason) => console.warn(`[luma-reframe] ${reason}`) } = options
  let ready = false
  let generation = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  async function readAndSend() {
    const mine = generation
    try {
      const selection = await readAsync()
      // a newer change arrived while this one was read: its own read will send
      if (mine === generation) send(selection)
    } catch (error) {
      // a layer of it was deleted while it was read: the deletion changed the selection, and that read sends
      if (mine !== generation) return
      log(`could not read the selection: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  return {
    /** The UI listens now: send the current selection at once. */
    ready() {
      ready = true
      generation += 1
      if (timer !== undefined) clearTimeout(timer)
      void readAndSend()
    },
    /** selectionchange (or anything that changes what the sources look like). */
    changed() {
      generation += 1
      if (!ready) return
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(() => {
        timer = undefined
        void readAndSend()
      }, debounceMs)
    },
    stop() {
      ready = false
      generation += 1
      if (timer !== undefined) clearTimeout(timer)
    }
  }
}
