// Keys are scrubbed from whatever a host sends back in every form a host might write them: as they
// are, upper- or lower-cased, base64 (standard or URL-safe, at any offset inside a longer encoded
// value such as a Basic/Bearer header), JSON-escaped, percent-encoded, and a fal key's secret half
// on its own. The scrubber is a stream: a form split across chunks at any byte is still caught.
import { describe, expect, it } from 'vitest'
import { REDACTED, createSecretScrubber, scrubText } from '../../src/relay/secret-scrubber'
import { KEYS } from './relay-harness'

const FAL_SECRET = KEYS.FAL_KEY.split(':')[1]
// a key with capitals and the characters JSON and URLs escape, so every form differs from the key
const MIXED = 'Mixed/Case+Key-0123456789ABCdef'
const SECRETS = [...Object.values(KEYS), MIXED]

const b64 = (text: string) => Buffer.from(text).toString('base64')
const b64url = (text: string) => Buffer.from(text).toString('base64url')
const everyCharEscaped = (text: string, hex: (code: number) => string) => [...text].map((c) => `\\u${hex(c.charCodeAt(0))}`).join('')

const FORMS: Array<[string, string]> = [
  ['the key as it is', KEYS.EACHLABS_API_KEY],
  ['upper-cased', KEYS.EACHLABS_API_KEY.toUpperCase()],
  ['lower-cased', MIXED.toLowerCase()],
  ['base64', b64(KEYS.EACHLABS_API_KEY)],
  ['URL-safe base64', b64url(KEYS.REPLICATE_API_TOKEN)],
  ['base64 one byte into a longer value', b64(`Key ${KEYS.FAL_KEY}`)],
  ['base64 two bytes into a longer value', b64(`Bearer ${KEYS.EACHLABS_API_KEY}`)],
  ['base64 of a Basic header', b64(`user:${KEYS.REPLICATE_API_TOKEN}`)],
  ['JSON \\u-escaped, lower-case hex', everyCharEscaped(KEYS.EACHLABS_API_KEY, (c) => c.toString(16).padStart(4, '0'))],
  ['JSON \\u-escaped, upper-case hex', everyCharEscaped(KEYS.FAL_KEY, (c) => c.toString(16).toUpperCase().padStart(4, '0'))],
  ['JSON with some characters \\u-escaped', KEYS.FAL_KEY.replace(':', '\\u003a').replace('-', '\\u002D')],
  ['JSON with / escaped', MIXED.replace('/', '\\/')],
  ['percent-encoded with + and /', encodeURIComponent(MIXED)],
  ['percent-encoded', encodeURIComponent(KEYS.FAL_KEY)],
  ['every character percent-encoded', [...KEYS.EACHLABS_API_KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')],
  ["fal's secret half alone", FAL_SECRET],
  ["fal's secret half in base64", b64(FAL_SECRET)],
  ["fal's secret half upper-cased", FAL_SECRET.toUpperCase()]
]

async function throughScrubber(chunks: string[]): Promise<string> {
  const encoder = new TextEncoder()
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    }
  })
  return new Response(source.pipeThrough(createSecretScrubber(SECRETS))).text()
}

describe('createSecretScrubber', () => {
  it.each(FORMS)('redacts the key written %s, split at every byte', async (_label, form) => {
    const text = `{"error":"you sent ${form} and that is wrong"}`
    const start = text.indexOf(form)
    for (let cut = start; cut <= start + form.length; cut++) {
      const out = await throughScrubber([text.slice(0, cut), text.slice(cut)])
      expect(out).not.toContain(form)
      expect(out).toContain(REDACTED)
      expect(out.startsWith('{"error":"you sent ')).toBe(true)
      expect(out.endsWith(' and that is wrong"}')).toBe(true)
    }
  })

  it('redacts every form when the body arrives one byte at a time', async () => {
    const text = FORMS.map(([, form]) => form).join(' | ')
    const out = await throughScrubber([...text])
    for (const [, form] of FORMS) expect(out).not.toContain(form)
  })

  it('leaves everything else byte for byte, backslashes, percent signs and near misses included', async () => {
    const text = `{"path":"a\\/b\\u0041%41%zz\\\\","almost":"${KEYS.EACHLABS_API_KEY.slice(0, -1)}","fal id":"fal-key-id"}`
    expect(await throughScrubber([text])).toBe(text)
    expect(await throughScrubber([...text])).toBe(text)
  })
})

describe('scrubText', () => {
  it('redacts the same forms in a header value', () => {
    for (const [, form] of FORMS) expect(scrubText(`Basic ${form}`, SECRETS)).not.toContain(form)
    expect(scrubText('nothing secret here', SECRETS)).toBe('nothing secret here')
  })
})
