// Removes provider keys from whatever a host sends back (an error body that echoes the auth header,
// a header), as a stream: a key split across chunks is still caught, and nothing is buffered whole.
// Each form of a key (secret-forms.ts) is matched with any of its characters written as JSON writes
// them (`\u003a`, `\/`) or as URLs do (`%3A`), in either case of hex.
import { secretForms } from './secret-forms'

export const REDACTED = '[redacted]'
const redactedBytes = new TextEncoder().encode(REDACTED)
const HOLD_BYTES = 64 * 1024
const NEED_MORE = -1
const BACKSLASH = 0x5c
const PERCENT = 0x25
const LETTER_U = 0x75
// JSON's two-character escapes for characters that may be in a key
const SHORT_ESCAPES = new Set([0x2f, 0x22, BACKSLASH])

/** The forms of the given keys, compiled once for a stream or a header. */
export type SecretPatterns = {
  forms: Uint8Array[]
  /** For each byte value, the forms a match could start with there: a large body is mostly skipped. */
  startingWith: Uint8Array[][]
  /** Forms whose first character could be escaped: all tried where an escape is cut off by the end of a chunk. */
  escapable: Uint8Array[]
}

export function secretPatterns(secrets: readonly string[]): SecretPatterns {
  const encoder = new TextEncoder()
  const forms = [...new Set(secrets.filter(Boolean).flatMap(secretForms))].map((form) => encoder.encode(form))
  const startingWith = Array.from({ length: 256 }, (): Uint8Array[] => [])
  for (const form of forms) startingWith[form[0]].push(form)
  return { forms, startingWith, escapable: forms.filter((form) => form[0] < 0x80) }
}

const HEX_DIGITS = new Int8Array(256).fill(-1)
for (const [i, c] of [...'0123456789abcdef'].entries()) HEX_DIGITS[c.charCodeAt(0)] = HEX_DIGITS[c.toUpperCase().charCodeAt(0)] = i

function hexValue(bytes: Uint8Array, from: number, count: number): number {
  let value = 0
  for (let i = from; i < from + count; i++) {
    const digit = HEX_DIGITS[bytes[i]]
    if (digit < 0) return -1
    value = value * 16 + digit
  }
  return value
}

/** The byte that starts at `at` once unescaped (`\u0041`, `%41`, `\/`): which forms can start there. */
function byteAt(text: Uint8Array, at: number): number {
  const byte = text[at]
  if (byte === PERCENT && at + 3 <= text.length) return hexValue(text, at + 1, 2)
  if (byte !== BACKSLASH || at + 1 >= text.length) return byte
  const next = text[at + 1]
  if (SHORT_ESCAPES.has(next)) return next
  if (next === LETTER_U && at + 6 <= text.length) return hexValue(text, at + 2, 4)
  return byte
}

/** How many bytes at `at` spell the one byte `want` (itself, or escaped), 0 if none, NEED_MORE if cut off. */
function matchByte(text: Uint8Array, at: number, want: number): number {
  if (at >= text.length) return NEED_MORE
  const byte = text[at]
  if (byte === want) return 1
  // escapes only stand for ASCII; a UTF-8 byte of a wider character is matched as itself
  if (want >= 0x80) return 0
  if (byte === BACKSLASH) {
    if (at + 1 >= text.length) return NEED_MORE
    if (SHORT_ESCAPES.has(want) && text[at + 1] === want) return 2
    if (text[at + 1] !== LETTER_U) return 0
    if (at + 6 > text.length) return NEED_MORE
    return hexValue(text, at + 2, 4) === want ? 6 : 0
  }
  if (byte === PERCENT) {
    if (at + 3 > text.length) return NEED_MORE
    return hexValue(text, at + 1, 2) === want ? 3 : 0
  }
  return 0
}

function matchForm(text: Uint8Array, at: number, form: Uint8Array): number {
  let i = at
  for (const want of form) {
    const used = matchByte(text, i, want)
    if (used <= 0) return used
    i += used
  }
  return i - at
}

/**
 * Scrubs `text` up to where a form may still be completing (unless `final`): returns the bytes to
 * send and the tail to keep for the next chunk.
 */
function scrub(text: Uint8Array, patterns: SecretPatterns, final: boolean): { out: Uint8Array; rest: Uint8Array } {
  const parts: Uint8Array[] = []
  let from = 0
  let i = 0
  while (i < text.length) {
    // an escape cut off by the end of what has arrived could start any form
    const cutEscape = !final && (text[i] === BACKSLASH || text[i] === PERCENT) && i + 6 > text.length
    const first = byteAt(text, i)
    const candidates = cutEscape ? patterns.escapable : first < 0 ? [] : patterns.startingWith[first]
    if (candidates.length === 0) {
      i++
      continue
    }
    let longest = 0
    let cutOff = false
    for (const form of candidates) {
      const length = matchForm(text, i, form)
      if (length > longest) longest = length
      else if (length === NEED_MORE) cutOff = true
    }
    if (longest > 0) {
      parts.push(text.subarray(from, i), redactedBytes)
      i += longest
      from = i
    } else if (cutOff && !final) {
      break
    } else i++
  }
  parts.push(text.subarray(from, i))
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return { out, rest: text.slice(i) }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** A byte stream transform replacing every form of any secret with `[redacted]`. */
export function createSecretScrubber(secrets: readonly string[] | SecretPatterns): TransformStream<Uint8Array, Uint8Array> {
  const patterns = 'forms' in secrets ? secrets : secretPatterns(secrets)
  let pending: Uint8Array = new Uint8Array(0)

  function drain(controller: TransformStreamDefaultController<Uint8Array>, final: boolean) {
    // small bodies (the JSON an API answers) go out in one piece at the end: splitting them into
    // several writes costs a round trip of latency on every poll
    if (!final && pending.length < HOLD_BYTES) return
    const { out, rest } = scrub(pending, patterns, final)
    pending = rest
    if (out.length > 0) controller.enqueue(out)
  }

  return new TransformStream({
    transform(chunk, controller) {
      pending = concat(pending, chunk)
      drain(controller, false)
    },
    flush(controller) {
      drain(controller, true)
    }
  })
}

/** The same for a header value. */
export function scrubText(text: string, secrets: readonly string[] | SecretPatterns): string {
  const patterns = 'forms' in secrets ? secrets : secretPatterns(secrets)
  if (patterns.forms.length === 0) return text
  return new TextDecoder().decode(scrub(new TextEncoder().encode(text), patterns, true).out)
}
