// One request/response channel used by both sides (main and UI). Every request has an id and gets
// exactly one response; a handler that throws sends the error back and rejects the caller's promise.
// Every incoming message is validated; an invalid one is logged with its reason and not acted on.
import type { z } from 'zod'
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

/** A zod error as a short reason: paths and messages only, never the values (they may hold a key). */
export function describeIssues(error: z.ZodError): string {
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
    post({ kind: 'response', id, ok: false, error: message || 'Unknown error' })
  }

  async function handleRequest(id: string, method: string, rawParams: unknown) {
    if (!(method in Requests)) {
      log(`rejected request "${method}": unknown method`)
      respondError(id, `Unknown request "${method}"`)
      return
    }
    const m = method as RequestMethod
    const parsed = Requests[m].params.safeParse(rawParams)
    if (!parsed.success) {
      const reason = describeIssues(parsed.error)
      log(`rejected request "${m}": ${reason}`)
      respondError(id, `Invalid request "${m}": ${reason}`)
      return
    }
    const handler = handlers[m] as ((p: unknown) => unknown) | undefined
    if (handler === undefined) {
      respondError(id, `No handler for "${m}"`)
      return
    }
    try {
      const result = await handler(parsed.data)
      post({ kind: 'response', id, ok: true, result })
    } catch (error) {
      respondError(id, error)
    }
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
    if (!(name in Events)) {
      log(`rejected event "${name}": unknown event`)
      return
    }
    const parsed = Events[name as EventName].safeParse(rawPayload)
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
