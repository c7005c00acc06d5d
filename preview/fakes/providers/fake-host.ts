/**
 * The machinery the three fake reframe hosts share: node:http servers on 127.0.0.1 (the API, and a
 * storage listener standing in for the hosts' upload and result CDNs) with CORS answers for
 * `Origin: null`, a request log and counters, fault switches, a time-driven job lifecycle, an upload
 * store, and results rendered as real images at the native ratio's output size x `scale`: the source
 * in the box the request named (`x_start`...`y_end`), else centred, over a surround, with the model's
 * behaviours as options (model-result.ts). Host-specific protocol lives in each *-server.ts, including
 * where each host's request carries the box fields.
 * Tests wait on what a fake saw with `stats.until(...)` rather than on the clock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import sharp from 'sharp'
import { type Box, NATIVE_OUTPUT_SIZES, type NativeRatio, isNativeRatio } from '../../../src/core/ratios'
import { type ModelBehaviour, type ModelResult, renderModelResult } from './model-result'

export type { ModelBehaviour } from './model-result'

export type FakeReply = { status: number; json?: unknown; body?: Uint8Array | string; headers?: Record<string, string> }

export type FaultAction =
  | { kind: 'status'; status: number; message?: string; retryAfter?: string }
  | { kind: 'drop' } // destroy the socket without an answer
  | { kind: 'hang' } // never answer
  | { kind: 'malformed' } // 200 with broken JSON
  | { kind: 'html' } // 200 with an HTML page
  | { kind: 'huge'; bytes?: number } // 200 image/jpeg of 20 MB, streamed without a length
  | { kind: 'slow'; chunks?: number; chunkDelayMs?: number } // the real answer, dribbled out
  | { kind: 'cut'; fraction?: number } // the real answer's headers and part of its body, then the socket destroyed
  | { kind: 'late'; delayMs: number } // the request is handled (a create starts its job), the answer sent only after delayMs

/** Faults applied to the real answer, after the route has handled the request. */
const ANSWER_FAULTS = new Set<FaultAction['kind']>(['slow', 'cut', 'late'])

type FaultRule = { route: string; action: FaultAction; nth: number; times: number; seen: number; fired: number }

/** Fault switches. Routes are the host's names ('create', 'poll', 'download', ...) or '*'. */
export class Faults {
  private rules: FaultRule[] = []
  private jobFailures: { reason: string; remaining: number }[] = []
  private redraws: { behaviour: ModelBehaviour; remaining: number }[] = []

  /** From the `nth` matching request on (1 = the next one), `times` requests get `action`. */
  inject(route: string, action: FaultAction, options: { nth?: number; times?: number } = {}): this {
    this.rules.push({ route, action, nth: options.nth ?? 1, times: options.times ?? 1, seen: 0, fired: 0 })
    return this
  }

  /** The next `count` jobs created reach the host's failed state with `reason`. */
  failJobs(reason: string, count = 1): this {
    this.jobFailures.push({ reason, remaining: count })
    return this
  }

  /**
   * The next `count` jobs that succeed draw their result with `behaviour`, over the fake's own options:
   * `{ redraw: 'degraded' }`, `{ ignoreBox: true }`, `{ foreign: true }`, `{ surround: 'generated' }`.
   */
  redrawJobs(behaviour: ModelBehaviour, count = 1): this {
    this.redraws.push({ behaviour, remaining: count })
    return this
  }

  clear(): void {
    this.rules = []
    this.jobFailures = []
    this.redraws = []
  }

  /** How many requests got a fault so far (on `route`, or on any route). */
  injected(route?: string): number {
    return this.rules.filter((rule) => route === undefined || rule.route === route).reduce((sum, rule) => sum + rule.fired, 0)
  }

  /** @internal */
  take(route: string): FaultAction | undefined {
    for (const rule of this.rules) {
      if (rule.route !== '*' && rule.route !== route) continue
      rule.seen += 1
      if (rule.seen >= rule.nth && rule.fired < rule.times) {
        rule.fired += 1
        return rule.action
      }
    }
    return undefined
  }

