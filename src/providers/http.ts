// The one place the providers talk HTTP: transport (fetch or a relay), retries with backoff and
// Retry-After, status -> ReframeError with the host's own words, zod-checked bodies, cancel and
// deadline through AbortSignal, the poll loop, and capped result downloads sniffed from their bytes.
// Refusals by the team relay itself (X-Relay-Error) become relay errors, not the provider's.
import type { z } from 'zod'
import { ReframeError, type ReframeErrorKind } from '../core/reframe-error'
import { BALANCE_MESSAGE, RETRY_AFTER_FALLBACK_MS, RETRY_AFTER_MAX_MS } from './guesses'
import { encodedImageOf, type EncodedImage } from '../core/image-header'
import type { Transport } from './provider'
import { isRetryableRelayRefusal, relayRefusal } from './relay-refusal'
import { scrubCredentials } from './scrub-credentials'
import { RELAY_ERROR_HEADER } from '../protocol/relay-protocol'

export type RetryPolicy = {
  /** Attempts in total, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Wait after a 429/503 whose Retry-After is missing or unreadable. */
  retryAfterFallbackMs: number
  retryAfterMaxMs: number
}

export type PollPolicy = { firstDelayMs: number; growth: number; ceilingMs: number }

export type HttpTuning = {
  retry: RetryPolicy
  poll: PollPolicy
  /** Overall deadline of one reframe job (create, poll, download). */
  jobDeadlineMs: number
  /** Deadline of one upload (presign + PUT, or the Files API call). */
  uploadDeadlineMs: number
  /** One request without an answer this long counts as a connection error (retried). */
  requestTimeoutMs: number
  /** One result download (headers and body). */
  downloadTimeoutMs: number
  maxResultBytes: number
}

export const DEFAULT_TUNING: HttpTuning = {
  retry: {
    attempts: 4,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    retryAfterFallbackMs: RETRY_AFTER_FALLBACK_MS,
    retryAfterMaxMs: RETRY_AFTER_MAX_MS
  },
  // jobs average 25-60 s: a quick first look, then every 3 s, so a finished job waits ~1.5 s on
  // average to be noticed (a slot held idle longer costs the whole batch; a GET costs nothing)
  poll: { firstDelayMs: 1_000, growth: 1.5, ceilingMs: 3_000 },
  jobDeadlineMs: 10 * 60_000,
  uploadDeadlineMs: 3 * 60_000,
  requestTimeoutMs: 60_000,
  downloadTimeoutMs: 120_000,
  // largest real output is 2432x1024; 16 MB leaves room for a PNG and refuses runaway bodies
  maxResultBytes: 16 * 1024 * 1024
}

export type TuningOverrides = Partial<Omit<HttpTuning, 'retry' | 'poll'>> & {
  retry?: Partial<RetryPolicy>
  poll?: Partial<PollPolicy>
}

export function resolveTuning(overrides: TuningOverrides = {}): HttpTuning {
  return {
    ...DEFAULT_TUNING,
    ...overrides,
    retry: { ...DEFAULT_TUNING.retry, ...overrides.retry },
    poll: { ...DEFAULT_TUNING.poll, ...overrides.poll }
  }
}

/** How one host is named to a person and where its error bodies keep their message. */
export type HostSpeaker = { name: string; messageOf: (body: unknown) => string | undefined }

type RequestOptions = { timeoutMs?: number }

