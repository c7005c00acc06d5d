// A provider is one record: a throwaway record added to the list shows up everywhere the list is read,
// without touching any other file.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { estimateBatch } from '../../src/core/cost'
import { findProviderHost, manifestAllowedDomains } from '../../src/protocol/provider-hosts'
import { describeProvider, HOSTED_PROVIDER_IDS, PROVIDERS, type ProviderDescriptor } from '../../src/protocol/provider-list'
import { settingsSchemaOf } from '../../src/protocol/settings'
import { usageText } from '../../src/cli/usage'
import { providerAuthHeaders } from '../../src/relay/provider-auth'
import { readRelayConfig } from '../../src/relay/relay-config'
import { checkTarget } from '../../src/relay/target'
import { keyHint, providerChoices } from '../../ui/provider-choice'

const ACME = {
  id: 'acme',
  label: 'Acme Reframe',
  key: {
    noun: 'API key',
    env: 'ACME_API_KEY',
    source: 'acme.test → Settings → Keys',
    headers: (key: string) => ({ 'X-Acme-Key': key }),
    check: null
  },
  price: { kind: 'per-job', usd: 0.02 },
  hosts: [
    { role: 'api', host: 'api.acme.test', evidence: 'docs', note: 'jobs' },
    { role: 'storage', host: 'cdn.acme.test', evidence: '3rd', note: 'results' }
  ]
} as const satisfies ProviderDescriptor

const list = [...PROVIDERS, ACME] as const

describe('a throwaway provider record added to the list', () => {
  it('is a provider the settings accept (and the real settings still default to the first entry)', () => {
    const Settings = settingsSchemaOf(list)
    expect(Settings.parse({ provider: 'acme' }).provider).toBe('acme')
    expect(Settings.parse({}).provider).toBe('local')
    expect(settingsSchemaOf(PROVIDERS).safeParse({ provider: 'acme' }).success).toBe(false)
  })

  it('is priced by its own model', () => {
    const sizes = [{ width: 1536, height: 1536 }, { width: 2048, height: 1152 }]
    expect(estimateBatch(ACME.price, sizes)).toEqual({ jobs: 2, usd: expect.closeTo(0.04, 9) })
  })

  it('is in the UI menu with its key hint', () => {
    expect(providerChoices(list).map((choice) => choice.value)).toEqual(['local', 'eachlabs', 'fal', 'replicate', 'acme'])
    expect(providerChoices(list).at(-1)?.label).toBe('Acme Reframe')
    expect(keyHint(ACME)).toBe('From acme.test → Settings → Keys. $0.020 per reframe. Stored only on this computer, never in the file.')
  })

  it('is in the CLI usage with its key variable', () => {
    const usage = usageText(list)
    expect(usage).toMatch(/--provider ID +local \(default, offline, no key\) \| eachlabs \| fal \| replicate \| acme/)
    expect(usage).toMatch(/ACME_API_KEY +Acme Reframe \(acme\.test → Settings → Keys\)/)
  })

  it("is on the relay's allowlist, keyed only on its API host, with its key from its variable", () => {
    const api = checkTarget('https://api.acme.test/v1/jobs', list)
    expect(api).toMatchObject({ ok: true, host: { provider: 'acme', role: 'api' } })
    const cdn = checkTarget('https://cdn.acme.test/out/1.png', list)
    expect(cdn).toMatchObject({ ok: true, host: { provider: 'acme', role: 'storage' } })
    expect(checkTarget('https://api.acme.test/v1/jobs').ok).toBe(false) // not in the real list
    if (!api.ok || !cdn.ok) throw new Error('unreachable')
    expect(providerAuthHeaders(api.host, 'k-acme', list)).toEqual({ 'X-Acme-Key': 'k-acme' })
    expect(providerAuthHeaders(cdn.host, 'k-acme', list)).toEqual({})
    const relay = readRelayConfig({ RELAY_TEAM_TOKENS: 'a-team-token-of-16-chars', ACME_API_KEY: ' k-acme ' }, list)
    expect(relay.ok && relay.config.keys.acme).toBe('k-acme')
  })

  it("is in manifest.json's allowedDomains as the list implies them", () => {
    expect(manifestAllowedDomains(list).slice(-2)).toEqual(['https://api.acme.test', 'https://cdn.acme.test'])
    expect(findProviderHost('api.acme.test', '/', list)?.provider).toBe('acme')
  })
})

describe('the real list', () => {
  it('has the offline engine first (the default) and a key, a price and an API host for every hosted provider', () => {
    expect(PROVIDERS[0].id).toBe('local')
    expect(HOSTED_PROVIDER_IDS).toEqual(['eachlabs', 'fal', 'replicate'])
    for (const id of HOSTED_PROVIDER_IDS) {
      const entry = describeProvider(id)
      expect(entry.key?.env).toMatch(/^[A-Z_]+$/)
      expect(entry.price.kind).not.toBe('free')
      expect(entry.hosts.some((host) => host.role === 'api' && !host.host.startsWith('*.'))).toBe(true)
    }
  })

  it('sends each::labs its key both ways (Bearer and X-API-Key), as the relay does', () => {
    expect(describeProvider('eachlabs').key?.headers('k-1')).toEqual({ Authorization: 'Bearer k-1', 'X-API-Key': 'k-1' })
  })

  it('is what manifest.json lists', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as { networkAccess: { allowedDomains: string[] } }
    expect(manifest.networkAccess.allowedDomains.slice(0, manifestAllowedDomains().length)).toEqual(manifestAllowedDomains())
  })
})
