// Progress as the UI wants it: each state once (a poll that finds the same state again says nothing new).
import { ReframeError } from '../core/reframe-error'
import type { ProgressEvent } from './provider'

export function progressReporter(onProgress?: (event: ProgressEvent) => void): (event: ProgressEvent) => void {
  let last = ''
  return (event) => {
    const key = `${event.state}|${event.detail ?? ''}`
    if (!onProgress || key === last) return
    last = key
    onProgress(event)
  }
}

/** Every failure as a ReframeError: a bug or an unexpected throw still reaches a person as a sentence. */
export function asReframeError(error: unknown, host: string): ReframeError {
  if (error instanceof ReframeError) return error
  return new ReframeError('host', `Something unexpected happened while talking to ${host}.`, { cause: error })
}
