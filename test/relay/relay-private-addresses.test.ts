// A provider name is not enough: a name under an allowed wildcard (x.eachlabs.ai) may resolve to
// loopback, a private network or the cloud metadata address. The relay resolves every host first,
// refuses any private answer before connecting, connects to exactly the addresses it checked, and
// never tells the caller what a name resolved to.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { describeUpstreamFailure } from '../../src/relay/describe-upstream-failure'
import { parseIpAddress } from '../../src/relay/ip-address'
import { createNodeUpstreamFetch } from '../../src/relay/node-upstream-fetch'
import { isPrivateAddress } from '../../src/relay/private-address'
import type { ResolveHost, ResolvedAddress } from '../../src/relay/resolve-public-host'
import { closedAfterEach, PUBLIC_ADDRESS, relayConfig, relayFetch, rewriteTo, startRelay, startUpstream } from './relay-harness'

const open = closedAfterEach()

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 })
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 })

/** DNS as a table, counting the questions. */
function dnsTable(table: Record<string, ResolvedAddress[]>): ResolveHost & { asked: string[] } {
  const asked: string[] = []
  const resolve = async (hostname: string) => {
    asked.push(hostname)
    const found = table[hostname]
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return found
  }
  return Object.assign(resolve, { asked })
}

async function bodyOf(response: Response): Promise<{ status: number; code: string; error: string }> {
  const body = (await response.json()) as { code: string; error: string }
  return { status: response.status, code: body.code, error: body.error }
}

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.9.9.9', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '100.127.255.254', '0.0.0.0', '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1', '192.0.0.8', '198.18.0.1',
    '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'fec0::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
    '::ffff:169.254.169.254', '64:ff9b::10.0.0.1', '64:ff9b:1::1', '2002:7f00:1::', '2001:0:4136:e378::1', '100::1', '::127.0.0.1'
  ])('refuses %s', (address) => {
    const parsed = parseIpAddress(address)
    expect(parsed).toBeDefined()
    if (parsed) expect(isPrivateAddress(parsed)).toBe(true)
  })

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700::6810:84e5', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:0808:0808::'])(
    'accepts the public address %s',
    (address) => {
      const parsed = parseIpAddress(address)
      expect(parsed).toBeDefined()
      if (parsed) expect(isPrivateAddress(parsed)).toBe(false)
    }
  )

  it.each(['1.2.3', '1.2.3.256', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', 'example.com', ''])('does not take %j for an address', (text) => {
    expect(parseIpAddress(text)).toBeUndefined()
  })
})

