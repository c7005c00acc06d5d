// Refusals by the team relay, told apart from the provider's answers by X-Relay-Error: every code's
// wording and retry rule. Through the real relay over HTTP: test/relay/relay-end-to-end.test.ts.
import { describe, expect, it } from 'vitest'
import { relayRefusal } from '../../src/providers/http/relay-refusal'
import { isRetryableRelayRefusal } from '../../src/providers/http/retry-policy'
import { RELAY_ERROR_CODES } from '../../src/protocol/relay-protocol'

describe('relayRefusal', () => {
  it.each(RELAY_ERROR_CODES)('%s: a "Team relay:" message with its own advice, never about the API key', (code) => {
    const error = relayRefusal({ code, status: 400, host: 'fal', said: 'Team relay: something specific.' })
    expect(error.message).toMatch(/^Team relay: .+\.$/)
    expect(error.message).not.toMatch(/\.\.$/)
    expect(error.relayCode).toBe(code)
    expect(error.userMessage).not.toContain('API key')
  })

  it('keeps the relay detail where it says which host or limit, without its prefix', () => {
    const error = relayRefusal({ code: 'bad-target', status: 403, host: 'fal', said: 'Team relay: v9.fal.example is not a provider host this relay serves.' })
    expect(error.message).toBe('Team relay: it will not forward this fal request (v9.fal.example is not a provider host this relay serves).')
    expect(error.hostMessage).toBe('Team relay: v9.fal.example is not a provider host this relay serves.')
  })

  it('reads an unknown code from a newer relay by its status, in its words', () => {
    const error = relayRefusal({ code: 'maintenance', status: 503, host: 'fal', said: 'Team relay: down for maintenance until 10:00.' })
    expect({ kind: error.kind, message: error.message }).toEqual({ kind: 'host', message: 'Team relay refused the request (503): down for maintenance until 10:00.' })
    expect(relayRefusal({ code: 'new-auth', status: 401, host: 'fal' }).kind).toBe('auth')
  })

  it('retries only a busy relay or an unreachable host (unknown codes by status)', () => {
    const retried = RELAY_ERROR_CODES.filter((code) => isRetryableRelayRefusal(code, 502))
    expect(retried).toEqual(['busy', 'upstream-unreachable'])
    expect(isRetryableRelayRefusal('maintenance', 503)).toBe(true)
    expect(isRetryableRelayRefusal('maintenance', 400)).toBe(false)
  })
})
