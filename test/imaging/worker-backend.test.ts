// The image worker's request/answer protocol, end to end over a real MessageChannel with the Node
// backend on the serving side: pictures stay behind numbers, crop windows are those the engine picks
// itself, and errors come back as the classes the window checks for.
import { afterEach, describe, expect, it } from 'vitest'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { nodeBackend } from '../../src/imaging/backend-node'
import { createWorkerBackend, type PixelWorkPlace, type WorkerLike } from '../../src/imaging/backend-worker'
import { DamagedImageError } from '../../src/imaging/image-damage'
import type { ImageWorkerRequest } from '../../src/imaging/image-worker-protocol'
import { serveImageRequests } from '../../src/imaging/serve-image-requests'
import { analysisImageOf, analysisMaxEdge, smartCropBox } from '../../src/imaging/smart-crop'
import { cropRecipe } from '../../src/imaging/crop-recipe'
import { fixture } from './fixture-images'

let ports: MessagePort[] = []

afterEach(() => {
  for (const port of ports) port.close()
  ports = []
})

/** A worker backend whose "worker" is the other end of a MessageChannel served by the Node backend. */
function connected() {
  const { port1, port2 } = new MessageChannel()
  ports.push(port1, port2)
  const handle = serveImageRequests(nodeBackend, port2 as unknown as Parameters<typeof serveImageRequests>[1])
  port2.on('message', (request: ImageWorkerRequest) => void handle(request))
  const places: PixelWorkPlace[] = []
  const backend = createWorkerBackend(port1 as unknown as WorkerLike, { fallback: nodeBackend, onPixelWork: (place) => places.push(place) })
  return { backend, places }
}

describe('the image worker backend', () => {
  it('decodes in the worker and chooses the same crop windows as the engine does on the picture itself', async () => {
    const { backend, places } = connected()
    const bytes = fixture('rocket.jpg')
    const picture = await backend.decode(bytes)
    expect('handle' in picture).toBe(true)
    const direct = await nodeBackend.decode(bytes)
    expect({ width: picture.width, height: picture.height }).toEqual({ width: direct.width, height: direct.height })
    const analysis = analysisImageOf(await nodeBackend.analysis(direct, analysisMaxEdge(direct)), direct)
    for (const size of ['1:1', '9:16', '16:9'] as const) {
      expect(await backend.cropWindow!(picture, size)).toEqual(await smartCropBox(analysis, direct, size))
    }
    // the copy a hosted result is located on, made in the worker
    const copy = await backend.locateCopy(picture, 256)
    expect(copy).toEqual(await nodeBackend.locateCopy(direct, 256))
    expect({ width: copy.width, height: copy.height }).toEqual({ width: 256, height: 171 })
    const box = await backend.cropWindow!(picture, '1:1')
    const image = await backend.render(cropRecipe(box, { width: 64, height: 64 }, 'jpeg'), { source: picture })
    expect(image).toMatchObject({ width: 64, height: 64, format: 'jpeg' })
    expect([...image.bytes.subarray(0, 2)]).toEqual([0xff, 0xd8])
    expect(new Set(places)).toEqual(new Set(['worker']))
  })

  it('sends a damaged file back as a DamagedImageError that names the damage', async () => {
    const { backend } = connected()
    const bytes = fixture('rocket.jpg')
    const cut = bytes.subarray(0, Math.floor(bytes.length / 2))
    const failure = await backend.decode(cut).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(DamagedImageError)
    expect((failure as DamagedImageError).message).toBe('This image is a damaged JPEG: the file ends early.')
    expect((failure as DamagedImageError).final).toBe(true)
  })

  it('says so when a released picture is drawn', async () => {
    const { backend } = connected()
    const picture = await backend.decode(fixture('rocket.jpg'))
    backend.release!(picture)
    const recipe = cropRecipe({ x: 0, y: 0, width: 10, height: 10 }, { width: 10, height: 10 }, 'png')
    await expect(backend.render(recipe, { source: picture })).rejects.toThrow(/released/)
  })
})