const RETRYABLE_STATUSES = new Set([408, 409, 429])

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
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch (cause) {
      throw new ReframeError('malformed', `${this.host.name} answered with something that is not JSON.`, { cause })
    }
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : ''
      throw new ReframeError(
        'malformed',
        this.scrub(`${this.host.name} answered in an unexpected shape${where}: ${issue?.message ?? 'invalid'}.`)
      )
    }
    return parsed.data
  }

  /** Downloads a result: content type and size checked, bytes streamed under a cap, format sniffed. */
  async downloadImage(url: string, signal: AbortSignal): Promise<EncodedImage> {
    return this.request(url, { method: 'GET' }, signal, (response) => this.readImage(response), {
      timeoutMs: this.tuning.downloadTimeoutMs
    })
  }

  /**
   * Calls `check` after a short first wait, then at a growing interval up to a ceiling, until it returns
   * a value. The deadline and cancel come from `signal` (see withDeadline).
   */
  async poll<T>(check: () => Promise<T | undefined>, signal: AbortSignal): Promise<T> {
    const { firstDelayMs, growth, ceilingMs } = this.tuning.poll
    let delay = firstDelayMs
    for (;;) {
      await sleep(delay, signal)
      const result = await check()
      if (result !== undefined) return result
      delay = Math.min(ceilingMs, delay * growth)
    }
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
    const { attempts } = this.tuning.retry
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal)
      try {
        return await this.attemptOnce(url, init, signal, read, options.timeoutMs ?? this.tuning.requestTimeoutMs)
      } catch (error) {
        if (signal.aborted) throw abortReason(signal)
        if (!isRetryable(error) || attempt >= attempts) throw error
        await sleep(this.retryDelay(error as ReframeError, attempt), signal)
      }
    }
  }

  private async attemptOnce<T>(
    url: string,
    init: RequestInit,
    signal: AbortSignal,
    read: (response: Response) => Promise<T>,
    timeoutMs: number
  ): Promise<T> {
    const attempt = new AbortController()
    const stop = linkAbort(signal, attempt)
    const timer = setTimeout(
      () => attempt.abort(new ReframeError('network', `${this.host.name} did not answer within ${seconds(timeoutMs)} s.`)),
      timeoutMs
    )
    let done = false
    try {
      const work = (async () => {
        let response: Response
        try {
          response = await this.transport(url, { ...init, signal: attempt.signal })
        } catch (cause) {
          if (attempt.signal.aborted) throw abortReason(attempt.signal)
          throw new ReframeError('network', `Could not reach ${this.host.name}.`, { cause: this.scrubCause(cause) })
        }
        if (!response.ok) throw await this.statusError(response)
        return read(response)
      })()
      const result = await raceAbort(work, attempt.signal)
      done = true
      return result
    } finally {
      clearTimeout(timer)
      stop()
      // a failed or abandoned attempt must not keep its connection (or a half-read body) open
      if (!done) attempt.abort(new ReframeError('cancelled', 'Cancelled.'))
    }
  }

  private async statusError(response: Response): Promise<ReframeError> {
    const status = response.status
    const text = await response.text().catch(() => '')
    // relay bodies carry both `error` and `detail`, so every host's messageOf reads them
    const hostMessage = this.hostMessageFrom(text, response.headers.get('content-type') ?? '')
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.tuning.retry.retryAfterMaxMs)
    const relayCode = response.headers.get(RELAY_ERROR_HEADER)
    if (relayCode !== null) return relayRefusal({ code: relayCode, status, host: this.host.name, said: hostMessage, retryAfterMs })
    const kind = kindForStatus(status, hostMessage)
    const said = hostMessage ? `: ${hostMessage}` : ''
    return new ReframeError(kind, `${statusSentence(kind, this.host.name, status)}${said}.`.replace(/\.\.$/, '.'), {
      status,
      hostMessage,
      retryAfterMs
    })
  }

  private hostMessageFrom(text: string, contentType: string): string | undefined {
    let message: string | undefined
    try {
      message = this.host.messageOf(JSON.parse(text))
    } catch {
      // not JSON: plain text is the host's words; an HTML error page (proxy, CDN) is not worth showing
      if (!/html/i.test(contentType) && !/^\s*</.test(text)) message = text.trim()
    }
    if (!message) return undefined
    const oneLine = this.scrub(message).replace(/\s+/g, ' ').trim()
    return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine
  }

  private retryDelay(error: ReframeError, attempt: number): number {
    const { baseDelayMs, maxDelayMs, retryAfterFallbackMs } = this.tuning.retry
    if (error.retryAfterMs !== undefined) return error.retryAfterMs
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
    const jittered = backoff / 2 + Math.random() * (backoff / 2)
    const busy = error.status === 429 || error.status === 503
    return busy ? Math.max(jittered, retryAfterFallbackMs) : jittered
  }

  private async readImage(response: Response): Promise<EncodedImage> {
    const cap = this.tuning.maxResultBytes
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
    const acceptable = type === '' || type.startsWith('image/') || type === 'application/octet-stream' || type === 'binary/octet-stream'
    if (!acceptable) {
      await response.body?.cancel().catch(() => undefined)
      throw new ReframeError('not-image', `${this.host.name} returned ${type} instead of an image.`)
    }
    const declared = Number(response.headers.get('content-length') ?? NaN)
    if (declared > cap) {
      await response.body?.cancel().catch(() => undefined)
      throw tooLarge(this.host.name, cap)
    }
    const bytes = await readCapped(response, cap, this.host.name)
    const image = encodedImageOf(bytes)
    if (image === null) throw new ReframeError('not-image', `${this.host.name} returned a file that is not a PNG, JPEG, WebP or GIF image.`)
    return image
  }

  private scrubCause(cause: unknown): unknown {
    return cause instanceof Error ? new Error(this.scrub(cause.message)) : undefined
  }
}

