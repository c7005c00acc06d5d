// What the CLI's main thread asks its pixel workers (pixel-worker.ts), and how answers and errors
// cross the thread boundary. Pixel work runs there so the main thread always stays free to notice
// Ctrl+C and answer it at once, however long one decode or reframe takes.
import type { EncodedImage } from '../core/image-header'
import type { Placement } from '../core/ratios'
import { ReframeError, isReframeError, type ReframeErrorKind } from '../core/reframe-error'
import type { ReframePlan } from '../core/reframe-plan'
import type { SizeId } from '../core/sizes'
import type { LocalFill, LocalMode } from '../imaging/reframe-rgba'
import type { ExportedSource } from '../pipeline/run-batch'
import type { ProgressEvent } from '../providers/provider'

/** Fixed for a worker's life (passed as workerData). */
export type PixelWorkerConfig = { mode: LocalMode; fill: LocalFill }

export type PixelJobs = {
  /** A file's bytes as hosts get them: upright, 8-bit sRGB, at most 4096 px. */
  'hosted-source': { params: { bytes: Uint8Array }; result: ExportedSource }
  /** The offline engine decodes and analyses a source once; its ratios then reuse it by handle. */
  'local-upload': { params: { source: EncodedImage }; result: { handle: number } }
  'local-reframe': { params: { handle: number; size: SizeId; placement?: Placement; plan?: ReframePlan }; result: EncodedImage }
  /** Frees a source's decoded pixels once its ratios are done. */
  'local-release': { params: { handle: number }; result: null }
  /** A host's result made into the planned output (crop, format, 4096 px). */
  'finish-hosted': { params: { result: EncodedImage; plan: ReframePlan }; result: EncodedImage }
}

export type PixelOp = keyof PixelJobs

export type PixelRequest = { id: number; op: PixelOp; params: unknown }

export type SerializedError = {
  message: string
  code?: string
  reframe?: { kind: ReframeErrorKind; action: string; status?: number }
}

export type PixelResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { id: number; progress: ProgressEvent }

export function serializeError(error: unknown): SerializedError {
  const message = error instanceof Error ? error.message : String(error)
  if (isReframeError(error)) return { message, reframe: { kind: error.kind, action: error.action, status: error.status } }
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' ? { message, code } : { message }
}

/** The error as the pipeline would have seen it in the same thread (a ReframeError keeps its kind and advice). */
export function deserializeError(error: SerializedError): Error {
  if (error.reframe !== undefined) return new ReframeError(error.reframe.kind, error.message, { action: error.reframe.action, status: error.reframe.status })
  const revived = new Error(error.message) as Error & { code?: string }
  if (error.code !== undefined) revived.code = error.code
  return revived
}

/** The buffers in `value` that can move to the other thread instead of being copied: views of a whole buffer. */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found: ArrayBuffer[] = []
  const visit = (item: unknown, depth: number) => {
    if (depth > 3 || item === null || typeof item !== 'object') return
    if (item instanceof Uint8Array) {
      const { buffer } = item
      if (buffer instanceof ArrayBuffer && item.byteOffset === 0 && item.byteLength === buffer.byteLength && !found.includes(buffer)) found.push(buffer)
      return
    }
    for (const child of Object.values(item)) visit(child, depth + 1)
  }
  visit(value, 0)
  return found
}
