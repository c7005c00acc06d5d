// The hosts of every provider in the list, flattened: the plugin manifest's allowedDomains, the team
// relay's allowlist and the providers' key guard all read them here, so they cannot disagree.
import { PROVIDERS, type ProviderDescriptor, type ProviderHost } from './provider-list'

/** A host with the provider it belongs to. */
export type ListedHost = ProviderHost & { provider: string }

/** Every host of every provider in `list`, in list order. */
export function listedHosts(list: readonly ProviderDescriptor[] = PROVIDERS): ListedHost[] {
  return list.flatMap((entry) => entry.hosts.map((host) => ({ ...host, provider: entry.id })))
}

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
export function findProviderHost(hostname: string, pathname = '/', list: readonly ProviderDescriptor[] = PROVIDERS): ListedHost | undefined {
  const candidates = listedHosts(list).filter((entry) => hostMatches(entry.host, hostname) && pathMatches(entry, pathname))
  return candidates.find((entry) => !entry.host.startsWith('*.')) ?? candidates[0]
}

/**
 * `networkAccess.allowedDomains` as the list implies: https origins (with the path for a shared host),
 * in list order, every exact host by name.
 */
export function manifestAllowedDomains(list: readonly ProviderDescriptor[] = PROVIDERS): string[] {
  // every exact host is listed even where a wildcard covers it: admins reviewing the manifest see
  // the API hosts by name
  const domains = listedHosts(list).map((entry) => `https://${entry.host}${entry.pathPrefix ?? ''}`)
  return [...new Set(domains)]
}

/**
 * Whether a URL may be sent `provider`'s key: an https URL on one of its API hosts (default port),
 * or the configured API base's own origin (a test server, another deployment).
 */
export function isKeyedUrl(url: URL, provider: string, apiBase: string): boolean {
  if (url.origin === new URL(apiBase).origin) return true
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') return false
  const entry = findProviderHost(url.hostname.toLowerCase(), url.pathname)
  return entry?.provider === provider && entry.role === 'api'
}
