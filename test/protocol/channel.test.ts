// The channel's promise: every request gets exactly one reply, whatever its method name or params,
// and no incoming message can throw out of the receiver.
import { describe, expect, it } from 'vitest'
import { createChannel, type Handlers } from '../../src/protocol/channel'
import type { Envelope } from '../../src/protocol/messages'

type Response = Extract<Envelope, { kind: 'response' }>

/** A channel whose other side is the test: raw messages in, posted envelopes collected. */
function openChannel(handlers: Handlers = {}) {
  const posted: Envelope[] = []
  const log: string[] = []
  const waiting = new Map<string, (response: Response) => void>()
  let receive: (message: unknown) => void = () => undefined
  const channel = createChannel({
    post(message) {
      posted.push(message)
      if (message.kind === 'response') waiting.get(message.id)?.(message)
    },
    subscribe(listener) {
      receive = listener
      return () => undefined
    },
    handlers,
    log: (reason) => log.push(reason)
  })
  return {
    channel,
    log,
    posted,
    deliver: (message: unknown) => receive(message),
    /** Sends a raw request and resolves with its reply. */
    request(id: string, method: string, params: unknown): Promise<Response> {
      const reply = new Promise<Response>((resolve) => waiting.set(id, resolve))
      receive({ kind: 'request', id, method, params })
      return reply
    },
    repliesTo: (id: string) => posted.filter((m) => m.kind === 'response' && m.id === id)
  }
}

/** Lets every pending reply be posted: a second reply to a request would show up by then. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'isPrototypeOf']

describe('channel', () => {
  it('answers a request named after an Object.prototype member with exactly one "unknown request" error', async () => {
    const side = openChannel({ 'load-settings': () => ({ settings: {} as never, secrets: {} as never }) })
    for (const method of PROTOTYPE_NAMES) {
      const reply = await side.request(`r-${method}`, method, {})
      expect(reply).toEqual({ kind: 'response', id: `r-${method}`, ok: false, error: `Unknown request "${method}"` })
    }
    await settle()
    for (const method of PROTOTYPE_NAMES) expect(side.repliesTo(`r-${method}`)).toHaveLength(1)
    expect(side.log.filter((line) => /unknown method/.test(line))).toHaveLength(PROTOTYPE_NAMES.length)
  })

  it('ignores an event named after an Object.prototype member, with a logged reason, and never throws', () => {
    const side = openChannel()
    const heard: unknown[] = []
    side.channel.on('ready', (payload) => heard.push(payload))
    for (const name of PROTOTYPE_NAMES) {
      expect(() => side.deliver({ kind: 'event', name, payload: {} })).not.toThrow()
    }
    expect(heard).toEqual([])
    expect(side.log.filter((line) => /unknown event/.test(line))).toHaveLength(PROTOTYPE_NAMES.length)
  })

  it('still replies exactly once when reading the params throws', async () => {
    const side = openChannel({ 'resize-ui': () => ({}) })
    const hostile = {
      get width(): number {
        throw new Error('getter exploded')
      },
      height: 10
    }
    const reply = await side.request('r1', 'resize-ui', hostile)
    expect(reply).toMatchObject({ id: 'r1', ok: false, error: expect.stringContaining('getter exploded') })
    await settle()
    expect(side.repliesTo('r1')).toHaveLength(1)
  })

  it('still replies exactly once when looking up the handler throws', async () => {
    const handlers = {
      get 'resize-ui'(): never {
        throw new Error('lookup exploded')
      }
    } as Handlers
    const side = openChannel(handlers)
    const reply = await side.request('r1', 'resize-ui', { width: 10, height: 10 })
    expect(reply).toMatchObject({ id: 'r1', ok: false, error: expect.stringContaining('lookup exploded') })
    await settle()
    expect(side.repliesTo('r1')).toHaveLength(1)
  })

  it('answers a request that has no handler and one whose handler throws, once each', async () => {
    const side = openChannel({
      'resize-ui': () => {
        throw new Error('could not resize')
      }
    })
    expect(await side.request('a', 'load-settings', {})).toMatchObject({ ok: false, error: 'No handler for "load-settings"' })
    expect(await side.request('b', 'resize-ui', { width: 10, height: 10 })).toMatchObject({ ok: false, error: 'could not resize' })
    await settle()
    expect([side.repliesTo('a').length, side.repliesTo('b').length]).toEqual([1, 1])
  })
})
