// The free key check each hosted provider offers on save, over real HTTP against the fakes: a right
// key is accepted, a wrong one refused with the host's status, anything else is "could not check".
import { describe, expect, it } from 'vitest'
import { createProvider } from '../../src/providers/registry'
import { harnessPerTest } from './support'

describe.each(['eachlabs', 'replicate'] as const)('%s key check', (id) => {
  const startHarness = harnessPerTest()
  const route = id === 'eachlabs' ? 'poll' : 'account'

  it('accepts the right key with one free GET and starts nothing', async () => {
    const { provider, fake } = await startHarness(id)
    expect(await provider.checkKey?.()).toEqual({ verdict: 'valid' })
    const made = fake.stats.requests.filter((r) => r.route !== 'preflight')
    expect(made.map((r) => [r.method, r.route])).toEqual([['GET', route]])
    expect(fake.stats.creates + fake.stats.uploads).toBe(0)
  })

  it('reports a wrong key as invalid with the status, without the key anywhere in the answer', async () => {
    const { provider } = await startHarness(id, {}, { apiKey: 'wrong-key-0123456789' })
    const check = await provider.checkKey?.()
    expect(check).toEqual({ verdict: 'invalid', status: 401 })
    expect(JSON.stringify(check)).not.toContain('wrong-key')
  })

  it('says it could not check when the host fails, and does not retry', async () => {
    const { provider, fake } = await startHarness(id)
    fake.faults.inject(route, { kind: 'status', status: 500 }, { times: 5 })
    expect(await provider.checkKey?.()).toEqual({ verdict: 'unknown', reason: 'unexpected', status: 500 })
    expect(fake.stats.requests.filter((r) => r.route === route)).toHaveLength(1)
  })

  it('says it could not check when the host cannot be reached', async () => {
    const { fake, config } = await startHarness(id)
    await fake.close()
    expect(await createProvider(id, config).checkKey?.()).toEqual({ verdict: 'unknown', reason: 'unreachable' })
  })

  it('passes a CORS preflight from origin null', async () => {
    const { fake } = await startHarness(id)
    const path = id === 'eachlabs' ? '/v1/prediction/luma-reframe-key-check-0000' : '/v1/account'
    const response = await fetch(`${fake.url}${path}`, {
      method: 'OPTIONS',
      headers: { Origin: 'null', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' }
    })
    expect(response.ok).toBe(true)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/)
  })
})

describe('fal key check', () => {
  const startHarness = harnessPerTest()

  it('has no free check, says so, and sends nothing', async () => {
    const { provider, fake } = await startHarness('fal')
    expect(await provider.checkKey?.()).toEqual({ verdict: 'unknown', reason: 'no-check' })
    expect(fake.stats.requests).toHaveLength(0)
  })
})
