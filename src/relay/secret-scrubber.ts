// Removes provider keys from whatever a host sends back (an error body that echoes the auth header,
// a header), as a stream: a key split across chunks is still caught, and nothing is buffered whole.

export const REDACTED = '[redacted]'
const redactedBytes = new TextEncoder().encode(REDACTED)
const HOLD_BYTES = 64 * 1024

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0]
  outer: for (let i = haystack.indexOf(first); i !== -1 && i <= haystack.length - needle.length; i = haystack.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** A byte stream transform replacing every occurrence of any secret with `[redacted]`. */
export function createSecretScrubber(secrets: readonly string[]): TransformStream<Uint8Array, Uint8Array> {
  const needles = secrets.filter((secret) => secret.length > 0).map((secret) => new TextEncoder().encode(secret))
  const keep = Math.max(0, ...needles.map((needle) => needle.length - 1))
  let pending: Uint8Array = new Uint8Array(0)

  function drain(controller: TransformStreamDefaultController<Uint8Array>, final: boolean) {
    // small bodies (the JSON an API answers) go out in one piece at the end: splitting them into
    // several writes costs a round trip of latency on every poll
    if (!final && pending.length < HOLD_BYTES) return
    const parts: Uint8Array[] = []
    for (;;) {
      let at = -1
      let length = 0
      for (const needle of needles) {
        const i = indexOf(pending, needle)
        if (i !== -1 && (at === -1 || i < at)) [at, length] = [i, needle.length]
      }
      if (at === -1) break
      parts.push(pending.slice(0, at), redactedBytes)
      pending = pending.slice(at + length)
    }
    // hold back what could be the start of a secret finishing in the next chunk
    const emit = final ? pending.length : Math.max(0, pending.length - keep)
    parts.push(pending.slice(0, emit))
    pending = pending.slice(emit)
    const out = parts.reduce(concat, new Uint8Array(0))
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
export function scrubText(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join(REDACTED) : out), text)
}
