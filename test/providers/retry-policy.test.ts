// The one retry policy, decision by decision: what is asked again, for how long, and which failed
// creates are never sent again because the host may have started (and billed) the job.
import { describe, expect, it } from 'vitest'
import { ReframeError } from '../../src/core/reframe-error'
import { DEFAULT_TUNING } from '../../src/providers/http/http-tuning'
import { RequestFailure, type Reach } from '../../src/providers/http/request-failure'
import { decideRetry, isRetryable, mayHaveStarted, type RetryMode } from '../../src/providers/http/retry-policy'
import { relayRefusal } from '../../src/providers/http/relay-refusal'

const tuning = DEFAULT_TUNING.retry
const status = (code: number) => new RequestFailure(new ReframeError(code === 429 ? 'rate-limit' : 'host', `fal failed (${code}).`, { status: code }), 'refused', isRetryable(new ReframeError('host', 'x', { status: code })))
const lost = (reach: Reach) => new RequestFailure(new ReframeError('network', 'Could not reach fal.'), reach, true)
const decide = (mode: RetryMode, failure: RequestFailure, attempt = 1) => decideRetry(mode, failure, attempt, tuning, 'fal')

describe('decideRetry', () => {
  it('retries a create only when the host certainly did not start the job', () => {
    expect(decide('create', lost('unsent')).retry).toBe(true)
    for (const code of [408, 409, 429, 500, 502, 503]) expect({ code, retry: decide('create', status(code)).retry }).toEqual({ code, retry: true })
  })

  it('reports a create that may have started as uncertain, never sent again', () => {
    for (const failure of [lost('unanswered'), lost('accepted'), status(504), status(524)]) {
      const decision = decide('create', failure)
      expect(decision.retry).toBe(false)
      if (!decision.retry) {
        expect(decision.error.kind).toBe('uncertain')
        expect(decision.error.message).toMatch(/The job may have started on fal; it was not sent again so it is not paid twice\.$/)
      }
    }
  })

  it('never retries a refusal that will not pass (400, 401, 402, 403, 404, 422), in any mode', () => {
    for (const mode of ['bounded', 'create', 'until-deadline'] as const) {
      for (const code of [400, 401, 402, 403, 404, 422]) expect({ mode, code, retry: decide(mode, status(code)).retry }).toEqual({ mode, code, retry: false })
    }
  })

  it('bounds uploads to the configured attempts, and retries polls and downloads for as long as the deadline allows', () => {
    expect(decide('bounded', status(502), tuning.attempts - 1).retry).toBe(true)
    expect(decide('bounded', status(502), tuning.attempts).retry).toBe(false)
    expect(decide('until-deadline', status(502), 10_000).retry).toBe(true)
    expect(decide('until-deadline', lost('accepted'), 10_000).retry).toBe(true)
    expect(decide('once', status(502)).retry).toBe(false)
  })

  it("waits the host's Retry-After, else a backoff that never exceeds its ceiling", () => {
    const limited = new RequestFailure(new ReframeError('rate-limit', 'busy', { status: 429, retryAfterMs: 1234 }), 'refused', true)
    expect(decide('until-deadline', limited, 50)).toEqual({ retry: true, delayMs: 1234 })
    const far = decide('until-deadline', status(502), 5000)
    expect(far.retry && far.delayMs <= tuning.maxDelayMs && far.delayMs >= tuning.maxDelayMs / 2).toBe(true)
  })
})

describe('mayHaveStarted, for refusals by the team relay', () => {
  const refusal = (code: string, said?: string) => new RequestFailure(relayRefusal({ code, status: 502, host: 'fal', said }), 'refused', true)

  it('knows the relay forwarded nothing when it refused on its own (busy, bad token...)', () => {
    expect(mayHaveStarted(refusal('busy'))).toBe(false)
    expect(mayHaveStarted(refusal('bad-token'))).toBe(false)
  })

  it('reads "could not reach" as unsent only when the relay never connected', () => {
    expect(mayHaveStarted(refusal('upstream-unreachable', 'Team relay: could not reach queue.fal.run (connect ECONNREFUSED 1.2.3.4:443).'))).toBe(false)
    expect(mayHaveStarted(refusal('upstream-unreachable', 'Team relay: could not reach queue.fal.run (other side closed).'))).toBe(true)
    expect(mayHaveStarted(refusal('maintenance'))).toBe(true)
  })
})
