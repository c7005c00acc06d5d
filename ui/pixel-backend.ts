// The image backend of the plugin window: the image worker when this browser can run one (a Worker
// with OffscreenCanvas, started from the script build.mjs bundled into the page), else the browser
// backend on the window's own thread. <html data-pixel-work> says where the last pixel work ran.
import { browserBackend } from '../src/imaging/backend-browser'
import { createWorkerBackend, type PixelWorkPlace } from '../src/imaging/backend-worker'
import type { ImageBackend } from '../src/imaging/render-recipe'

export function createPixelBackend(window: Window): ImageBackend {
  const html = window.document.documentElement
  const mark = (place: PixelWorkPlace) => {
    if (html.dataset.pixelWork !== place) html.dataset.pixelWork = place
  }
  const source = typeof __IMAGE_WORKER_SOURCE__ === 'string' ? __IMAGE_WORKER_SOURCE__ : undefined
  const scope = window as unknown as { Worker?: typeof Worker; OffscreenCanvas?: unknown }
  if (source === undefined || typeof scope.Worker !== 'function' || typeof scope.OffscreenCanvas !== 'function') {
    mark('main-thread')
    return browserBackend
  }
  let worker: Worker
  try {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }))
    worker = new scope.Worker(url)
  } catch (error) {
    // a page that forbids blob: workers: the same work on this thread
    console.warn(`[luma-reframe] image worker refused (${error instanceof Error ? error.message : String(error)}); drawing on the window's thread`)
    mark('main-thread')
    return browserBackend
  }
  return createWorkerBackend(worker, { fallback: browserBackend, onPixelWork: mark })
}
