// Resolves a provider host name and accepts it only if every address is public, so a name under an
// allowed wildcard (x.eachlabs.ai) pointed at 127.0.0.1 or the cloud metadata address is refused
// before any connection. The addresses checked are the ones connected to (see UpstreamInit.connectTo):
// no second lookup between check and connect for a rebinding DNS server to answer differently.
import { parseIpAddress } from './ip-address'
import { isPrivateAddress } from './private-address'

export type ResolvedAddress = { address: string; family: 4 | 6 }

/** All addresses of a name (Node: dns.lookup with all: true). Injectable, so tests need no real DNS. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>

export type PublicHost = { ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: 'private' | 'unresolved' }

export async function resolvePublicHost(hostname: string, resolve: ResolveHost): Promise<PublicHost> {
  let addresses: ResolvedAddress[]
  try {
    addresses = await resolve(hostname)
  } catch {
    // why DNS failed (the resolver's address, the search domains) is the relay's business, not the caller's
    return { ok: false, reason: 'unresolved' }
  }
  if (addresses.length === 0) return { ok: false, reason: 'unresolved' }
  // one private address is enough to refuse: which one a connection would use is not ours to choose
  const refused = addresses.some(({ address }) => {
    const parsed = parseIpAddress(address)
    return parsed === undefined || isPrivateAddress(parsed)
  })
  return refused ? { ok: false, reason: 'private' } : { ok: true, addresses }
}
