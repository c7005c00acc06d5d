// The relay reads only environment variables; a wrong or missing one stops it with a message naming it.
import { describe, expect, it } from 'vitest'
import { readRelayConfig } from '../../src/relay/relay-config'

const TOKEN = 'a-team-token-of-enough-length'

describe('readRelayConfig', () => {
  it('reads keys, tokens, origins and limits, with the documented defaults', () => {
    const read = readRelayConfig({ FAL_KEY: ' fal-key ', RELAY_TEAM_TOKENS: ` ${TOKEN} , second-token-0123456789 `, RELAY_ALLOWED_ORIGINS: 'https://a.example.com' })
    expect(read).toEqual({
      ok: true,
      config: {
        keys: { eachlabs: undefined, fal: 'fal-key', replicate: undefined },
        teamTokens: [TOKEN, 'second-token-0123456789'],
        allowedOrigins: ['null', 'https://a.example.com'],
        maxBodyBytes: 50 * 1024 * 1024,
        maxConcurrent: 24,
        ratePerMinute: 600,
        unauthRatePerMinute: 30,
        clientIpHeader: undefined,
        upstreamFirstByteMs: 30_000,
        upstreamIdleMs: 30_000,
        port: 8787
      }
    })
  })

  it('reads the allowance for wrong tokens and the proxy header naming the client', () => {
    const read = readRelayConfig({ RELAY_TEAM_TOKENS: TOKEN, RELAY_UNAUTH_RATE_PER_MINUTE: '10', RELAY_CLIENT_IP_HEADER: ' X-Forwarded-For ' })
    expect(read.ok && { rate: read.config.unauthRatePerMinute, header: read.config.clientIpHeader }).toEqual({ rate: 10, header: 'x-forwarded-for' })
  })

  it('reads the upstream timeouts in seconds', () => {
    const read = readRelayConfig({ RELAY_TEAM_TOKENS: TOKEN, RELAY_UPSTREAM_FIRST_BYTE_SECONDS: '20', RELAY_UPSTREAM_IDLE_SECONDS: '5' })
    expect(read.ok && { firstByte: read.config.upstreamFirstByteMs, idle: read.config.upstreamIdleMs }).toEqual({ firstByte: 20_000, idle: 5_000 })
  })

  it.each([
    [{}, /RELAY_TEAM_TOKENS: set at least one team token/],
    [{ RELAY_TEAM_TOKENS: 'short' }, /at least 16 characters/],
    [{ RELAY_TEAM_TOKENS: TOKEN, RELAY_ALLOWED_ORIGINS: 'https://a.example.com/path' }, /RELAY_ALLOWED_ORIGINS.*origin/],
    [{ RELAY_TEAM_TOKENS: TOKEN, PORT: 'eighty' }, /PORT: must be a whole number/],
    [{ RELAY_TEAM_TOKENS: TOKEN, RELAY_MAX_CONCURRENT: '0' }, /RELAY_MAX_CONCURRENT: must be a whole number from 1/],
    [{ RELAY_TEAM_TOKENS: TOKEN, RELAY_CLIENT_IP_HEADER: 'X-Forwarded-For: 1.2.3.4' }, /RELAY_CLIENT_IP_HEADER: must be a header name/],
    [{ RELAY_TEAM_TOKENS: TOKEN, RELAY_UPSTREAM_FIRST_BYTE_SECONDS: '0.5' }, /RELAY_UPSTREAM_FIRST_BYTE_SECONDS: must be a whole number from 1 to 600/]
  ])('refuses to start on %j', (env, message) => {
    const read = readRelayConfig(env)
    expect(read.ok).toBe(false)
    if (!read.ok) expect(read.message).toMatch(message)
  })

  it('never repeats a secret in its error message', () => {
    const read = readRelayConfig({ RELAY_TEAM_TOKENS: 'tooshort-secret', EACHLABS_API_KEY: 'each-key-value' })
    expect(read.ok).toBe(false)
    if (!read.ok) {
      expect(read.message).not.toContain('tooshort-secret')
      expect(read.message).not.toContain('each-key-value')
    }
  })
})
