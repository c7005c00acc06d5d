// The one host list: how a pattern matches (Figma's CSP rule, shared with the relay), which entry a
// URL belongs to, and which URLs may carry a provider's key.
import { describe, expect, it } from 'vitest'
import { findProviderHost, hostMatches, isKeyedUrl, listedHosts } from '../../src/protocol/provider-hosts'

describe('hostMatches', () => {
  it.each([
    ['fal.media', 'fal.media', true],
    ['fal.media', 'v3.fal.media', false],
    ['*.fal.media', 'v3.fal.media', true],
    ['*.fal.media', 'a.b.fal.media', true], // CSP: any depth
    ['*.fal.media', 'fal.media', false], // never the domain itself
    ['*.fal.media', 'evilfal.media', false],
    ['*.fal.media', 'fal.media.attacker.example', false],
    ['api.eachlabs.ai', 'api.eachlabs.ai.attacker.example', false]
  ])('%s against %s: %s', (pattern, hostname, expected) => {
    expect(hostMatches(pattern, hostname)).toBe(expected)
  })
})

describe('findProviderHost', () => {
  it('prefers an exact API host over a storage wildcard that also covers it', () => {
    expect(findProviderHost('api.eachlabs.ai')).toMatchObject({ provider: 'eachlabs', role: 'api' })
    expect(findProviderHost('cdn-eu.eachlabs.ai')).toMatchObject({ provider: 'eachlabs', role: 'storage', host: '*.eachlabs.ai' })
  })

  it('admits a shared host only under its path prefix', () => {
    expect(findProviderHost('storage.googleapis.com', '/falserverless/out/1.png')).toMatchObject({ provider: 'fal', role: 'storage' })
    expect(findProviderHost('storage.googleapis.com', '/another-bucket/x.png')).toBeUndefined()
    expect(findProviderHost('storage.googleapis.com', '/')).toBeUndefined()
  })

  it('knows nothing else', () => {
    expect(findProviderHost('example.com')).toBeUndefined()
    expect(findProviderHost('eachlabs.ai')).toBeUndefined()
  })
})

describe('the list', () => {
  it('names every entry once, with its evidence and a note', () => {
    const keys = listedHosts().map((e) => `${e.host}${e.pathPrefix ?? ''}`)
    expect(new Set(keys).size).toBe(keys.length)
    for (const entry of listedHosts()) {
      expect(['docs', '3rd', '?']).toContain(entry.evidence)
      expect(entry.note.length).toBeGreaterThan(5)
      expect(entry.pathPrefix === undefined || /^\/.+\/$/.test(entry.pathPrefix)).toBe(true)
    }
  })

  it('has an API host for every provider and no API wildcard (a key goes to named hosts only)', () => {
    for (const provider of ['eachlabs', 'fal', 'replicate'] as const) {
      expect(listedHosts().some((e) => e.provider === provider && e.role === 'api')).toBe(true)
    }
    expect(listedHosts().filter((e) => e.role === 'api' && e.host.startsWith('*.'))).toEqual([])
  })
})

describe('isKeyedUrl', () => {
  const fake = 'http://127.0.0.1:4100'
  it.each([
    ['https://queue.fal.run/fal-ai/luma-photon/requests/1/status', 'fal', true],
    ['https://rest.fal.ai/storage/upload/initiate', 'fal', true],
    [`${fake}/fal-ai/luma-photon/requests/1/status`, 'fal', true], // the configured base
    ['https://v3.fal.media/files/x', 'fal', false], // storage: never the key
    ['https://api.eachlabs.ai/v1/prediction/1', 'fal', false], // another provider's API
    ['http://queue.fal.run/x', 'fal', false],
    ['https://queue.fal.run:8443/x', 'fal', false],
    ['https://user:pw@queue.fal.run/x', 'fal', false],
    ['http://127.0.0.1:4101/x', 'fal', false]
  ] as const)('%s for %s: %s', (url, provider, expected) => {
    expect(isKeyedUrl(new URL(url), provider, fake)).toBe(expected)
  })
})
