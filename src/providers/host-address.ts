// Where a provider sends its key: only to its own API hosts (provider-hosts.ts) or the configured API
// base. Addresses a host hands back (fal's status_url, a prediction's cancel URL) are checked first.
import { ReframeError } from '../core/reframe-error'
import { describeHosted, type HostedProviderId } from '../protocol/provider-list'
import { isKeyedUrl } from '../protocol/provider-hosts'

/** `url` when it may receive `provider`'s key; anything else is refused rather than sent our key. */
export function requireKeyedUrl(url: string, provider: HostedProviderId, apiBase: string, host: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ReframeError('malformed', `${host} returned an address that is not a URL.`)
  }
  if (!isKeyedUrl(parsed, provider, apiBase)) {
    throw new ReframeError('malformed', `${host} returned an address on an unexpected host (${parsed.origin}).`)
  }
  return url
}

/** The key headers of `provider`'s record, only when a key is set (a relay adds them server-side otherwise). */
export function keyHeaders(provider: HostedProviderId, apiKey: string | undefined): Record<string, string> {
  return apiKey ? describeHosted(provider).key.headers(apiKey) : {}
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
