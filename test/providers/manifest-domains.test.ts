// The plugin can only reach hosts listed in manifest.json: the list must be exactly what
// the provider list (src/protocol/provider-list.ts) implies (plus a team relay added by the build), and reach every API
// base the providers call.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EACHLABS_API } from '../../src/providers/eachlabs'
import { FAL_QUEUE, FAL_REST } from '../../src/providers/fal'
import { hostMatches, manifestAllowedDomains, listedHosts } from '../../src/protocol/provider-hosts'
import { REPLICATE_API } from '../../src/providers/replicate'
import { readRelayConfig } from '../../src/relay/relay-config'

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
  networkAccess: { allowedDomains: string[]; devAllowedDomains: string[] }
}
const { allowedDomains, devAllowedDomains } = manifest.networkAccess

/** Whether a manifest entry lets the plugin fetch `url`, by Figma's (CSP) rule for hosts and path prefixes. */
function manifestAllows(entry: string, url: string): boolean {
  const pattern = /^https:\/\/([^/]+)(\/.*)?$/.exec(entry)
  const target = new URL(url)
  if (!pattern || target.protocol !== 'https:') return false
  return hostMatches(pattern[1], target.hostname) && target.pathname.startsWith(pattern[2] ?? '/')
}

describe('manifest allowedDomains', () => {
  it('is the list the provider records imply, optionally followed by one team relay origin', () => {
    const derived = manifestAllowedDomains()
    expect(allowedDomains.slice(0, derived.length)).toEqual(derived)
    const added = allowedDomains.slice(derived.length)
    expect(added.length).toBeLessThanOrEqual(1) // RELAY_ORIGIN=... npm run build adds one
    for (const relay of added) expect(relay).toMatch(/^https:\/\/[a-z0-9.-]+(:\d+)?$/)
  })

  it('reaches every API base the providers call and every host in the list, at the paths it allows', () => {
    const urls = [
      `${EACHLABS_API}/v1/prediction`,
      `${FAL_QUEUE}/fal-ai/luma-photon/flash/reframe`,
      `${FAL_REST}/storage/upload/initiate`,
      `${REPLICATE_API}/v1/predictions`,
      ...listedHosts().map((entry) => `https://${entry.host.replace('*.', 'any.')}${entry.pathPrefix ?? '/'}file.png`)
    ]
    expect(urls.filter((url) => !allowedDomains.some((entry) => manifestAllows(entry, url)))).toEqual([])
  })

  it('lets nothing through beyond the list: bare wildcard domains, other buckets on a shared host, look-alikes', () => {
    const outside = [
      'https://eachlabs.ai/x.png',
      'https://fal.media.attacker.example/x.png',
      'https://storage.googleapis.com/some-other-bucket/x.png',
      'https://s3.amazonaws.com/eachlabs-storage/x.png',
      'https://replicate.com/x.png'
    ]
    expect(outside.filter((url) => allowedDomains.slice(0, manifestAllowedDomains().length).some((entry) => manifestAllows(entry, url)))).toEqual([])
  })

  it('uses https hosts, wildcards only for a registrable domain of their own, paths only as prefixes', () => {
    for (const entry of allowedDomains) {
      expect(entry).toMatch(/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/[a-z0-9-]+\/)?$/)
      expect(entry).not.toMatch(/^https:\/\/\*\.[a-z-]+$/) // never *.com
    }
  })

  it("lists the local relay (its default port) for development only", () => {
    const relay = readRelayConfig({ RELAY_TEAM_TOKENS: 'a-team-token-of-16-chars' })
    expect(relay.ok).toBe(true)
    const port = relay.ok ? relay.config.port : 0
    expect(devAllowedDomains).toEqual([`http://localhost:${port}`, `http://127.0.0.1:${port}`])
  })
})
