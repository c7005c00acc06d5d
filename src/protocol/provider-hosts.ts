// Every host a hosted provider is reached on, in one list: the plugin manifest's allowedDomains, the
// team relay's allowlist and the providers' key guard are all derived from it, so they cannot disagree.
import type { HostedProviderId } from '../core/settings'

/** `api` hosts get the provider key; `storage` hosts (presigned uploads, results) only the URL's own signature. */
export type HostRole = 'api' | 'storage'

/** As in reframe-apis.md: official docs, third-party code only, or not verified anywhere. */
export type Evidence = 'docs' | '3rd' | '?'

export type ProviderHost = {
  provider: HostedProviderId
  role: HostRole
  /** Exact host name, or `*.suffix` for any sub-domain of suffix (never the suffix itself). */
  host: string
  /** Only paths under this prefix (ends with `/`): for a host shared with strangers. */
  pathPrefix?: string
  evidence: Evidence
  note: string
}

// reframe-apis.md documents the API hosts but names no storage host. Where earlier guesses disagreed
// (guesses.ts said storage.googleapis.com + *.eachlabs.ai for each::labs, the relay said the S3
// bucket + cdn-us + storage.eachlabs.ai) and nothing verifies either, the list holds the union, except
// storage.googleapis.com for each::labs: that was a bare guess that nothing supports (only fal is seen
// there, under /falserverless/). A wrong guess costs a refused download; a missing host costs the same,
// so a correction here is a one-line change that the manifest test and the relay pick up.
export const PROVIDER_HOSTS: readonly ProviderHost[] = [
  { provider: 'eachlabs', role: 'api', host: 'api.eachlabs.ai', evidence: 'docs', note: 'predictions and upload presign' },
  { provider: 'eachlabs', role: 'storage', host: 'eachlabs-storage.s3.amazonaws.com', evidence: '?', note: 'presigned PUT; named by the relay, not by the reference' },
  { provider: 'eachlabs', role: 'storage', host: 'cdn-us.eachlabs.ai', evidence: '?', note: 'public_url of uploads; named by the relay, not by the reference' },
  { provider: 'eachlabs', role: 'storage', host: 'storage.eachlabs.ai', evidence: '3rd', note: 'prediction outputs' },
  { provider: 'eachlabs', role: 'storage', host: '*.eachlabs.ai', evidence: '?', note: 'a regional "cdn-us" suggests other regions; the provider\'s own domain' },
  { provider: 'fal', role: 'api', host: 'queue.fal.run', evidence: 'docs', note: 'submit, status, response' },
  { provider: 'fal', role: 'api', host: 'rest.fal.ai', evidence: 'docs', note: 'storage upload initiate' },
  { provider: 'fal', role: 'storage', host: 'fal.media', evidence: '3rd', note: 'results' },
  { provider: 'fal', role: 'storage', host: '*.fal.media', evidence: '3rd', note: 'v3.fal.media, v3b.fal.media: CDN uploads and results' },
  { provider: 'fal', role: 'storage', host: 'storage.googleapis.com', pathPrefix: '/falserverless/', evidence: '3rd', note: 'older results; a shared host, so this bucket only' },
  { provider: 'replicate', role: 'api', host: 'api.replicate.com', evidence: 'docs', note: 'predictions, Files API, account' },
  { provider: 'replicate', role: 'storage', host: 'replicate.delivery', evidence: 'docs', note: 'prediction outputs' },
  { provider: 'replicate', role: 'storage', host: '*.replicate.delivery', evidence: '3rd', note: 'pbxt.replicate.delivery and friends' }
]

/**
 * Whether a (lower-case) host name matches a host pattern. Figma enforces allowedDomains as a
 * Content-Security-Policy, whose `*.example.com` matches sub-domains at any depth but never
 * example.com itself; the relay uses this same rule, so it refuses exactly what the plugin could not reach.
 */
export function hostMatches(pattern: string, hostname: string): boolean {
  if (!pattern.startsWith('*.')) return hostname === pattern
  return hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1
}

function pathMatches(entry: ProviderHost, pathname: string): boolean {
  return entry.pathPrefix === undefined || pathname.startsWith(entry.pathPrefix)
}

/**
 * The entry a (lower-case, parsed) host name and path belong to, if any. An exact host wins over a
 * wildcard, so api.eachlabs.ai stays an API host although *.eachlabs.ai also covers it.
 */
export function findProviderHost(hostname: string, pathname = '/'): ProviderHost | undefined {
  const candidates = PROVIDER_HOSTS.filter((entry) => hostMatches(entry.host, hostname) && pathMatches(entry, pathname))
  return candidates.find((entry) => !entry.host.startsWith('*.')) ?? candidates[0]
}

/**
 * `networkAccess.allowedDomains` as the list implies: https origins (with the path for a shared host),
 * in list order, every exact host by name.
 */
export function manifestAllowedDomains(): string[] {
  // every exact host is listed even where a wildcard covers it: admins reviewing the manifest see
  // the API hosts by name
  const domains = PROVIDER_HOSTS.map((entry) => `https://${entry.host}${entry.pathPrefix ?? ''}`)
  return [...new Set(domains)]
}

/**
 * Whether a URL may be sent `provider`'s key: an https URL on one of its API hosts (default port),
 * or the configured API base's own origin (a test server, another deployment).
 */
export function isKeyedUrl(url: URL, provider: HostedProviderId, apiBase: string): boolean {
  if (url.origin === new URL(apiBase).origin) return true
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') return false
  const entry = findProviderHost(url.hostname.toLowerCase(), url.pathname)
  return entry?.provider === provider && entry.role === 'api'
}
