// Token guessing is throttled: a client address that keeps failing the team-token check is answered
// 429 (with Retry-After) before its token is looked at, so even a right guess waits. Valid tokens
// never use up the allowance, and one address's failures do not hold back another's.
import { describe, expect, it } from 'vitest'
import { clientKey, createFailedTokenLimit } from '../../src/relay/failed-token-limit'
import type { RelayConfig } from '../../src/relay/relay-config'
import { closedAfterEach, TEAM_TOKEN, relayConfig, relayFetch, rewriteTo, startRelay, startUpstream, type RunningRelay } from './relay-harness'

const open = closedAfterEach()

const POLL = 'https://api.eachlabs.ai/v1/prediction/p1'
const WRONG = 'a-wrong-team-token-0123456789'

async function setUp(config: Partial<RelayConfig>) {
  const upstream = await startUpstream((_hit, res) => {
    res.end('{"status":"processing"}')
  })
  const relay = await startRelay({ ...relayConfig(), ...config }, { testOnlyUpstreamRewrite: rewriteTo(upstream) })
  open.push(upstream, relay)
  return { upstream, relay }
}

async function statusOf(relay: RunningRelay, token: string | null, headers: Record<string, string> = {}) {
  const response = await relayFetch(relay, POLL, { token, headers })
  const body = await response.text()
  return { status: response.status, code: response.headers.get('x-relay-error'), retryAfter: response.headers.get('retry-after'), body }
}

describe('wrong or missing team tokens', () => {
  it('are answered 429 busy with Retry-After past the allowance, even when the next guess is right', async () => {
    const { upstream, relay } = await setUp({ unauthRatePerMinute: 3 })
    const answers = [await statusOf(relay, WRONG), await statusOf(relay, null), await statusOf(relay, WRONG)]
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401])

    const throttled = await statusOf(relay, WRONG)
    expect({ status: throttled.status, code: throttled.code }).toEqual({ status: 429, code: 'busy' })
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1)
    expect(JSON.parse(throttled.body).error).toMatch(/^Team relay: too many requests with a wrong or missing team token from this address; retry in \d+ s\.$/)
    // the right token from the same address waits too, or guessing would go on at full speed
    expect((await statusOf(relay, TEAM_TOKEN)).status).toBe(429)
    expect(upstream.hits).toHaveLength(0)
  })

  it('are counted per client address, as named by the configured proxy header (its last entry)', async () => {
    const { relay } = await setUp({ unauthRatePerMinute: 2, clientIpHeader: 'x-forwarded-for' })
    const attacker = { 'X-Forwarded-For': '198.51.100.7, 203.0.113.9' }
    // a client cannot pick its address by writing its own header entry: only the proxy's last one counts
    const spoofing = { 'X-Forwarded-For': '192.0.2.1, 203.0.113.9' }
    expect((await statusOf(relay, WRONG, attacker)).status).toBe(401)
    expect((await statusOf(relay, WRONG, spoofing)).status).toBe(401)
    expect((await statusOf(relay, WRONG, attacker)).status).toBe(429)

    const colleague = { 'X-Forwarded-For': '203.0.113.10' }
    expect((await statusOf(relay, WRONG, colleague)).status).toBe(401)
    expect((await statusOf(relay, TEAM_TOKEN, colleague)).status).toBe(200)
  })

  it('share one allowance per IPv6 /64, since one host can hold every address in it', async () => {
    const { relay } = await setUp({ unauthRatePerMinute: 1, clientIpHeader: 'x-real-ip' })
    expect((await statusOf(relay, WRONG, { 'X-Real-IP': '2001:db8:1:2::1' })).status).toBe(401)
    expect((await statusOf(relay, WRONG, { 'X-Real-IP': '2001:db8:1:2:ffff::9' })).status).toBe(429)
    expect((await statusOf(relay, WRONG, { 'X-Real-IP': '2001:db8:1:3::1' })).status).toBe(401)
  })

  it('are the only requests that use up the allowance', async () => {
    const { relay } = await setUp({ unauthRatePerMinute: 2 })
    for (let i = 0; i < 5; i++) expect((await statusOf(relay, TEAM_TOKEN)).status).toBe(200)
    expect([(await statusOf(relay, WRONG)).status, (await statusOf(relay, WRONG)).status]).toEqual([401, 401])
  })
})

describe('createFailedTokenLimit', () => {
  it('gives an address its allowance back as the minute passes, and forgets addresses rather than grow without bound', () => {
    let t = 0
    const limit = createFailedTokenLimit({ perMinute: 2, now: () => t, maxClients: 2 })
    limit.failed('192.0.2.1')
    limit.failed('192.0.2.1')
    expect(limit.check('192.0.2.1')).toEqual({ ok: false, retryAfterSeconds: 30 })
    t += 30_000
    expect(limit.check('192.0.2.1')).toEqual({ ok: true })
    // two more addresses: the oldest is forgotten (it gets its whole allowance back, never less)
    limit.failed('192.0.2.2')
    limit.failed('192.0.2.2')
    limit.failed('192.0.2.3')
    limit.failed('192.0.2.3')
    expect([limit.check('192.0.2.2').ok, limit.check('192.0.2.3').ok]).toEqual([false, false])
  })

  it('names clients by address, IPv4-mapped IPv6 as IPv4, and anything else as one shared client', () => {
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('20010db800010002/64')
    expect([clientKey(undefined), clientKey('not an address')]).toEqual(['unknown', 'unknown'])
  })
})
