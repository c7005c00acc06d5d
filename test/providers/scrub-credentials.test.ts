// Credentials come out of text meant for a person; ordinary sentences that merely say "token" or
// "key" stay as they were.
import { describe, expect, it } from 'vitest'
import { HostHttp } from '../../src/providers/http/host-http'
import { scrubCredentials } from '../../src/providers/scrub-credentials'
import { KEYS, TEAM_TOKEN } from '../relay/relay-harness'

const SECRETS = [KEYS.EACHLABS_API_KEY, KEYS.FAL_KEY, KEYS.REPLICATE_API_TOKEN]

describe('scrubCredentials', () => {
  it.each([
    'Team relay: wrong or missing team token.',
    'team token missing',
    'Token expired, sign in again',
    'Token missing from the request',
    'Bearer authentication is required',
    'Bearer token required for this endpoint',
    'Key features: outpainting and smart crops',
    'Invalid key provided',
    'Missing Authorization header',
    'Authorization: required',
    'Authorization: Bearer token required',
    'X-API-Key: missing',
    'Key aspect_ratio must be one of 16:9, 9:16 or 1:1',
    'The Token endpoint answered 500; retry later.',
    'Basic plan users are limited to 10 predictions'
  ])('leaves "%s" as it is', (sentence) => {
    expect(scrubCredentials(sentence, SECRETS)).toBe(sentence)
  })

  it.each(SECRETS)('removes the known key %s wherever it stands, raw or URL-encoded', (key) => {
    const texts = [
      key,
      `${key} is not valid`,
      `invalid key ${key}`,
      `the key (${key}) was refused`,
      `{"error":"bad key","key":"${key}"}`,
      `got Authorization: Bearer ${key}; rejected`,
      `got Key ${key}.`,
      `https://x.example/cb?k=${encodeURIComponent(key)}&y=1`,
      `twice: ${key}${key}`
    ]
    for (const text of texts) {
      const out = scrubCredentials(text, SECRETS)
      expect(out).toContain('[redacted]')
      expect(out).not.toContain(key)
      expect(out).not.toContain(encodeURIComponent(key))
    }
    expect(scrubCredentials(`the key (${key}) was refused`, SECRETS)).toBe('the key ([redacted]) was refused')
    expect(scrubCredentials(`got Key ${key}.`, SECRETS)).toBe('got Key [redacted].')
  })

  it.each([
    ['Authorization: Bearer sk-live-0123456789abcdef', 'Authorization: Bearer [redacted]'],
    ['authorization: bearer sk-live-0123456789abcdef', 'authorization: bearer [redacted]'],
    ['header was Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_4, refused', 'header was Bearer [redacted], refused'],
    ['Key abc123:def456 was refused', 'Key [redacted] was refused'],
    [`Token ${TEAM_TOKEN}`, 'Token [redacted]'],
    ['Token r8_abcdefgh12345.', 'Token [redacted].'],
    ['X-API-Key: 5f2c9a0b1d7e', 'X-API-Key: [redacted]'],
    ['x-api-key=abcd1234efgh&model=x', 'x-api-key=[redacted]&model=x'],
    ['Basic dXNlcjpwYXNzd29yZDEyMw==', 'Basic [redacted]'],
    // long enough to be random even without a digit
    ['Bearer abcdefghijklmnopqrstuvwxyzABCD', 'Bearer [redacted]']
  ])('removes an unknown credential after its scheme or header: %s', (text, expected) => {
    expect(scrubCredentials(text, [])).toBe(expected)
  })
})

describe('HostHttp.scrub', () => {
  it('uses the provider key it was given', () => {
    const http = new HostHttp({ host: { name: 'x', messageOf: () => undefined }, secrets: ['plainwordkey'] })
    expect(http.scrub('your key plainwordkey is invalid')).toBe('your key [redacted] is invalid')
    expect(http.scrub('team token missing')).toBe('team token missing')
  })
})
