// One clock per exchange with a host, so a hung host is let go instead of holding the request (and the
// team token's slot) for undici's five minutes. Only waiting on the host is timed: the time to the
// first byte counts from when the request has been sent in full, and while a body moves (an upload, a
// download) only the gaps between chunks count, so a big file on a slow line is never cut while it moves.

export type UpstreamTimeouts = { firstByteMs: number; idleMs: number }

/** Why the relay let go of a host, worded for the person who reads the relay's error. */
export class UpstreamTimeoutError extends Error {
  constructor(
    readonly waitedFor: 'answer' | 'upload' | 'download',
    readonly ms: number
  ) {
    super(`${waitedFor === 'answer' ? 'no answer' : `the ${waitedFor} stood still`} for ${ms / 1000} s`)
    this.name = 'UpstreamTimeoutError'
  }
}

export type UpstreamClock = {
  /** Aborts the exchange when the client goes away or a timeout passes. */
  signal: AbortSignal
  /** The request (its headers, a chunk of its body) moved: the host has idleMs to take the next. */
  sending(): void
  /** The request is out in full: the host has firstByteMs to start its answer. */
  sent(): void
  /** The answer's headers are in: nothing is timed until the relay waits for a chunk of its body. */
  answered(): void
  /** Waiting for the next chunk of the answer. */
  waiting(): void
  /** A chunk came (or the answer ended): the clock stops until the relay waits again. */
  arrived(): void
  /** The timeout that ended the exchange, if one did. */
  timedOut(): UpstreamTimeoutError | undefined
  stop(): void
}

export function createUpstreamClock(client: AbortSignal, timeouts: UpstreamTimeouts): UpstreamClock {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let expired: UpstreamTimeoutError | undefined
  let answered = false

  const stop = () => {
    clearTimeout(timer)
    timer = undefined
  }
  const start = (waitedFor: UpstreamTimeoutError['waitedFor'], ms: number) => {
    stop()
    timer = setTimeout(() => {
      expired = new UpstreamTimeoutError(waitedFor, ms)
      controller.abort(expired)
    }, ms)
  }
  // a client gone needs no clock any more; its abort ends the exchange by itself
  client.addEventListener('abort', stop, { once: true })

  return {
    signal: AbortSignal.any([client, controller.signal]),
    // a host may answer before it has read the whole upload (a 401, a 413): then the upload's clock is over
    sending: () => {
      if (!answered) start('upload', timeouts.idleMs)
    },
    sent: () => {
      if (!answered) start('answer', timeouts.firstByteMs)
    },
    answered: () => {
      answered = true
      stop()
    },
    waiting: () => start('download', timeouts.idleMs),
    arrived: stop,
    timedOut: () => expired,
    stop
  }
}

/** The request body as sent, moving the clock on every chunk and handing the host its turn at the end. */
export function timeRequestBody(body: ReadableStream<Uint8Array>, clock: UpstreamClock): ReadableStream<Uint8Array> {
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        clock.sending()
        controller.enqueue(chunk)
      },
      flush() {
        clock.sent()
      }
    })
  )
}

/**
 * The answer's body, timed only while the relay waits on the host for a chunk: read on demand
 * (highWaterMark 0), so a client that reads slowly never counts against the host.
 */
export function timeResponseBody(body: ReadableStream<Uint8Array>, clock: UpstreamClock): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        clock.waiting()
        try {
          const { done, value } = await reader.read()
          clock.arrived()
          if (done) controller.close()
          else controller.enqueue(value)
        } catch (error) {
          clock.stop()
          controller.error(clock.timedOut() ?? error)
        }
      },
      cancel(reason) {
        clock.stop()
        return reader.cancel(reason)
      }
    },
    { highWaterMark: 0 }
  )
}
