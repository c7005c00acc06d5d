// Every way a host might write a key back besides the key itself, as plain strings: the scrubber then
// also accepts each character JSON-escaped or percent-encoded, so those are not listed here.

/** Shorter forms are not scrubbed: they could be ordinary text, and no key form is that short. */
const MIN_FORM_LENGTH = 8

const BASE64_URL: Record<string, string> = { '+': '-', '/': '_' }

function base64Of(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * The base64 characters that depend only on `secret`, for each of the three offsets it can sit at
 * inside a longer encoded value (`Basic base64(user:key)`, `base64(Bearer key)`): the characters at
 * either end also carry bits of the neighbouring bytes, so they are left out.
 */
function base64Cores(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret)
  const cores: string[] = []
  for (let offset = 0; offset < 3; offset++) {
    const shifted = new Uint8Array(offset + bytes.length)
    shifted.set(bytes, offset)
    const encoded = base64Of(shifted).replace(/=+$/, '')
    const first = Math.ceil((offset * 8) / 6)
    const end = Math.floor(((offset + bytes.length) * 8) / 6)
    const core = encoded.slice(first, end)
    cores.push(core, core.replace(/[+/]/g, (c) => BASE64_URL[c]))
  }
  return cores
}

/**
 * The strings to scrub for one key: the key, upper- and lower-cased, its base64 (standard and
 * URL-safe, at any offset), and for a fal `id:secret` key the same for the secret half alone (the id
 * only names the key, like a user name, and stays readable to whoever debugs a refusal).
 */
export function secretForms(key: string): string[] {
  const secrets = [key]
  const falSecret = /^[^:\s]+:(\S+)$/.exec(key)?.[1]
  if (falSecret) secrets.push(falSecret)
  const forms = secrets.flatMap((secret) => [secret, secret.toUpperCase(), secret.toLowerCase(), ...base64Cores(secret)])
  return [...new Set(forms)].filter((form) => form.length >= MIN_FORM_LENGTH)
}
