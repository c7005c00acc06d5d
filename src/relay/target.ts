// Decides whether the relay may forward to a URL: https, default port, no credentials, a provider
// host by name (never an IP literal) from the one provider list (protocol/provider-list.ts). The same check
// runs on every redirect before it is followed.
import { findProviderHost, type ListedHost } from '../protocol/provider-hosts'
import { PROVIDERS, type ProviderDescriptor } from '../protocol/provider-list'

export type TargetCheck =
  | { ok: true; url: URL; host: ListedHost }
  | { ok: false; message: string }

// WHATWG URL parsing already turns 0x7f.1, 2130706433 and friends into dotted quads, so a plain
// test on the parsed host catches every IPv4 spelling; IPv6 literals keep their brackets.
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

function refuse(message: string): TargetCheck {
  return { ok: false, message }
}

export function checkTarget(raw: string | null | undefined, list: readonly ProviderDescriptor[] = PROVIDERS): TargetCheck {
  if (!raw) return refuse('Missing X-Relay-Target header (the provider URL to forward to).')
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return refuse('X-Relay-Target is not a valid absolute URL.')
  }
  if (url.protocol !== 'https:') return refuse(`Only https targets are forwarded, not ${url.protocol}`)
  if (url.username || url.password) return refuse('Targets with credentials in the URL are refused.')
  if (url.port !== '') return refuse('Targets on a non-default port are refused.')
  const hostname = url.hostname.toLowerCase().replace(/\.$/, '')
  if (hostname.startsWith('[') || IPV4.test(hostname)) return refuse('IP address targets are refused; use the provider host name.')
  const host = findProviderHost(hostname, url.pathname, list)
  if (!host) return refuse(`${hostname} is not a provider host this relay serves.`)
  return { ok: true, url, host }
}