async function readCapped(response: Response, cap: number, host: string): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer())
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > cap) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(host, cap)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

function tooLarge(host: string, cap: number): ReframeError {
  return new ReframeError('not-image', `${host} returned a result larger than ${Math.round(cap / 1024 / 1024)} MB.`)
}

export function kindForStatus(status: number, hostMessage?: string): ReframeErrorKind {
  if (status === 401 || status === 403) return 'auth'
  if (status === 402) return 'balance'
  if (status === 400 || status === 422) return hostMessage && BALANCE_MESSAGE.test(hostMessage) ? 'balance' : 'invalid-input'
  if (status === 429) return 'rate-limit'
  return 'host'
}

function statusSentence(kind: ReframeErrorKind, host: string, status: number): string {
  switch (kind) {
    case 'auth':
      return `${host} rejected the API key (${status})`
    case 'balance':
      return `${host} says the account balance is too low (${status})`
    case 'invalid-input':
      return `${host} rejected the request (${status})`
    case 'rate-limit':
      return `${host} is at its rate or concurrency limit (${status})`
    default:
      return `${host} failed (${status})`
  }
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof ReframeError)) return false
  if (error.relayCode !== undefined) return isRetryableRelayRefusal(error.relayCode, error.status)
  if (error.kind === 'network') return true
  const status = error.status
  return status !== undefined && (RETRYABLE_STATUSES.has(status) || status >= 500)
}

/** Retry-After as seconds (fractions accepted) or an HTTP date; capped. */
export function parseRetryAfter(value: string | null, maxMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const secondsValue = Number(value)
  const ms = Number.isFinite(secondsValue) ? secondsValue * 1000 : Date.parse(value) - Date.now()
  if (!Number.isFinite(ms)) return undefined
  return Math.min(maxMs, Math.max(0, ms))
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}

function cancelledError(): ReframeError {
  return new ReframeError('cancelled', 'Cancelled.')
}

/** The ReframeError an aborted signal stands for: its reason when it is one, otherwise "cancelled". */
export function abortReason(signal: AbortSignal): ReframeError {
  return signal.reason instanceof ReframeError ? signal.reason : cancelledError()
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal)
}

/** Rejects as soon as `signal` aborts, whatever `work` is waiting on. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined)
    return Promise.reject(abortReason(signal))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}

/** Aborts `target` when `source` aborts; returns the unlink function. */
function linkAbort(source: AbortSignal | undefined, target: AbortController): () => void {
  if (!source) return () => undefined
  if (source.aborted) {
    target.abort(source.reason)
    return () => undefined
  }
  const onAbort = () => target.abort(source.reason)
  source.addEventListener('abort', onAbort, { once: true })
  return () => source.removeEventListener('abort', onAbort)
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal))
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `work` with a signal that aborts when the caller cancels (-> 'cancelled') or when `ms` pass
 * (-> 'timeout', naming `what`). Rejects at once in both cases, even if `work` is stuck.
 */
export async function withDeadline<T>(
  signal: AbortSignal | undefined,
  ms: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>
): Promise<T> {
  if (signal?.aborted) throw cancelledError()
  const controller = new AbortController()
  const onCancel = () => controller.abort(cancelledError())
  signal?.addEventListener('abort', onCancel, { once: true })
  const timer = setTimeout(
    () => controller.abort(new ReframeError('timeout', `${what} did not finish within ${seconds(ms)} s.`)),
    ms
  )
  try {
    return await raceAbort(work(controller.signal), controller.signal)
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onCancel)
    // stop anything `work` left running (a poll sleep, a request) once we have an answer
    if (!controller.signal.aborted) controller.abort(cancelledError())
  }
}