  /** @internal */
  takeRedraw(): ModelBehaviour | undefined {
    const next = this.redraws.find((r) => r.remaining > 0)
    if (!next) return undefined
    next.remaining -= 1
    return next.behaviour
  }

  /** @internal */
  takeJobFailure(): string | undefined {
    const next = this.jobFailures.find((f) => f.remaining > 0)
    if (!next) return undefined
    next.remaining -= 1
    return next.reason
  }
}

/** `api`: the host's API listener; `storage`: its upload/result CDN listener. */
export type Listener = 'api' | 'storage'

export type RequestRecord = {
  method: string
  path: string
  route: string
  /** Which listener the request arrived on. */
  listener: Listener
  jobId?: string
  /** Lower-case header names and values as received. */
  headers: Record<string, string>
  at: number
}

export class FakeStats {
  requests: RequestRecord[] = []
  uploads = 0
  bytesUploaded = 0
  /** Bytes that arrived inline (data URIs) in job inputs. */
  inlineBytes = 0
  creates = 0
  downloads = 0
  /** Cancel requests the host accepted for a job it knows. */
  cancels = 0
  polls: Record<string, number> = {}
  maxInFlight = 0
  /** Bytes of a `huge` fault written before the client hung up, and whether its connection has closed. */
  hugeBytesSent = 0
  hugeClosed = false
  /**
   * Every sign of a credential on a storage route (presigned upload, stored file, result): an
   * Authorization or X-API-Key header, or the key's value anywhere in the URL, a header or the body.
   * Storage hosts are reached with the URL's own signature only, so this must stay empty.
   */
  storageLeaks: { route: string; listener: Listener; found: string }[] = []

  /** Every request that concerned one job (create answer excluded: it has no id yet). */
  forJob(jobId: string): RequestRecord[] {
    return this.requests.filter((r) => r.jobId === jobId)
  }

  pollsPerJob(): number[] {
    return Object.values(this.polls)
  }

  private waiters: { condition: () => boolean; resolve: () => void }[] = []

  /** Resolves once `condition` holds; checked whenever a request arrives, is handled or is answered. */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ condition, resolve }))
  }

  /** @internal Something changed: wake the waiters whose condition now holds. */
  changed(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.condition()) continue
      this.waiters.splice(this.waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  }

  reset(): void {
    Object.assign(this, new FakeStats())
  }
}

export type FakeTiming = { queuedMs: number; runningMs: number }

/**
 * How the fake's "model" draws results (model-result.ts). Defaults: `redraw: 'exact'`, the box honoured,
 * the source itself (not foreign), `surround: 'flat'` (the `fill` letterbox the older tests look for).
 * Per job, `faults.redrawJobs(...)` overrides these for the next jobs.
 */
export type CommonFakeOptions = ModelBehaviour & {
  /** The key the fake accepts. */
  key?: string
  /** Base of the API URLs the fake hands out (default: its own address); for a fake behind a proxy. */
  publicUrl?: string
  /**
   * Base of the upload and stored-file URLs it hands out (presigned PUTs, public file URLs), as the
   * real hosts put them on a CDN host apart from the API. Default: `publicUrl`, else the API
   * listener (one address serves everything), or the storage listener with `separateStorage`.
   */
  storagePublicUrl?: string
  /** Base of result URLs (default: the storage base). */
  resultPublicUrl?: string
  /** Hand out storage and result URLs on the fake's own storage listener (when no public base is set). */
  separateStorage?: boolean
  /** Time a job spends queued, then running (ms). */
  queuedMs?: number
  runningMs?: number
  /** Result size = native output size x scale (1/8 keeps tests fast and all sizes whole). */
  scale?: number
  /** Surround colour of results when `surround` is `flat` (a letterbox). */
  fill?: string
  /** Retry-After sent with 429s (seconds, as text). */
  retryAfter?: string
  /** List Retry-After in Access-Control-Expose-Headers (unknown for the real hosts). */
  exposeRetryAfter?: boolean
}

export type FakeJob = {
  id: string
  ratio: NativeRatio
  source: Uint8Array
  createdAt: number
  failure?: string
  input: unknown
  /** When the host was asked to cancel it before it finished. */
  cancelledAt?: number
  /** The box the request asked for (`x_start`...`y_end`), in native output pixels. */
  requestedBox?: Box
  /** How this job's result is drawn (the fake's options, overridden per job by `faults.redrawJobs`). */
  behaviour: ModelBehaviour
}

