// The one place the providers talk HTTP, tying the pieces together for one host: its transport (fetch
// or the team relay), its key kept out of every message, and requests retried by the retry policy.
import type { z } from 'zod'
import type { ReframeError } from '../../core/reframe-error'
import type { EncodedImage } from '../../core/image-header'
import type { Transport } from '../provider'
import { scrubCredentials } from '../scrub-credentials'
import { abortReason, sleep, throwIfAborted } from './deadline'
import { resolveTuning, type HttpTuning, type TuningOverrides } from './http-tuning'
import { parseBody } from './parse-body'
import { poll } from './poll'
import { readImage } from './read-image'
import { isRetryable, retryDelay } from './retry-policy'
import { sendAttempt } from './send-attempt'
import { statusError, type HostSpeaker } from './status-error'

type RequestOptions = { timeoutMs?: number }

export class HostHttp {
  readonly host: HostSpeaker
  readonly tuning: HttpTuning
  private readonly transport: Transport
  private readonly secrets: string[]

  constructor(options: { host: HostSpeaker; transport?: Transport; secrets: (string | undefined)[]; tuning?: TuningOverrides }) {
    this.host = options.host
    this.tuning = resolveTuning(options.tuning)
    // bind: a bare `fetch` reference called as a method of another object throws "Illegal invocation" in browsers
    this.transport = options.transport ?? ((url, init) => globalThis.fetch(url, init))
    this.secrets = options.secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)
  }

  /** Sends a request (retrying what is worth retrying) and returns its JSON body checked against `schema`. */
  async json<S extends z.ZodType>(schema: S, url: string, init: RequestInit, signal: AbortSignal): Promise<z.infer<S>> {
    return this.request(url, init, signal, async (response) => this.parseBody(schema, await response.text()))
  }

  /** Sends a request and only checks it succeeded (an upload PUT). */
  async send(url: string, init: RequestInit, signal: AbortSignal): Promise<void> {
    await this.request(url, init, signal, async (response) => {
      await response.arrayBuffer()
    })
  }

  parseBody<S extends z.ZodType>(schema: S, text: string): z.infer<S> {
    return parseBody(schema, text, this.host.name, (t) => this.scrub(t))
  }

  /** Downloads a result: content type and size checked, bytes streamed under a cap, format sniffed. */
  async downloadImage(url: string, signal: AbortSignal): Promise<EncodedImage> {
    return this.request(url, { method: 'GET' }, signal, (response) => readImage(response, this.tuning.maxResultBytes, this.host.name), {
      timeoutMs: this.tuning.downloadTimeoutMs
    })
  }

  /** Calls `check` at the poll interval until it returns a value; deadline and cancel come from `signal`. */
  async poll<T>(check: () => Promise<T | undefined>, signal: AbortSignal): Promise<T> {
    return poll(check, this.tuning.poll, signal)
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
    const { attempts } = this.tuning.retry
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal)
      try {
        return await sendAttempt(url, init, signal, read, context)
      } catch (error) {
        if (signal.aborted) throw abortReason(signal)
        if (!isRetryable(error) || attempt >= attempts) throw error
        await sleep(retryDelay(error as ReframeError, attempt, this.tuning.retry), signal)
      }
    }
  }
}
