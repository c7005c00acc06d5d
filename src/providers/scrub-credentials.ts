// Takes credentials out of text meant for a person (host error messages, causes): the known keys
// exactly, and other values only where they look like one, so ordinary sentences stay readable.

export const REDACTED = '[redacted]'

// A token-shaped value (RFC 6750 b64token plus ':' for fal's id:secret): at least 8 characters,
// not ending in sentence punctuation, and holding a digit or long enough (24+) to be random.
// Prose after "Token" or "Key" ("Token expired", "Key features") has neither.
const VALUE = String.raw`(?=[\w.~+/=:-]*\d|[\w.~+/=:-]{24})[\w.~+/=:-]{7,}[\w~+/=-]`

// `Bearer <value>`, `Token <value>`... in the case a header carries them, not the word in a sentence.
const AFTER_SCHEME = new RegExp(String.raw`\b(Bearer|Token|Key|Basic)(\s+)${VALUE}`, 'g')
// `Authorization: bearer <value>`, `x-api-key=<value>`: a header name, any case, then the value.
const AFTER_HEADER = new RegExp(String.raw`\b(authorization|x-api-key)(\s*[:=]\s*(?:[A-Za-z]+\s+)?)${VALUE}`, 'gi')

/** `text` with every known secret (raw or URL-encoded) and every credential-shaped auth value replaced. */
export function scrubCredentials(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED)
  }
  return out.replace(AFTER_HEADER, `$1$2${REDACTED}`).replace(AFTER_SCHEME, `$1$2${REDACTED}`)
}