export type JobPhase = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** Jobs whose state follows the clock: queued, then running, then done. */
export class FakeJobs {
  readonly jobs = new Map<string, FakeJob>()
  private readonly results = new Map<string, Promise<ModelResult>>()
  private counter = 0

  constructor(
    readonly timing: FakeTiming,
    private readonly render: { scale: number; fill: string; behaviour: ModelBehaviour },
    private readonly faults?: Faults
  ) {}

  create(prefix: string, ratio: NativeRatio, source: Uint8Array, input: unknown, failure?: string, requestedBox?: Box): FakeJob {
    this.counter += 1
    const behaviour = { ...this.render.behaviour, ...(failure ? undefined : this.faults?.takeRedraw()) }
    const job: FakeJob = {
      id: `${prefix}${this.counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`,
      ratio,
      source,
      createdAt: Date.now(),
      failure,
      input,
      requestedBox,
      behaviour
    }
    this.jobs.set(job.id, job)
    // render while the job "runs", as a host has its result ready when it reports success
    if (!failure) void this.result(job).catch(() => undefined)
    return job
  }

  phase(job: FakeJob, now = Date.now()): JobPhase {
    if (job.cancelledAt !== undefined) return 'cancelled'
    const age = now - job.createdAt
    if (age < this.timing.queuedMs) return 'queued'
    if (age < this.timing.queuedMs + this.timing.runningMs) return 'running'
    return job.failure ? 'failed' : 'succeeded'
  }

  /** Cancels a job that has not finished; false when it already had (the hosts refuse those). */
  cancel(job: FakeJob, now = Date.now()): boolean {
    const phase = this.phase(job, now)
    if (phase !== 'queued' && phase !== 'running') return phase === 'cancelled'
    job.cancelledAt = now
    return true
  }

  inFlight(now = Date.now()): number {
    let count = 0
    for (const job of this.jobs.values()) if (this.phase(job, now) === 'queued' || this.phase(job, now) === 'running') count += 1
    return count
  }

  outputSize(ratio: NativeRatio): { width: number; height: number } {
    const native = NATIVE_OUTPUT_SIZES[ratio]
    return { width: Math.round(native.width * this.render.scale), height: Math.round(native.height * this.render.scale) }
  }

  /** The result's bytes (JPEG, like the hosts' default), rendered once per job. */
  async result(job: FakeJob): Promise<Uint8Array> {
    return (await this.rendered(job)).bytes
  }

  /**
   * Where the source's content really sits in the job's result (result pixels), or undefined for a
   * foreign result: what a test compares a located box with.
   */
  async sourceBox(job: FakeJob): Promise<Box | undefined> {
    return (await this.rendered(job)).sourceBox
  }

  private rendered(job: FakeJob): Promise<ModelResult> {
    let result = this.results.get(job.id)
    if (!result) {
      const size = this.outputSize(job.ratio)
      const native = NATIVE_OUTPUT_SIZES[job.ratio]
      const k = { x: size.width / native.width, y: size.height / native.height }
      const box = job.requestedBox
      const requested = box && { x: box.x * k.x, y: box.y * k.y, width: box.width * k.x, height: box.height * k.y }
      result = renderModelResult(job.source, { size, requested, behaviour: job.behaviour, fill: this.render.fill })
      this.results.set(job.id, result)
    }
    return result
  }
}

/** The box fields of a request, as every host names them (`x_start`, `x_end`, `y_start`, `y_end`, output pixels). */
export const BOX_FIELDS = ['x_start', 'x_end', 'y_start', 'y_end'] as const

/**
 * The source box a request asks for, read from the object that holds the model's inputs in this
 * host's request shape; undefined when none of the fields is there. The hosts document integers
 * within the output; all four or none is this fake's strictness (what a host does with half a box
 * is unknown), and a bad box is refused with the host's invalid-input error.
 */
