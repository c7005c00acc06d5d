// The Node relay's resolver: the system's (getaddrinfo, /etc/hosts included), every address, as the
// connection would have looked it up itself.
import { lookup } from 'node:dns/promises'
import type { ResolvedAddress } from './resolve-public-host'

export async function resolveHostWithDns(hostname: string): Promise<ResolvedAddress[]> {
  const found = await lookup(hostname, { all: true, verbatim: true })
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }))
}
