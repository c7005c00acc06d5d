// The image backend of the plugin window when it has a worker: every decode, analysis and render is
// posted to the image worker (serve-image-requests.ts), so the window's own thread never draws, reads
// back or encodes a picture and stays responsive during a large job. Pictures stay in the worker; the
// window holds numbers, released when the window's picture objects are garbage-collected (or released).
// If the worker fails (a browser that refuses it, a crash), decoding moves to `fallback` on the
// window's thread; pictures the worker held are gone, and drawing one says so.
import type { EncodedImage } from '../core/image-header'
import type { ImageBackend, Picture, PictureId, RenderRecipe } from './render-recipe'
import type { RgbaImage } from './rgba-image'
import type { Box } from '../core/ratios'
import type { SizeId } from '../core/sizes'
import { cropAnalyses, smartCropBox } from './smart-crop'
import { receivedError, type ImageWorkerReply, type ImageWorkerRequest, type PictureHandle } from './image-worker-protocol'

/** The part of a Worker this needs (a MessagePort-like object in tests). */
export type WorkerLike = {
  postMessage(message: ImageWorkerRequest, transfer: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent<ImageWorkerReply>) => void): void
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void
}

export type PixelWorkPlace = 'worker' | 'main-thread'

export type WorkerBackendOptions = {
  /** The backend on the window's own thread, used once the worker has failed. */
  fallback: ImageBackend
  /** Told where each finished piece of pixel work ran (the window marks it for tests and benchmarks). */
  onPixelWork?: (place: PixelWorkPlace) => void
}

type Pending = { request: ImageWorkerRequest; resolve: (value: unknown) => void; reject: (error: Error) => void }

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export function createWorkerBackend(worker: WorkerLike, options: WorkerBackendOptions): ImageBackend {
  const { fallback, onPixelWork } = options
  const pending = new Map<number, Pending>()
  let nextId = 1
  let failure: string | undefined
  // a picture object the window no longer holds frees its pixels in the worker
  const unused = new FinalizationRegistry<number>((picture) => {
    if (failure === undefined) worker.postMessage({ id: nextId++, op: 'release', picture }, [])
  })

  worker.addEventListener('message', (event) => {
    const reply = event.data
    const waiting = pending.get(reply.id)
    if (waiting === undefined) return
    pending.delete(reply.id)
    if (reply.ok) {
      onPixelWork?.('worker')
      waiting.resolve(reply.value)
    } else waiting.reject(receivedError(reply.error))
  })
  const fail = (event: Event) => {
    failure = event instanceof ErrorEvent && event.message ? event.message : 'it stopped'
    for (const [id, waiting] of pending) {
      pending.delete(id)
      if (waiting.request.op === 'decode') fallback.decode(waiting.request.bytes).then(waiting.resolve, waiting.reject)
      else waiting.reject(lostPicture())
    }
  }
  worker.addEventListener('error', fail)
  worker.addEventListener('messageerror', fail)

  function lostPicture(): Error {
    return new Error(`The image worker failed (${failure}); decode the picture again.`)
  }

  function ask<T>(request: DistributiveOmit<ImageWorkerRequest, 'id'>, transfer: Transferable[] = []): Promise<T> {
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      const full = { ...request, id } as ImageWorkerRequest
      pending.set(id, { request: full, resolve: resolve as (value: unknown) => void, reject })
      worker.postMessage(full, transfer)
    })
  }

  // pictures decoded on this thread after a failure: one analysis copy each, as in the worker
  const fallbackAnalysis = cropAnalyses(fallback)

  const inWorker = (picture: Picture): picture is PictureHandle => 'handle' in picture

  async function onFallback<T>(work: Promise<T>): Promise<T> {
    const value = await work
    onPixelWork?.('main-thread')
    return value
  }

  return {
    async decode(bytes: Uint8Array): Promise<Picture> {
      if (failure !== undefined) return onFallback(fallback.decode(bytes))
      // copied, not transferred: the caller keeps its bytes
      const picture = await ask<PictureHandle>({ op: 'decode', bytes })
      unused.register(picture, picture.handle, picture)
      return picture
    },

    async analysis(picture: Picture, maxEdge: number): Promise<RgbaImage> {
      if (!inWorker(picture)) return onFallback(fallback.analysis(picture, maxEdge))
      if (failure !== undefined) throw lostPicture()
      return ask<RgbaImage>({ op: 'analysis', picture: picture.handle, maxEdge })
    },

    async locateCopy(picture: Picture, maxEdge: number): Promise<RgbaImage> {
      if (!inWorker(picture)) return onFallback(fallback.locateCopy(picture, maxEdge))
      if (failure !== undefined) throw lostPicture()
      return ask<RgbaImage>({ op: 'locate-copy', picture: picture.handle, maxEdge })
    },

    async render(recipe: RenderRecipe, pictures: Partial<Record<PictureId, Picture>>): Promise<EncodedImage> {
      const given = Object.entries(pictures) as Array<[PictureId, Picture]>
      if (given.every(([, picture]) => !inWorker(picture))) return onFallback(fallback.render(recipe, pictures))
      if (failure !== undefined || !given.every(([, picture]) => inWorker(picture))) throw lostPicture()
      const handles: Partial<Record<PictureId, number>> = {}
      for (const [id, picture] of given) handles[id] = (picture as PictureHandle).handle
      return ask<EncodedImage>({ op: 'render', recipe, pictures: handles })
    },

    async cropWindow(picture: Picture, size: SizeId): Promise<Box> {
      if (!inWorker(picture)) return onFallback(smartCropBox(() => fallbackAnalysis(picture), picture, size))
      if (failure !== undefined) throw lostPicture()
      return ask<Box>({ op: 'crop-window', picture: picture.handle, size })
    },

    release(picture: Picture): void {
      if (!inWorker(picture)) return fallback.release?.(picture)
      unused.unregister(picture)
      if (failure === undefined) worker.postMessage({ id: nextId++, op: 'release', picture: picture.handle }, [])
    }
  }
}
