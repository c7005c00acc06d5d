// A ReframeError reads as what happened, then what to do about it.
import { describe, expect, it } from 'vitest'
import { ACTIONS, ReframeError } from '../../src/core/reframe-error'

describe('ReframeError.userMessage', () => {
  it('ends the host reason with a full stop before the advice when the host gave none', () => {
    const error = new ReframeError('job-failed', 'The each::labs job failed: could not reframe (fake failure)')
    expect(error.userMessage).toBe(
      `The each::labs job failed: could not reframe (fake failure). ${ACTIONS['job-failed']}`
    )
  })

  it('keeps punctuation the message already has', () => {
    const error = new ReframeError('auth', 'each::labs rejected the API key (401).', { status: 401 })
    expect(error.userMessage).toBe(`each::labs rejected the API key (401). ${ACTIONS.auth}`)
    expect(error.status).toBe(401)
    expect(error.action).toBe(ACTIONS.auth)
  })

  it('says only that it was cancelled when the user cancelled', () => {
    expect(new ReframeError('cancelled', 'Cancelled').userMessage).toBe('Cancelled')
  })
})