export function requestedSourceBox(input: Record<string, unknown>, ratio: NativeRatio): { box?: Box; error?: string } {
  const present = BOX_FIELDS.filter((field) => input[field] !== undefined && input[field] !== null)
  if (present.length === 0) return {}
  if (present.length < BOX_FIELDS.length) return { error: `${BOX_FIELDS.join(', ')} must be given together` }
  const values = BOX_FIELDS.map((field) => input[field])
  const notInteger = BOX_FIELDS.find((_, i) => typeof values[i] !== 'number' || !Number.isInteger(values[i]))
  if (notInteger) return { error: `${notInteger} must be an integer` }
  const [left, right, top, bottom] = values as number[]
  const native = NATIVE_OUTPUT_SIZES[ratio]
  if (left < 0 || top < 0 || right > native.width || bottom > native.height) {
    return { error: `the source box must lie within the ${native.width}x${native.height} output` }
  }
  if (right <= left || bottom <= top) return { error: 'x_end and y_end must be greater than x_start and y_start' }
  return { box: { x: left, y: top, width: right - left, height: bottom - top } }
}

const decodable = new WeakMap<Uint8Array, Promise<boolean>>()

/** Whether bytes decode as an image (the hosts fail a job whose input is not one); once per upload. */
export function isDecodableImage(bytes: Uint8Array): Promise<boolean> {
  let answer = decodable.get(bytes)
  if (!answer) {
    answer = sharp(bytes)
      .metadata()
      .then((meta) => Boolean(meta.width && meta.height))
      .catch(() => false)
    decodable.set(bytes, answer)
  }
  return answer
}

export function parseRatio(value: unknown): NativeRatio | undefined {
  return typeof value === 'string' && isNativeRatio(value) ? value : undefined
}

/** A JSON request body, or undefined when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

/** Bytes of a `data:<type>;base64,...` URI, or undefined. */
export function decodeDataUri(uri: string): Uint8Array | undefined {
  const match = /^data:([\w/+.-]+);base64,(.*)$/s.exec(uri)
  return match ? new Uint8Array(Buffer.from(match[2], 'base64')) : undefined
}

/**
 * The bytes a job input names: a data URI (counted as inline bytes) or one of this fake's stored files
 * under `filesBase`. Undefined for anything else, an unknown file, or a file whose upload never came.
 */
export function inputImageBytes(value: unknown, filesBase: string, store: UploadStore, stats: FakeStats): Uint8Array | undefined {
  if (typeof value !== 'string') return undefined
  if (value.startsWith('data:')) {
    const bytes = decodeDataUri(value)
    if (bytes) stats.inlineBytes += bytes.length
    return bytes
  }
  if (!value.startsWith(filesBase)) return undefined
  const bytes = store.files.get(value.slice(filesBase.length))?.bytes
  return bytes && bytes.length > 0 ? bytes : undefined
}

/** Files uploaded to the fake, addressed by id. */
export class UploadStore {
  readonly files = new Map<string, { bytes: Uint8Array; contentType: string }>()
  private counter = 0

  newId(prefix: string): string {
    this.counter += 1
    return `${prefix}${this.counter.toString(36)}${Math.random().toString(36).slice(2, 10)}`
  }
}

export type RouteMatch = {
  name: string
  jobId?: string
  /** A CDN route (upload PUT, stored file, result): served on the storage listener, never given a credential. */
  storage?: boolean
  /** Lower-case request headers a CORS preflight for this route allows. */
  corsHeaders: string[]
  /** Whether the route needs the key. */
  auth: boolean
  handle: (request: FakeRequest) => Promise<FakeReply> | FakeReply
}

export type FakeRequest = { method: string; url: URL; headers: IncomingMessage['headers']; body: Buffer }

export type HostProtocol = {
  /** Which route a method + path is, or undefined (404). */
  match: (method: string, url: URL) => RouteMatch | undefined
  /** Whether the request carries the key in this host's way. */
  authorized: (headers: IncomingMessage['headers']) => boolean
  /** This host's error body for a status and message. */
  errorReply: (status: number, message: string) => FakeReply
}

export type FakeServer = {
  /** The API listener (serves every route, so a fake works from this one address). */
  url: string
  /** The storage listener: storage routes only, like a CDN host. */
  storageUrl: string
  close: () => Promise<void>
}

