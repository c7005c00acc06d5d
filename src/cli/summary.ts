// The end of a run: a table for people, or one JSON document for machines. Names and messages are
// printed escaped (see printable.ts); JSON keeps the real names as escaped strings.
import type { SizeId } from '../core/sizes'
import type { CliOptions } from './cli-options'
import type { Outcome } from './outcome'
import { printable, printableJson } from './printable'
import { relativeName } from './relative-name'

/**
 * The outcomes in the order asked: files in their order, each file's sizes in theirs, whatever order the
 * jobs finished in; a whole file's failure (no size) stands where its first size would.
 */
export function inAskedOrder(outcomes: readonly Outcome[], files: readonly string[], sizes: readonly SizeId[]): Outcome[] {
  const rank = (o: Outcome) => files.indexOf(o.input) * (sizes.length + 1) + (o.ratio === undefined ? 0 : sizes.indexOf(o.ratio) + 1)
  return [...outcomes].sort((a, b) => rank(a) - rank(b))
}

export function summaryTable(outcomes: Outcome[], cwd: string): string {
  const rows = outcomes.map((o) => [
    printable(relativeName(o.input, cwd)),
    o.ratio ?? '-',
    o.ok ? `${o.width}x${o.height}` : '-',
    printable(o.ok ? relativeName(o.output, cwd) + (o.note === undefined ? '' : ` (${o.note})`) : `FAILED: ${o.error.message}`)
  ])
  const header = ['file', 'size', 'pixels', 'result']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 3 ? r[i].length : 0))))
  const format = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd()
  const written = outcomes.filter((o) => o.ok).length
  const failed = outcomes.length - written
  return [format(header), ...rows.map(format), '', `${written} written, ${failed} failed`].join('\n') + '\n'
}

export function summaryJson(outcomes: Outcome[], options: CliOptions): string {
  return (
    printableJson(JSON.stringify(
      {
        ok: outcomes.every((o) => o.ok),
        provider: options.provider,
        mode: options.provider === 'local' ? options.mode : undefined,
        sizes: options.sizes,
        // the same list, under its name from before presets
        ratios: options.sizes,
        namePattern: options.name,
        written: outcomes.filter((o) => o.ok).length,
        failed: outcomes.filter((o) => !o.ok).length,
        results: outcomes
      },
      null,
      2
    )) + '\n'
  )
}
