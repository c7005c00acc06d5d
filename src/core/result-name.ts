// Names of results (frames on the canvas, files on disk) from one pattern, and the one-line summary
// shown when a batch ends.
import { sizeSlug, type SizeId } from './sizes'

/** Frames on the canvas: `coffee · 16:9`, `coffee · ig-portrait`, so results sort by source. */
export const CANVAS_NAME_PATTERN = '{name} · {preset}'
/** Files for handoff (and frames named for export): `coffee_ig-portrait_1080x1350`. */
export const FILE_NAME_PATTERN = '{name}_{preset}_{width}x{height}'

/** The tokens a pattern may hold. */
export const NAME_TOKENS = ['name', 'preset', 'width', 'height'] as const

/** Braced words in a pattern that are not tokens (`{nmae}`): a typo would otherwise end up in every name. */
export function unknownNameTokens(pattern: string): string[] {
  const known = new Set<string>(NAME_TOKENS)
  return [...new Set(pattern.match(/\{[^{}]*\}/g) ?? [])].filter((braced) => !known.has(braced.slice(1, -1)))
}

export type NameFacts = { name: string; size: SizeId; width: number; height: number }

/**
 * The pattern with its tokens filled in: {name} the source's name, {preset} the size's id (a preset id
 * or a ratio), {width} and {height} the exported pixels. For a file, the ratio is written with an `x`
 * and characters files cannot carry become `-`.
 */
export function formatName(pattern: string, facts: NameFacts, target: 'canvas' | 'file' = 'canvas'): string {
  const base = facts.name.trim() === '' ? 'Image' : facts.name.trim()
  const values: Record<string, string> = {
    name: base,
    preset: target === 'file' ? sizeSlug(facts.size) : facts.size,
    width: String(Math.round(facts.width)),
    height: String(Math.round(facts.height))
  }
  const filled = pattern.replace(/\{(name|preset|width|height)\}/g, (_, token: string) => values[token])
  return target === 'file' ? filled.replace(/[\u0000-\u001f/\\:*?"<>|]+/g, '-').replace(/^\.+/, '').trim() || 'image' : filled
}

/** The canvas name with the default pattern. */
export function resultName(sourceName: string, size: SizeId): string {
  return formatName(CANVAS_NAME_PATTERN, { name: sourceName, size, width: 0, height: 0 })
}

/** Figma cuts notifications at 100 characters. */
export const NOTIFY_MAX_CHARS = 100

/**
 * "Placed 6 frames · 1 failed", "Cancelled · placed 2 frames · 4 unfinished removed",
 * "Nothing placed · 3 failed".
 */
export function batchSummary(counts: { placed: number; failed: number; cancelled: boolean; removed?: number; kept?: number }): string {
  const { placed, failed, cancelled, removed = 0, kept = 0 } = counts
  const frames = `${placed} frame${placed === 1 ? '' : 's'}`
  const parts: string[] = []
  if (cancelled) parts.push('Cancelled', placed > 0 ? `placed ${frames}` : 'nothing placed')
  else parts.push(placed > 0 ? `Placed ${frames}` : 'Nothing placed')
  // what is left of the failures on the canvas, and what to do with it
  const left = kept === 0 ? '' : ` (${kept >= failed ? '' : `${kept} `}kept as marked placeholders: Retry failed, or delete them)`
  if (failed > 0) parts.push(`${failed} failed${left}`)
  if (removed > 0) parts.push(`${removed} unfinished removed`)
  return parts.join(' · ').slice(0, NOTIFY_MAX_CHARS)
}