describe('hosts whose names resolve to private addresses', () => {
  it.each([
    ['loopback', [v4('127.0.0.1')]],
    ['a private network', [v4('10.1.2.3')]],
    ['a home network', [v4('192.168.0.10')]],
    ['the cloud metadata address', [v4('169.254.169.254')]],
    ['IPv6 loopback', [v6('::1')]],
    ['an IPv6 unique-local address', [v6('fc00::7')]],
    ['an IPv6 link-local address', [v6('fe80::1')]],
    ['loopback written as IPv4-mapped IPv6', [v6('::ffff:127.0.0.1')]],
    ['one private address among public ones', [PUBLIC_ADDRESS, v4('10.0.0.1')]]
  ])('are refused before connecting: %s', async (_label, addresses) => {
    const upstream = await startUpstream((_hit, res) => {
      res.end('{}')
    })
    const dns = dnsTable({ 'x.eachlabs.ai': addresses })
    const relay = await startRelay(relayConfig(), { resolveHost: dns, testOnlyUpstreamRewrite: rewriteTo(upstream) })
    open.push(upstream, relay)

    const response = await relayFetch(relay, 'https://x.eachlabs.ai/outputs/1.png')

    expect(await bodyOf(response)).toEqual({ status: 403, code: 'bad-target', error: 'Team relay: x.eachlabs.ai resolves to a private address; refused.' })
    expect(response.headers.get('x-relay-error')).toBe('bad-target')
    expect(relay.outbound).toHaveLength(0)
    expect(upstream.hits).toHaveLength(0)
  })

  it('are refused when a redirect leads to one, without following it', async () => {
    const upstream = await startUpstream((_hit, res) => {
      res.writeHead(302, { Location: 'https://internal.replicate.delivery/x.png' })
      res.end()
    })
    const dns = dnsTable({ 'api.replicate.com': [PUBLIC_ADDRESS], 'internal.replicate.delivery': [v4('10.0.0.9')] })
    const relay = await startRelay(relayConfig(), { resolveHost: dns, testOnlyUpstreamRewrite: rewriteTo(upstream) })
    open.push(upstream, relay)

    const answer = await bodyOf(await relayFetch(relay, 'https://api.replicate.com/v1/files/f1/download'))

    expect(answer).toEqual({
      status: 502,
      code: 'bad-redirect',
      error: 'Team relay: api.replicate.com redirected to internal.replicate.delivery, which resolves to a private address; refused.'
    })
    expect(upstream.hits).toHaveLength(1)
  })

  it('connects a public name to the addresses checked, asking DNS once per host', async () => {
    const upstream = await startUpstream((_hit, res) => {
      res.end('{"status":"processing"}')
    })
    const addresses = [PUBLIC_ADDRESS, v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c')]
    const dns = dnsTable({ 'api.eachlabs.ai': addresses })
    const relay = await startRelay(relayConfig(), { resolveHost: dns, testOnlyUpstreamRewrite: rewriteTo(upstream) })
    open.push(upstream, relay)

    const response = await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/p1')

    expect(response.status).toBe(200)
    await response.text()
    expect(dns.asked).toEqual(['api.eachlabs.ai'])
    expect(relay.connectTo).toEqual([addresses])
  })

  it('answers upstream-unreachable for a name that does not resolve, without saying why DNS failed', async () => {
    const relay = await startRelay(relayConfig(), { resolveHost: dnsTable({}) })
    open.push(relay)
    const answer = await bodyOf(await relayFetch(relay, 'https://gone.eachlabs.ai/outputs/1.png'))
    expect(answer).toEqual({ status: 502, code: 'upstream-unreachable', error: 'Team relay: could not reach gone.eachlabs.ai (its name does not resolve).' })
    expect(relay.outbound).toHaveLength(0)
  })
})

describe("the relay's Node fetch", () => {
  it('connects to the checked address it is given, never asking DNS for the name', async () => {
    const seen: Array<string | undefined> = []
    const server = createServer((req, res) => {
      seen.push(req.headers.host)
      res.end('pinned')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      // .invalid never resolves (RFC 6761): only the pin can lead anywhere
      const response = await createNodeUpstreamFetch()(`http://pinned.invalid:${port}/x`, { connectTo: [v4('127.0.0.1')] })
      expect(await response.text()).toBe('pinned')
      // the request still names the host (and TLS would still check its certificate against it)
      expect(seen).toEqual([`pinned.invalid:${port}`])
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})

describe('failures reaching a host', () => {
  it('are described without the address connected to', async () => {
    const upstream = await startUpstream(() => undefined)
    const origin = upstream.origin
    await upstream.close()
    const relay = await startRelay(relayConfig(), { testOnlyUpstreamRewrite: rewriteTo({ origin }) })
    open.push(relay)

    const answer = await bodyOf(await relayFetch(relay, 'https://api.eachlabs.ai/v1/prediction/p1'))

    expect(answer).toEqual({ status: 502, code: 'upstream-unreachable', error: 'Team relay: could not reach api.eachlabs.ai (connection refused).' })
  })

  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.7:443' }, 'connection refused'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames: DNS:internal.corp" }, 'its TLS certificate or handshake was not accepted'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate for internal.corp' }, 'its TLS certificate or handshake was not accepted'],
    [{ code: 'ECONNRESET', message: 'read ECONNRESET 192.168.1.4:443' }, 'the connection was closed'],
    [{ message: 'something else at 10.9.9.9' }, 'the connection failed']
  ])('in words that carry nothing of the network: %j', (cause, words) => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error(cause.message), cause) })
    expect(describeUpstreamFailure(error)).toBe(words)
  })
})
