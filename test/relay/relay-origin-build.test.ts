// `RELAY_ORIGIN=https://relay.example.com npm run build`: the relay lands in the manifest's allowedDomains once,
// the rest of the file untouched, and a wrong value stops the build with a message.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

type BuildModule = {
  relayOriginFrom: (value: string | undefined) => string | undefined
  addAllowedDomain: (manifestText: string, origin: string) => string
}
const buildPath = '../../build.mjs'
// a plain-JS build script: imported through a variable so the type-checker does not look for declarations
const { relayOriginFrom, addAllowedDomain } = (await import(buildPath)) as BuildModule
const manifestText = readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')

describe('relayOriginFrom', () => {
  it('accepts an https origin, with or without a trailing slash, and nothing when unset', () => {
    expect(relayOriginFrom('https://relay.example.com')).toBe('https://relay.example.com')
    expect(relayOriginFrom(' https://relay.example.com:8443/ ')).toBe('https://relay.example.com:8443')
    expect(relayOriginFrom(undefined)).toBeUndefined()
    expect(relayOriginFrom('')).toBeUndefined()
  })

  it.each([
    ['http://relay.example.com', /must be https/],
    ['relay.example.com', /not a URL/],
    ['https://relay.example.com/api', /origin only/],
    ['https://user:pw@relay.example.com', /origin only/]
  ])('refuses %s', (value, message) => {
    expect(() => relayOriginFrom(value)).toThrow(message)
  })
})

describe('addAllowedDomain', () => {
  it('adds the origin to the current manifest once and leaves every other field as it was', () => {
    const before = JSON.parse(manifestText) as { networkAccess: { allowedDomains: string[] } } & Record<string, unknown>
    const once = addAllowedDomain(manifestText, 'https://relay.example.com')
    const twice = addAllowedDomain(once, 'https://relay.example.com')
    expect(twice).toBe(once)
    const after = JSON.parse(once) as typeof before
    expect(after.networkAccess.allowedDomains).toEqual([...before.networkAccess.allowedDomains, 'https://relay.example.com'])
    expect({ ...after, networkAccess: { ...after.networkAccess, allowedDomains: [] } }).toEqual({
      ...before,
      networkAccess: { ...before.networkAccess, allowedDomains: [] }
    })
    // only the list changed in the text: every original line is still there
    for (const line of manifestText.split('\n')) expect(once).toContain(line.replace(/,?$/, ''))
  })

  it('handles an empty list and a one-line list', () => {
    const empty = addAllowedDomain('{"networkAccess":{"allowedDomains":[]}}', 'https://r.example.com')
    expect(JSON.parse(empty)).toEqual({ networkAccess: { allowedDomains: ['https://r.example.com'] } })
    const inline = addAllowedDomain('{"networkAccess": {"allowedDomains": ["https://a.example.com"]}}', 'https://r.example.com')
    expect(JSON.parse(inline)).toEqual({ networkAccess: { allowedDomains: ['https://a.example.com', 'https://r.example.com'] } })
  })

  it('refuses a manifest without an allowedDomains list', () => {
    expect(() => addAllowedDomain('{"networkAccess":{"reasoning":"x"}}', 'https://r.example.com')).toThrow(/no networkAccess.allowedDomains/)
  })
})
