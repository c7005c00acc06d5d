// Names of result frames and the one-line summary shown when a batch ends.
import { sizeName, type SizeId } from './sizes'

/** `Hero photo · 16:9`, `Hero photo · Instagram portrait`: the source's name and the size, so results sort and export by source. */
export function resultName(sourceName: string, size: SizeId): string {
  const base = sourceName.trim() === '' ? 'Image' : sourceName.trim()
  return `${base} · ${sizeName(size)}`
}

/** Figma cuts notifications at 100 characters. */
export const NOTIFY_MAX_CHARS = 100

/**
 * "Placed 6 frames · 1 failed", "Cancelled · placed 2 frames · 4 unfinished removed",
 * "Nothing placed · 3 failed".
 */
export function batchSummary(counts: { placed: number; failed: number; cancelled: boolean; removed?: number }): string {
  const { placed, failed, cancelled, removed = 0 } = counts
  const frames = `${placed} frame${placed === 1 ? '' : 's'}`
  const parts: string[] = []
  if (cancelled) parts.push('Cancelled', placed > 0 ? `placed ${frames}` : 'nothing placed')
  else parts.push(placed > 0 ? `Placed ${frames}` : 'Nothing placed')
  if (failed > 0) parts.push(`${failed} failed`)
  if (removed > 0) parts.push(`${removed} unfinished removed`)
  return parts.join(' · ').slice(0, NOTIFY_MAX_CHARS)
}
