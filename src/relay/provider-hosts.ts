// The only hosts the relay will talk to: each provider's API host (where the key is added) and its
// storage hosts (presigned uploads, results; never given a key). Everything else is refused.
import type { HostedProviderId } from '../core/settings'

/** `api` hosts get the provider key; `storage` hosts are reached with the URL's own signature only. */
export type HostRole = 'api' | 'storage'

export type ProviderHost = {
  provider: HostedProviderId
  role: HostRole
  /** Exact host name, or `*.suffix` for any sub-domain of suffix (not the suffix itself). */
  host: string
}

// From shared/reference/reframe-apis.md and the hosts' upload docs. Storage hosts marked [?] are seen
// only in third-party code; keeping them here, in one list, makes a correction a one-line change.
export const PROVIDER_HOSTS: readonly ProviderHost[] = [
  { provider: 'eachlabs', role: 'api', host: 'api.eachlabs.ai' },
  { provider: 'eachlabs', role: 'storage', host: 'eachlabs-storage.s3.amazonaws.com' }, // presigned PUT [docs]
  { provider: 'eachlabs', role: 'storage', host: 'cdn-us.eachlabs.ai' }, // public_url of uploads [docs]
  { provider: 'eachlabs', role: 'storage', host: 'storage.eachlabs.ai' }, // prediction outputs [3rd]
  { provider: 'fal', role: 'api', host: 'queue.fal.run' },
  { provider: 'fal', role: 'api', host: 'rest.fal.ai' },
  { provider: 'fal', role: 'storage', host: 'fal.media' }, // results [3rd]
  { provider: 'fal', role: 'storage', host: '*.fal.media' }, // v2/v3 CDN, upload_url [?]
  { provider: 'replicate', role: 'api', host: 'api.replicate.com' },
  { provider: 'replicate', role: 'storage', host: 'replicate.delivery' }, // prediction outputs [docs]
  { provider: 'replicate', role: 'storage', host: '*.replicate.delivery' }
]

function hostMatches(pattern: string, hostname: string): boolean {
  if (!pattern.startsWith('*.')) return hostname === pattern
  const suffix = pattern.slice(1) // ".fal.media"
  const label = hostname.slice(0, -suffix.length)
  // one extra DNS label only: "v3.fal.media" yes, "x.y.fal.media" no
  return hostname.endsWith(suffix) && label.length > 0 && !label.includes('.')
}

/** The provider host entry a (lower-case, already parsed) host name belongs to, if any. */
export function findProviderHost(hostname: string): ProviderHost | undefined {
  return PROVIDER_HOSTS.find((entry) => hostMatches(entry.host, hostname))
}

