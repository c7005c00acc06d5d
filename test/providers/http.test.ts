// The pure parts of the HTTP layer: status -> kind, Retry-After, scrubbing, deadline and cancel.
import { describe, expect, it } from 'vitest'
import { ReframeError } from '../../src/core/reframe-error'
import { sleep, withDeadline } from '../../src/providers/http/deadline'
import { HostHttp } from '../../src/providers/http/host-http'
import { parseRetryAfter } from '../../src/providers/http/retry-policy'
import { kindForStatus } from '../../src/providers/http/status-error'
import { rejectionOf } from './support'

describe('kindForStatus', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [402, 'balance'],
    [400, 'invalid-input'],
    [422, 'invalid-input'],
    [429, 'rate-limit'],
    [500, 'host'],
    [503, 'host'],
    [404, 'host']
  ] as const)('%i -> %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind)
  })

  it('reads a 422 about the balance as a balance error (each::labs does this)', () => {
    expect(kindForStatus(422, 'Insufficient balance, please top up')).toBe('balance')
    expect(kindForStatus(422, 'aspect_ratio is invalid')).toBe('invalid-input')
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds, fractions and HTTP dates, capped, never negative', () => {
    expect(parseRetryAfter('2', 60_000)).toBe(2000)
    expect(parseRetryAfter('0.25', 60_000)).toBe(250)
    expect(parseRetryAfter('3600', 60_000)).toBe(60_000)
    expect(parseRetryAfter(new Date(Date.now() - 5000).toUTCString(), 60_000)).toBe(0)
    const future = parseRetryAfter(new Date(Date.now() + 10_000).toUTCString(), 60_000) ?? 0
    expect(future).toBeGreaterThan(8000)
    expect(future).toBeLessThanOrEqual(10_000)
    expect(parseRetryAfter(null, 60_000)).toBeUndefined()
    expect(parseRetryAfter('soon', 60_000)).toBeUndefined()
  })
})

describe('HostHttp.scrub', () => {
  it('removes the key and any auth header value', () => {
    const http = new HostHttp({ host: { name: 'x', messageOf: () => undefined }, secrets: ['sk-live-abcdef'] })
    expect(http.scrub('bad key sk-live-abcdef!')).toBe('bad key [redacted]!')
    expect(http.scrub('got Authorization: Bearer other-token-9')).toBe('got Authorization: Bearer [redacted]')
    expect(http.scrub('Key abc123:def456 was refused')).toBe('Key [redacted] was refused')
    expect(http.scrub('Invalid key provided')).toBe('Invalid key provided')
  })
})

describe('withDeadline', () => {
  it('rejects with timeout when the work outlasts the deadline, and aborts the work', async () => {
    let inner: AbortSignal | undefined
    const error = await rejectionOf(
      withDeadline(undefined, 30, 'The job', (signal) => {
        inner = signal
        return new Promise(() => undefined)
      })
    )
    expect(error).toBeInstanceOf(ReframeError)
    expect(error.kind).toBe('timeout')
    expect(error.message).toMatch(/^The job did not finish within/)
    expect(inner?.aborted).toBe(true)
  })

  it('rejects with cancelled when the caller aborts, even if the work ignores the signal', async () => {
    const controller = new AbortController()
    const pending = withDeadline(controller.signal, 60_000, 'The job', () => new Promise(() => undefined))
    controller.abort()
    expect((await rejectionOf(pending)).kind).toBe('cancelled')
  })

  it('aborts the inner signal once the work is done, so nothing it started lingers', async () => {
    let inner: AbortSignal | undefined
    await withDeadline(undefined, 60_000, 'x', async (signal) => {
      inner = signal
      return 1
    })
    expect(inner?.aborted).toBe(true)
  })
})

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const controller = new AbortController()
    const pending = sleep(60_000, controller.signal)
    controller.abort(new ReframeError('timeout', 'late'))
    expect((await rejectionOf(pending)).kind).toBe('timeout')
  })
})
