// The UI end of the main<->UI channel: posts to Figma's parent frame and listens for `pluginMessage`s.
// The app says `ready` once its listeners are registered (main sends nothing before that).
import { createChannel, type Channel } from '../../src/protocol/channel'

export type MessageTarget = { postMessage(message: unknown, targetOrigin: string): void }

export function connectToMain(window: Window, parent: MessageTarget = window.parent): Channel {
  return createChannel({
    post: (message) => parent.postMessage({ pluginMessage: message }, '*'),
    subscribe(receive) {
      const listener = (event: MessageEvent) => {
        const data = event.data as { pluginMessage?: unknown } | null
        // Other frames (devtools, extensions) also post here; only Figma's envelope is ours.
        if (data !== null && typeof data === 'object' && 'pluginMessage' in data) receive(data.pluginMessage)
      }
      window.addEventListener('message', listener)
      return () => window.removeEventListener('message', listener)
    },
    // Main answers every request; a minute covers exporting a huge layer and still never hangs forever.
    timeoutMs: 60_000
  })
}
