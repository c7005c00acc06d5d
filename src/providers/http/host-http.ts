// The one place the providers talk HTTP, tying the pieces together for one host: its transport (fetch
// or the team relay), its key kept out of every message, and each request retried as its purpose
// allows (retry-policy.ts): a create never twice when it may have started a job, a poll or a download
// of an accepted job until the job's deadline.
import type * as z from 'zod/mini'
import type { ReframeError } from '../../core/reframe-error'
import type { EncodedImage } from '../../core/image-header'
import type { Transport } from '../provider'
import { scrubCredentials } from '../scrub-credentials'
import { abortReason, sleep } from './deadline'
import { resolveTuning, type HttpTuning, type TuningOverrides } from './http-tuning'
import { parseBody } from './parse-body'
import { poll } from './poll'
import { readImage } from './read-image'
import { RequestFailure } from './request-failure'
import { decideRetry, type RetryMode } from './retry-policy'
import { sendAttempt } from './send-attempt'
import { statusError, type HostSpeaker } from './status-error'

export type RequestOptions = {
  /** How failures of this request are retried (default `bounded`). */
  retry?: RetryMode
  /** One attempt without a complete answer this long fails (default `requestTimeoutMs`). */
  timeoutMs?: number
}

export class HostHttp {
  readonly host: HostSpeaker
  readonly tuning: HttpTuning
  private readonly transport: Transport
  private readonly secrets: string[]
  /** The failure still being retried under each signal (a job's), for a deadline to name; cleared by a success. */
  private readonly retrying = new WeakMap<AbortSignal, ReframeError>()

  constructor(options: { host: HostSpeaker; transport?: Transport; secrets: (string | undefined)[]; tuning?: TuningOverrides }) {
    this.host = options.host
    this.tuning = resolveTuning(options.tuning)
    // bind: a bare `fetch` reference called as a method of another object throws "Illegal invocation" in browsers
    this.transport = options.transport ?? ((url, init) => globalThis.fetch(url, init))
    this.secrets = options.secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)
  }

  /** Sends a request and returns its JSON body checked against `schema`. */
  async json<S extends z.ZodMiniType>(schema: S, url: string, init: RequestInit, signal: AbortSignal, options?: RequestOptions): Promise<z.infer<S>> {
    return this.request(url, init, signal, async (response) => parseBody(schema, await response.text(), this.host.name, (t) => this.scrub(t)), options)
  }

  /** Sends a request and only checks it succeeded (an upload PUT, a cancel). */
  async send(url: string, init: RequestInit, signal: AbortSignal, options?: RequestOptions): Promise<void> {
    await this.request(
      url,
      init,
      signal,
      async (response) => {
        await response.arrayBuffer()
      },
      options
    )
  }

  /**
   * Downloads a job's result, retried until the job's deadline: content type and size checked, bytes
   * streamed under a cap, format sniffed.
   */
  async downloadImage(url: string, signal: AbortSignal): Promise<EncodedImage> {
    const read = (response: Response) => readImage(response, this.tuning.maxResultBytes, this.host.name)
    return this.request(url, { method: 'GET' }, signal, read, { retry: 'until-deadline', timeoutMs: this.tuning.downloadTimeoutMs })
  }

  /** Calls `check` at the poll interval until it returns a value; deadline and cancel come from `signal`. */
  async poll<T>(check: () => Promise<T | undefined>, signal: AbortSignal): Promise<T> {
    return poll(check, this.tuning.poll, signal)
  }

  /** What is failing and being retried right now under `signal`, if anything (see withDeadline). */
  lastFailure(signal: AbortSignal): ReframeError | undefined {
    return this.retrying.get(signal)
  }

  /** Replaces the key (and anything that looks like an auth header value) in text meant for a person. */
  scrub(text: string): string {
    return scrubCredentials(text, this.secrets)
  }

  private async request<T>(
    url: string,
    init: RequestInit,
    signal: AbortSignal,
    read: (response: Response) => Promise<T>,
    options: RequestOptions = {}
  ): Promise<T> {
    const scrub = (text: string) => this.scrub(text)
    const context = {
      transport: this.transport,
      host: this.host.name,
      timeoutMs: options.timeoutMs ?? this.tuning.requestTimeoutMs,
      statusError: (response: Response) => statusError(response, this.host, scrub, this.tuning.retry.retryAfterMaxMs),
      scrub
    }
    for (let attempt = 1; ; attempt++) {
      let result: T
      try {
        if (signal.aborted) throw abortReason(signal)
        result = await sendAttempt(url, init, signal, read, context)
      } catch (thrown) {
        if (signal.aborted) throw abortReason(signal)
        if (!(thrown instanceof RequestFailure)) throw thrown
        const decision = decideRetry(options.retry ?? 'bounded', thrown, attempt, this.tuning.retry, this.host.name)
        if (!decision.retry) throw decision.error
        this.retrying.set(signal, thrown.error)
        await sleep(decision.delayMs, signal)
        continue
      }
      this.retrying.delete(signal)
      return result
    }
  }
}
