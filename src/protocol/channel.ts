// One request/response channel used by both sides (main and UI). Every request has an id and gets
// exactly one response; a handler that throws sends the error back and rejects the caller's promise.
// Every incoming message is validated; an invalid one is logged with its reason and not acted on.
import type * as z from 'zod/mini'
import './zod-english'
import {
  EnvelopeSchema,
  Events,
  Requests,
  type Envelope,
  type EventName,
  type EventPayload,
  type RequestMethod,
  type RequestParams,
  type RequestResult
} from './messages'

export type Handlers = {
  [M in RequestMethod]?: (params: RequestParams<M>) => Promise<RequestResult<M>> | RequestResult<M>
}

export type ChannelOptions = {
  /** Sends one envelope to the other side. */
  post: (message: Envelope) => void
  /** Registers the receiver of raw incoming messages; returns an unsubscribe function. */
  subscribe: (receive: (message: unknown) => void) => () => void
  handlers?: Handlers
  /** Where rejected messages are reported. Never receives message contents, only reasons. */
  log?: (reason: string) => void
  /** Default time a request waits for its response before rejecting (ms); 0 waits forever. */
  timeoutMs?: number
}

export class ChannelError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChannelError'
  }
}

export type Channel = {
  request<M extends RequestMethod>(
    method: M,
    params: RequestParams<M>,
    options?: { timeoutMs?: number }
  ): Promise<RequestResult<M>>
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
  close(): void
}

type Pending = {
  method: RequestMethod
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  timer?: ReturnType<typeof setTimeout>
}

let counter = 0
function nextId(): string {
  counter += 1
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

/**
 * Own keys only: `constructor`, `toString` or `__proto__` are found `in` any object literal. This is
 * Object.hasOwn; the main thread is built for ES2017 and Figma's sandbox need not have ES2022's API.
 */
function hasOwnKey(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key)
}

function isRequestMethod(method: string): method is RequestMethod {
  return hasOwnKey(Requests, method)
}

function isEventName(name: string): name is EventName {
  return hasOwnKey(Events, name)
}

/** A zod error as a short reason: paths and messages only, never the values (they may hold a key). */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ')
}

export function createChannel(options: ChannelOptions): Channel {
  const { post, handlers = {}, log = (reason) => console.warn(`[luma-reframe] ${reason}`) } = options
  const pending = new Map<string, Pending>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  function respondError(id: string, error: unknown) {
    const message = error instanceof Error ? error.message : String(error)
    try {
      post({ kind: 'response', id, ok: false, error: message || 'Unknown error' })
    } catch (postError) {
      // the other side is gone or the reply cannot be sent: nothing is left to answer
      log(`could not answer request ${id}: ${postError instanceof Error ? postError.message : String(postError)}`)
    }
  }

  async function handleRequest(id: string, method: string, rawParams: unknown) {
    // whatever goes wrong below (a throwing getter in the params, a broken handler table), the caller
    // hears about it once instead of waiting for its timeout
    try {
      post({ kind: 'response', id, ok: true, result: await answer(method, rawParams) })
    } catch (error) {
      respondError(id, error)
    }
  }

  async function answer(method: string, rawParams: unknown): Promise<unknown> {
    if (!isRequestMethod(method)) {
      log(`rejected request "${method}": unknown method`)
      throw new ChannelError(`Unknown request "${method}"`)
    }
    const parsed = Requests[method].params.safeParse(rawParams)
    if (!parsed.success) {
      const reason = describeIssues(parsed.error)
      log(`rejected request "${method}": ${reason}`)
      throw new ChannelError(`Invalid request "${method}": ${reason}`)
    }
    const handler = hasOwnKey(handlers, method) ? (handlers[method] as ((p: unknown) => unknown) | undefined) : undefined
    if (handler === undefined) throw new ChannelError(`No handler for "${method}"`)
    return handler(parsed.data)
  }

  function handleResponse(envelope: Extract<Envelope, { kind: 'response' }>) {
    const waiting = pending.get(envelope.id)
    if (waiting === undefined) {
      log(`ignored response to unknown request ${envelope.id}`)
      return
    }
    pending.delete(envelope.id)
    if (waiting.timer !== undefined) clearTimeout(waiting.timer)
    if (!envelope.ok) {
      waiting.reject(new ChannelError(envelope.error))
      return
    }
    const parsed = Requests[waiting.method].result.safeParse(envelope.result)
    if (!parsed.success) {
      const reason = describeIssues(parsed.error)
      log(`rejected response to "${waiting.method}": ${reason}`)
      waiting.reject(new ChannelError(`Invalid response to "${waiting.method}": ${reason}`))
      return
    }
    waiting.resolve(parsed.data)
  }

  function handleEvent(name: string, rawPayload: unknown) {
    if (!isEventName(name)) {
      log(`rejected event "${name}": unknown event`)
      return
    }
    let parsed
    try {
      parsed = Events[name].safeParse(rawPayload)
    } catch (error) {
      // a payload whose getters throw: an event has no reply, so the reason goes to the log
      log(`rejected event "${name}": ${error instanceof Error ? error.message : String(error)}`)
      return
    }
    if (!parsed.success) {
      log(`rejected event "${name}": ${describeIssues(parsed.error)}`)
      return
    }
    for (const listener of listeners.get(name) ?? []) listener(parsed.data)
  }

  function receive(raw: unknown) {
    const envelope = EnvelopeSchema.safeParse(raw)
    if (!envelope.success) {
      log(`rejected message: ${describeIssues(envelope.error)}`)
      return
    }
    const message = envelope.data
    if (message.kind === 'request') void handleRequest(message.id, message.method, message.params)
    else if (message.kind === 'response') handleResponse(message)
    else handleEvent(message.name, message.payload)
  }

  const unsubscribe = options.subscribe(receive)

  return {
    request(method, params, requestOptions = {}) {
      const id = nextId()
      const timeoutMs = requestOptions.timeoutMs ?? options.timeoutMs ?? 0
      return new Promise((resolve, reject) => {
        const entry: Pending = { method, resolve: resolve as (v: unknown) => void, reject }
        if (timeoutMs > 0) {
          entry.timer = setTimeout(() => {
            pending.delete(id)
            reject(new ChannelError(`"${method}" got no answer within ${Math.round(timeoutMs / 1000)} s`))
          }, timeoutMs)
        }
        pending.set(id, entry)
        post({ kind: 'request', id, method, params })
      })
    },
    emit(name, payload) {
      post({ kind: 'event', name, payload })
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(name, set)
      return () => set.delete(listener as (payload: unknown) => void)
    },
    close() {
      unsubscribe()
      for (const [id, waiting] of pending) {
        if (waiting.timer !== undefined) clearTimeout(waiting.timer)
        waiting.reject(new ChannelError('The plugin connection closed'))
        pending.delete(id)
      }
    }
  }
}
