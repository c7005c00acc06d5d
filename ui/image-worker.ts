// Entry of the plugin window's image worker (bundled apart by build.mjs and started from a Blob URL,
// since the window is one inlined HTML file with a null origin): the browser backend, drawing on
// OffscreenCanvas off the window's thread.
import { browserBackend } from '../src/imaging/backend-browser'
import type { ImageWorkerRequest } from '../src/imaging/image-worker-protocol'
import { serveImageRequests, type ReplyPort } from '../src/imaging/serve-image-requests'

const scope = self as unknown as ReplyPort & { onmessage: ((event: MessageEvent<ImageWorkerRequest>) => void) | null }
const handle = serveImageRequests(browserBackend, scope)
scope.onmessage = (event) => void handle(event.data)
