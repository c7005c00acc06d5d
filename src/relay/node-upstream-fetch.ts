// The Node relay's way out: fetch's contract (a Request-like init in, a Response out, aborted by its
// signal), on node:http(s), so the connection goes to the addresses the relay checked
// (`connectTo`, through a `lookup` hook) while TLS still verifies the host name. Node's fetch (undici)
// offers no such hook without the undici package itself.
import type { LookupAddress, LookupOptions } from 'node:dns'
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { Readable, pipeline, type Duplex } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import type { UpstreamFetch, UpstreamInit } from './forward-request'
import type { ResolvedAddress } from './resolve-public-host'

const DECODERS: Record<string, () => Duplex> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress }
const NO_BODY_STATUSES = new Set([204, 205, 304])

/** A lookup that answers with the checked addresses only, never asking DNS again. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options: LookupOptions, callback) => {
    const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses
    if (usable.length === 0) {
      callback(Object.assign(new Error('no checked address of the wanted family'), { code: 'ENOTFOUND' }), '', 0)
      return
    }
    if (options.all) callback(null, usable.map(({ address, family }): LookupAddress => ({ address, family })))
    else callback(null, usable[0].address, usable[0].family)
  }
}

function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers()
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i], res.rawHeaders[i + 1])
  return headers
}

function responseOf(res: IncomingMessage, method: string): Response {
  const status = res.statusCode ?? 0
  if (method === 'HEAD' || NO_BODY_STATUSES.has(status)) {
    res.resume()
    return new Response(null, { status, statusText: res.statusMessage, headers: headersOf(res) })
  }
  // the relay asks for identity; a host that compresses anyway is decoded, as fetch would
  const decoder = DECODERS[String(res.headers['content-encoding'] ?? '').trim().toLowerCase()]
  const stream: Readable = decoder ? pipeline(res, decoder(), () => undefined) : res
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, statusText: res.statusMessage, headers: headersOf(res) })
}

/** One keep-alive pool per relay: answers reuse connections to hosts already checked. */
export function createNodeUpstreamFetch(): UpstreamFetch {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) }

  return (url: string, init: UpstreamInit) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url)
      const signal = init.signal ?? undefined
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const method = (init.method ?? 'GET').toUpperCase()
      const headers: Record<string, string> = {}
      new Headers(init.headers).forEach((value, name) => (headers[name] = value))
      headers['accept-encoding'] = 'identity'
      const secure = target.protocol === 'https:'
      const req = (secure ? httpsRequest : httpRequest)(target, {
        method,
        headers,
        agent: secure ? agents.https : agents.http,
        ...(init.connectTo?.length ? { lookup: pinnedLookup(init.connectTo) } : {})
      })
      let response: IncomingMessage | undefined
      const abort = () => {
        const reason = signal?.reason instanceof Error ? signal.reason : new Error('aborted')
        response?.destroy(reason)
        req.destroy(reason)
      }
      signal?.addEventListener('abort', abort, { once: true })
      const settle = () => signal?.removeEventListener('abort', abort)

      req.on('error', (error) => {
        if (response) return
        settle()
        reject(signal?.aborted ? signal.reason : error)
      })
      req.on('response', (res) => {
        response = res
        res.once('close', settle)
        try {
          resolve(responseOf(res, method))
        } catch (error) {
          // a status a Response cannot carry (1xx leftovers, 600+): not a host the relay can pass on
          res.destroy()
          settle()
          reject(Object.assign(new Error(`the host answered an unusable status ${res.statusCode}`), { code: 'HPE_INVALID_STATUS', cause: error }))
        }
      })

      const body = init.body
      if (!body) {
        req.end()
        return
      }
      if (!(body instanceof ReadableStream)) {
        reject(new TypeError('the relay streams request bodies; got another kind of body'))
        req.destroy()
        return
      }
      // a failing body (over the cap, the client gone) ends the request; the caller reads why from its own state
      pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), req, (error) => {
        if (error && !response) req.destroy(error)
      })
    })
}