/** Where a fake hands out its URLs: the API base, and the storage and result bases. */
export type FakeBases = { api: string; storage: string; results: string }

export function basesOf(server: FakeServer, options: CommonFakeOptions): FakeBases {
  const api = options.publicUrl ?? server.url
  const storage = options.storagePublicUrl ?? (options.separateStorage ? server.storageUrl : api)
  return { api, storage, results: options.resultPublicUrl ?? storage }
}

/** How a credential shows on a storage request, if it does (for `FakeStats.storageLeaks`). */
function credentialOn(req: IncomingMessage, url: URL, body: Buffer, key: string): string | undefined {
  if (req.headers.authorization !== undefined) return 'authorization header'
  if (req.headers['x-api-key'] !== undefined) return 'x-api-key header'
  if (key === '') return undefined
  if (url.href.includes(key) || url.href.includes(encodeURIComponent(key))) return 'key in the URL'
  for (const [name, value] of Object.entries(req.headers)) {
    if (String(value).includes(key)) return `key in the ${name} header`
  }
  if (body.includes(key)) return 'key in the body'
  return undefined
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Invalid input',
  401: 'Invalid API key',
  402: 'Insufficient balance',
  403: 'Forbidden',
  404: 'Not found',
  408: 'Request timeout',
  409: 'Conflict',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable'
}

export function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? `Error ${status}`
}

