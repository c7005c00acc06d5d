// Which file names in a folder are this tool's own outputs, so a folder re-run does not reframe its
// results again: the names the default pattern gives (`coffee_ig-portrait_1080x1350.jpg`), the names
// from before patterns (`coffee.9x16.1152x2048.jpg`), and the names the run's own --name pattern gives
// when it holds {preset} (without it, a pattern's names are too plain to tell from a photo's).
import { FILE_NAME_PATTERN } from '../core/result-name'
import { SIZE_IDS, sizeSlug } from '../core/sizes'

/** The extensions outputs are written with (write-output.ts). */
const OUTPUT_EXTENSION = String.raw`(?:-\d+)?\.(?:png|jpg|webp|gif)$`
/** `<name>.<ratio>.<w>x<h>[-n].<ext>`, e.g. `photo.9x16.1152x2048.jpg` or `photo.1.91x1.1910x1000-2.png`. */
const BEFORE_PATTERNS = /\.\d+(\.\d+)?x\d+\.\d+x\d+(-\d+)?\.[a-z]+$/i

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** What formatName(..., 'file') makes of the pattern's own text. */
const asInFileName = (text: string) => text.replace(/[\u0000-\u001f/\\:*?"<>|]+/g, '-')

const TOKEN_SHAPES: Record<string, string> = {
  name: '.+',
  preset: `(?:${SIZE_IDS.map((id) => escape(sizeSlug(id))).join('|')})`,
  width: String.raw`\d+`,
  height: String.raw`\d+`
}

/** The names `pattern` gives to files, as a regular expression; null when it has no {preset} to tell them by. */
export function outputNameShape(pattern: string): RegExp | null {
  if (!pattern.includes('{preset}')) return null
  const parts = pattern.split(/(\{(?:name|preset|width|height)\})/)
  const last = parts.length - 1
  const source = parts
    .map((part, i) => {
      const token = /^\{(\w+)\}$/.exec(part)?.[1]
      if (token !== undefined && token in TOKEN_SHAPES) return TOKEN_SHAPES[token]
      let text = asInFileName(part)
      // formatName drops leading dots and trims the whole name
      if (i === 0) text = text.replace(/^[\s.]+/, '')
      if (i === last) text = text.trimEnd()
      return escape(text)
    })
    .join('')
  return new RegExp(`^${source}${OUTPUT_EXTENSION}`, 'i')
}

const DEFAULT_SHAPE = outputNameShape(FILE_NAME_PATTERN)!

/** Whether a file name is one this tool writes, with the default pattern, before patterns, or with `pattern`. */
export function ownOutputMatcher(pattern: string = FILE_NAME_PATTERN): (fileName: string) => boolean {
  const custom = pattern === FILE_NAME_PATTERN ? null : outputNameShape(pattern)
  return (fileName) => DEFAULT_SHAPE.test(fileName) || BEFORE_PATTERNS.test(fileName) || (custom?.test(fileName) ?? false)
}
