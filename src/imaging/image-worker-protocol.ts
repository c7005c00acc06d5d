// What the plugin window and its image worker say to each other: one request per backend call, each
// with an id, answered once with the value or with the error as data (rebuilt on the window's side with
// its own class, so a damaged file still reads "This image is a damaged JPEG: ..." and stays final).
import { ReframeError, type ReframeErrorKind } from '../core/reframe-error'
import type { EncodedImage } from '../core/image-header'
import type { Box } from '../core/ratios'
import type { SizeId } from '../core/sizes'
import { DamagedImageError, type ImageDamage } from './image-damage'
import type { PictureId, RenderRecipe } from './render-recipe'
import type { RgbaImage } from './rgba-image'

/** A decoded picture kept in the worker, known on the window's side by its number. */
export type PictureHandle = { handle: number; width: number; height: number; hasAlpha: boolean }

export type ImageWorkerRequest =
  | { id: number; op: 'decode'; bytes: Uint8Array }
  | { id: number; op: 'analysis'; picture: number; maxEdge: number }
  | { id: number; op: 'locate-copy'; picture: number; maxEdge: number }
  | { id: number; op: 'render'; recipe: RenderRecipe; pictures: Partial<Record<PictureId, number>> }
  | { id: number; op: 'release'; picture: number }
  | { id: number; op: 'crop-window'; picture: number; size: SizeId }

export type ImageWorkerValue = PictureHandle | RgbaImage | EncodedImage | Box | null

export type SentError = { message: string; kind?: ReframeErrorKind; action?: string; damage?: ImageDamage }

export type ImageWorkerReply = { id: number; ok: true; value: ImageWorkerValue } | { id: number; ok: false; error: SentError }

/** An error as plain data: what a person reads and what the engine decides by (kind, damage). */
export function sendableError(error: unknown): SentError {
  if (error instanceof DamagedImageError) return { message: error.message, kind: error.kind, action: error.action, damage: error.damage }
  if (error instanceof ReframeError) return { message: error.message, kind: error.kind, action: error.action }
  return { message: error instanceof Error ? error.message : String(error) }
}

/** The error again, as the class the window's code checks for. */
export function receivedError(sent: SentError): Error {
  if (sent.damage !== undefined) return new DamagedImageError(sent.damage)
  if (sent.kind !== undefined) return new ReframeError(sent.kind, sent.message, { action: sent.action })
  return new Error(sent.message)
}
