// Removes provider keys from whatever a host sends back (an error body that echoes the auth header,
// a header), as a stream: a key split across chunks is still caught, and nothing is buffered whole.

export const REDACTED = '[redacted]'
const redactedBytes = new TextEncoder().encode(REDACTED)

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
    for (;;) {
      let at = -1
      let length = 0
      for (const needle of needles) {
        const i = indexOf(pending, needle)
        if (i !== -1 && (at === -1 || i < at)) [at, length] = [i, needle.length]
      }
      if (at === -1) break
      if (at > 0) controller.enqueue(pending.slice(0, at))
      controller.enqueue(redactedBytes.slice())
      pending = pending.slice(at + length)
    }
    // hold back what could be the start of a secret finishing in the next chunk
    const emit = final ? pending.length : Math.max(0, pending.length - keep)
    if (emit > 0) controller.enqueue(pending.slice(0, emit))
    pending = pending.slice(emit)
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
