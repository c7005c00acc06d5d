// The image worker's side: runs each request on a backend (the browser's, drawing on OffscreenCanvas
// inside the worker) and keeps the decoded pictures, which never leave the worker; the window holds
// only their numbers. The smart-crop window is chosen here too, on the worker's analysis copy.
// Results go back with their buffers transferred, not copied.
import type { ImageBackend, Picture, PictureId } from './render-recipe'
import { cropAnalyses, smartCropBox } from './smart-crop'
import { sendableError, type ImageWorkerReply, type ImageWorkerRequest, type ImageWorkerValue } from './image-worker-protocol'

export type ReplyPort = { postMessage(message: ImageWorkerReply, transfer: Transferable[]): void }

/** Returns the handler of one request; answers go to `port`. */
export function serveImageRequests(backend: ImageBackend, port: ReplyPort): (request: ImageWorkerRequest) => Promise<void> {
  const pictures = new Map<number, Picture>()
  // one analysis copy per picture, shared by every ratio's crop window (as the offline engine does)
  const analysisOf = cropAnalyses(backend)
  let next = 1

  function pictureOf(handle: number | undefined, id: PictureId | 'picture'): Picture | undefined {
    if (handle === undefined) return undefined
    const picture = pictures.get(handle)
    if (picture === undefined) throw new Error(`the ${id} picture was released before it was drawn`)
    return picture
  }

  async function answer(request: ImageWorkerRequest): Promise<{ value: ImageWorkerValue; transfer: Transferable[] }> {
    switch (request.op) {
      case 'decode': {
        const picture = await backend.decode(request.bytes)
        const handle = next++
        pictures.set(handle, picture)
        return { value: { handle, width: picture.width, height: picture.height, hasAlpha: picture.hasAlpha }, transfer: [] }
      }
      case 'analysis': {
        const image = await backend.analysis(pictureOf(request.picture, 'picture')!, request.maxEdge)
        return { value: image, transfer: [image.data.buffer] }
      }
      case 'locate-copy': {
        const image = await backend.locateCopy(pictureOf(request.picture, 'picture')!, request.maxEdge)
        return { value: image, transfer: [image.data.buffer] }
      }
      case 'render': {
        const given: Partial<Record<PictureId, Picture>> = {}
        for (const [id, handle] of Object.entries(request.pictures) as Array<[PictureId, number]>) given[id] = pictureOf(handle, id)
        const image = await backend.render(request.recipe, given)
        return { value: image, transfer: [image.bytes.buffer] }
      }
      case 'crop-window': {
        const picture = pictureOf(request.picture, 'picture')!
        return { value: await smartCropBox(() => analysisOf(picture), picture, request.size), transfer: [] }
      }
      case 'release': {
        const picture = pictures.get(request.picture)
        pictures.delete(request.picture)
        if (picture !== undefined) backend.release?.(picture)
        return { value: null, transfer: [] }
      }
    }
  }

  return async (request) => {
    try {
      const { value, transfer } = await answer(request)
      port.postMessage({ id: request.id, ok: true, value }, transfer)
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: sendableError(error) }, [])
    }
  }
}
