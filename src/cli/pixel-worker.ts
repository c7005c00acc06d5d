// Entry of a pixel worker thread (started by pixel-workers.ts): decodes, reframes with the offline
// engine and finishes hosted results, so none of that blocks the CLI's main thread.
import { parentPort, workerData } from 'node:worker_threads'
import { ReframeError } from '../core/reframe-error'
import { finishHostedResult } from '../imaging/finish-hosted-result'
import { nodeCodec } from '../imaging/codec-node'
import { createLocalProvider } from '../providers/local'
import type { ProgressEvent, UploadedSource } from '../providers/provider'
import { hostedSourceAsync } from './hosted-source-async'
import { serializeError, transferablesOf, type PixelJobs, type PixelOp, type PixelRequest, type PixelResponse, type PixelWorkerConfig } from './pixel-protocol'

const port = parentPort
if (port === null) throw new Error('pixel-worker.ts runs in a worker thread (see pixel-workers.ts).')

const config = workerData as PixelWorkerConfig
const engine = createLocalProvider({ codec: nodeCodec, mode: config.mode, fill: config.fill })
/** Decoded sources by handle; each lives until its last ratio is done. */
const sources = new Map<number, UploadedSource>()
let nextHandle = 1

function sourceOf(handle: number): UploadedSource {
  const source = sources.get(handle)
  if (source === undefined) throw new ReframeError('invalid-input', 'The image worker no longer holds this picture; run again.')
  return source
}

type Work = { [O in PixelOp]: (params: PixelJobs[O]['params'], onProgress: (event: ProgressEvent) => void) => Promise<PixelJobs[O]['result']> }

const work: Work = {
  'hosted-source': ({ bytes }) => hostedSourceAsync(bytes, nodeCodec),
  async 'local-upload'({ source }) {
    const handle = nextHandle++
    sources.set(handle, await engine.upload(source))
    return { handle }
  },
  'local-reframe': ({ handle, size, placement, plan }, onProgress) => engine.reframe(sourceOf(handle), size, { placement, plan, onProgress }),
  async 'local-release'({ handle }) {
    sources.delete(handle)
    return null
  },
  'finish-hosted': ({ result, plan }) => finishHostedResult(result, plan, nodeCodec)
}

function send(message: PixelResponse, transfer: ArrayBuffer[] = []) {
  try {
    port!.postMessage(message, transfer)
  } catch {
    // a buffer that cannot move (one sharp owns) is copied instead
    port!.postMessage(message)
  }
}

async function answer({ id, op, params }: PixelRequest) {
  try {
    const run = work[op] as (params: unknown, onProgress: (event: ProgressEvent) => void) => Promise<unknown>
    const result = await run(params, (progress) => send({ id, progress }))
    send({ id, ok: true, result }, transferablesOf(result))
  } catch (error) {
    send({ id, ok: false, error: serializeError(error) })
  }
}

port.on('message', (request: PixelRequest) => void answer(request))