/** Starts the HTTP servers for one fake host: its API listener and its storage listener. */
export async function startFakeServer(
  protocol: HostProtocol,
  stats: FakeStats,
  faults: Faults,
  options: CommonFakeOptions & { key: string }
): Promise<FakeServer> {
  const sockets = new Set<Socket>()
  const exposeRetryAfter = options.exposeRetryAfter ?? true

  function listen(listener: Listener): Promise<Server> {
    const server = createServer((req, res) => {
      void serve(req, res, listener).catch((error: unknown) => {
        if (!res.headersSent) send(res, req, { status: 500, json: { error: String(error) } })
        else res.destroy()
      })
    })
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
  }

  async function serve(req: IncomingMessage, res: ServerResponse, listener: Listener): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const method = req.method ?? 'GET'
    const preflight = method === 'OPTIONS' && typeof req.headers['access-control-request-method'] === 'string'
    const matched = protocol.match(preflight ? String(req.headers['access-control-request-method']) : method, url)
    // a CDN host has no API: the storage listener knows storage routes only
    const route = listener === 'storage' && !matched?.storage ? undefined : matched
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]))
    stats.requests.push({ method, path: url.pathname + url.search, route: preflight ? 'preflight' : (route?.name ?? 'unknown'), listener, jobId: route?.jobId, headers, at: Date.now() })
    stats.changed()
    res.on('close', () => stats.changed())

    if (preflight) {
      // like the real hosts: answer with what the route allows; the browser compares
      if (!route) return send(res, req, { status: 404, body: '' })
      res.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
        'Access-Control-Allow-Headers': route.corsHeaders.join(', '),
        'Access-Control-Max-Age': '600'
      })
      return void res.end()
    }

    const body = await readBody(req)
    if (!route) return send(res, req, protocol.errorReply(404, defaultMessage(404)))
    if (route.storage) {
      const found = credentialOn(req, url, body, options.key)
      if (found) stats.storageLeaks.push({ route: route.name, listener, found })
      // like a bucket with presigned URLs: a second authentication mechanism is an error
      if (req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined) {
        return send(res, req, { status: 400, body: 'Storage URLs carry their own signature; requests with credentials are refused.', headers: { 'Content-Type': 'text/plain' } })
      }
    }

    const fault = faults.take(route.name)
    if (fault && !ANSWER_FAULTS.has(fault.kind)) return applyFault(fault, req, res)
    if (route.auth && !protocol.authorized(req.headers)) return send(res, req, protocol.errorReply(401, defaultMessage(401)))

    const reply = await route.handle({ method, url, headers: req.headers, body })
    // what the route did (a job created) is seen at once, even when a fault holds the answer back
    stats.changed()
    if (fault?.kind === 'slow') return sendSlowly(res, req, reply, fault)
    if (fault?.kind === 'cut') return sendCut(res, req, reply, fault.fraction ?? 0.5)
    if (fault?.kind === 'late') return sendLate(res, req, reply, fault.delayMs)
    send(res, req, reply)
  }

  function applyFault(fault: FaultAction, req: IncomingMessage, res: ServerResponse): void {
    switch (fault.kind) {
      case 'status': {
        const reply = protocol.errorReply(fault.status, fault.message ?? defaultMessage(fault.status))
        const retryAfter = fault.retryAfter ?? (fault.status === 429 || fault.status === 503 ? options.retryAfter : undefined)
        if (retryAfter !== undefined) reply.headers = { ...reply.headers, 'Retry-After': retryAfter }
        return send(res, req, reply)
      }
      case 'drop':
        return void req.socket.destroy()
      case 'hang':
        return // the socket stays open until the client gives up or the fake closes
      case 'malformed':
        return send(res, req, { status: 200, body: '{"status": "succ', headers: { 'Content-Type': 'application/json' } })
      case 'html':
        return send(res, req, { status: 200, body: '<!doctype html><html><body><h1>Welcome</h1></body></html>', headers: { 'Content-Type': 'text/html; charset=utf-8' } })
      case 'huge':
        return streamHuge(res, req, fault.bytes ?? 20 * 1024 * 1024)
      case 'slow':
      case 'cut':
      case 'late':
        return
    }
  }

  function corsHeaders(req: IncomingMessage): Record<string, string> {
    if (req.headers.origin === undefined) return {}
    return { 'Access-Control-Allow-Origin': '*', ...(exposeRetryAfter ? { 'Access-Control-Expose-Headers': 'Retry-After' } : {}) }
  }

  function encode(reply: FakeReply): { bytes: Buffer; headers: Record<string, string> } {
    if (reply.json !== undefined) {
      return { bytes: Buffer.from(JSON.stringify(reply.json)), headers: { 'Content-Type': 'application/json', ...reply.headers } }
    }
    return { bytes: Buffer.from(reply.body ?? ''), headers: { ...reply.headers } }
  }

  function send(res: ServerResponse, req: IncomingMessage, reply: FakeReply): void {
    const { bytes, headers } = encode(reply)
    res.writeHead(reply.status, { ...corsHeaders(req), ...headers, 'Content-Length': String(bytes.length) })
    res.end(bytes)
  }

  function sendSlowly(res: ServerResponse, req: IncomingMessage, reply: FakeReply, fault: { chunks?: number; chunkDelayMs?: number }): void {
    const { bytes, headers } = encode(reply)
    const chunks = fault.chunks ?? 5
    const size = Math.ceil(bytes.length / chunks)
    res.writeHead(reply.status, { ...corsHeaders(req), ...headers, 'Content-Length': String(bytes.length) })
    let offset = 0
    const next = () => {
      if (res.destroyed) return
      if (offset >= bytes.length) return void res.end()
      res.write(bytes.subarray(offset, offset + size))
      offset += size
      setTimeout(next, fault.chunkDelayMs ?? 50)
    }
    next()
  }

  /** Headers (with the full length) and the first part of the body, then the connection destroyed: a cut mid-body. */
  function sendCut(res: ServerResponse, req: IncomingMessage, reply: FakeReply, fraction: number): void {
    const { bytes, headers } = encode(reply)
    res.writeHead(reply.status, { ...corsHeaders(req), ...headers, 'Content-Length': String(bytes.length) })
    res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length * fraction))), () => res.destroy())
  }

  /** The answer after `delayMs`, if the client is still there (one that timed out has hung up). */
  function sendLate(res: ServerResponse, req: IncomingMessage, reply: FakeReply, delayMs: number): void {
    const timer = setTimeout(() => {
      if (!res.destroyed) send(res, req, reply)
    }, delayMs)
    res.on('close', () => clearTimeout(timer))
  }

  function streamHuge(res: ServerResponse, req: IncomingMessage, total: number): void {
    res.writeHead(200, { ...corsHeaders(req), 'Content-Type': 'image/jpeg' })
    res.on('close', () => {
      stats.hugeClosed = true
      stats.changed()
    })
    const chunk = Buffer.alloc(64 * 1024)
    chunk.set([0xff, 0xd8, 0xff, 0xe0])
    let sent = 0
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length
        stats.hugeBytesSent = sent
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      if (!res.destroyed) res.end()
    }
    pump()
  }

  const servers = await Promise.all([listen('api'), listen('storage')])
  const [url, storageUrl] = servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  return {
    url,
    storageUrl,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The handle every fake returns. */
export type FakeHostHandle<Extra = object> = {
  /** Base URL of the fake's API (pass as the provider's baseUrl). */
  url: string
  /** Loopback address of its storage listener (where `storagePublicUrl`/`resultPublicUrl` should lead). */
  storageUrl: string
  key: string
  stats: FakeStats
  faults: Faults
  /** Mutable: change job latency between runs. */
  timing: FakeTiming
  jobs: FakeJobs
  /** Output size of a result for a native ratio (native size x scale). */
  outputSize: (ratio: NativeRatio) => { width: number; height: number }
  close: () => Promise<void>
} & Extra

export type FakeState = { key: string; stats: FakeStats; faults: Faults; jobs: FakeJobs; store: UploadStore; timing: FakeTiming }

/** The parts every fake host keeps: its key, counters, fault switches, jobs and uploaded files. */
export function createFakeState(options: CommonFakeOptions, defaultKey: string): FakeState {
  const timing = { queuedMs: options.queuedMs ?? 20, runningMs: options.runningMs ?? 40 }
  const faults = new Faults()
  const behaviour: ModelBehaviour = { redraw: options.redraw, ignoreBox: options.ignoreBox, foreign: options.foreign, surround: options.surround }
  const jobs = new FakeJobs(timing, { scale: options.scale ?? 1 / 8, fill: options.fill ?? '#ff00ff', behaviour }, faults)
  return { key: options.key ?? defaultKey, stats: new FakeStats(), faults, jobs, store: new UploadStore(), timing }
}

/** GET of an uploaded file (what the host's workers read; no key, like a public bucket). */
export function storedFileRoute(store: UploadStore, id: string): RouteMatch {
  const file = store.files.get(id)
  return {
    name: 'file',
    storage: true,
    corsHeaders: [],
    auth: false,
    handle: () => (file ? { status: 200, body: file.bytes, headers: { 'Content-Type': file.contentType } } : { status: 404, body: '' })
  }
}

/** GET of a finished job's result on the host's CDN (no key). */
export function resultRoute(jobs: FakeJobs, stats: FakeStats, id: string): RouteMatch {
  return {
    name: 'download',
    jobId: id,
    storage: true,
    corsHeaders: [],
    auth: false,
    handle: async () => {
      const job = jobs.jobs.get(id)
      if (!job || jobs.phase(job) !== 'succeeded') return { status: 404, body: 'Not Found', headers: { 'Content-Type': 'text/plain' } }
      stats.downloads += 1
      return { status: 200, body: await jobs.result(job), headers: { 'Content-Type': 'image/jpeg' } }
    }
  }
}

/** Counts a new job: creates, its poll counter and the most jobs seen in flight at once. */
export function countCreate(stats: FakeStats, jobs: FakeJobs, job: FakeJob): void {
  stats.creates += 1
  stats.polls[job.id] = 0
  stats.maxInFlight = Math.max(stats.maxInFlight, jobs.inFlight())
}

/** Counts a poll of a job. */
export function countPoll(stats: FakeStats, id: string): void {
  stats.polls[id] = (stats.polls[id] ?? 0) + 1
}

/** A job's failure: the one a fault asked for, else the host's complaint about an undecodable input. */
export async function jobFailureFor(faults: Faults, bytes: Uint8Array, undecodable: string): Promise<string | undefined> {
  return faults.takeJobFailure() ?? ((await isDecodableImage(bytes)) ? undefined : undecodable)
}

/** The handle's common part, from a started server. */
export function handleOf(server: FakeServer, { key, stats, faults, jobs }: FakeState): FakeHostHandle {
  return { url: server.url, storageUrl: server.storageUrl, key, stats, faults, timing: jobs.timing, jobs, outputSize: (ratio) => jobs.outputSize(ratio), close: server.close }
}
