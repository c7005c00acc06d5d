/**
 * A fake each::labs on 127.0.0.1, as strict as the documented API: presign + PUT with the signed
 * headers, predictions with created/starting/processing/success|error, `{"error": ...}` bodies,
 * the 10-in-flight concurrency cap (429), CORS for `Origin: null`, real JPEG results.
 *
 * ```ts
 * const fake = await startFakeEachlabs({ queuedMs: 20, runningMs: 40 })
 * const provider = createEachlabsProvider({ apiKey: fake.key, baseUrl: fake.url })
 * fake.faults.inject('poll', { kind: 'status', status: 500 })   // the next poll fails once
 * fake.faults.failJobs('NSFW content detected')                 // the next job fails
 * fake.faults.redrawJobs({ redraw: 'degraded' })                 // the next result is redrawn, not exact
 * fake.stats.uploads; fake.stats.polls; fake.stats.maxInFlight
 * await fake.close()
 * ```
 * An unknown prediction id answers 404 only once the key passed (a wrong key gets 401 first), which
 * is what the provider's free key check relies on.
 * Routes (fault names): presign, put, file, create, poll, cancel, download.
 */
import type { IncomingMessage } from 'node:http'
import { basesOf, countCreate, countPoll, createFakeState, handleOf, isDecodableImage, parseJson, parseRatio, requestedSourceBox, resultRoute, startFakeServer, storedFileRoute, type CommonFakeOptions, type FakeBases, type FakeHostHandle, type FakeReply, type FakeRequest, type RouteMatch } from './fake-host'

export type EachlabsOutputShape = 'string' | 'array' | 'array-object' | 'object-url' | 'object-image' | 'object-images'

export type EachlabsFakeOptions = CommonFakeOptions & {
  /** Predictions in flight before 429 (each::labs: 10 while the balance is <= $10). */
  maxInFlight?: number
  /** How `output` is shaped (undocumented for this slug). */
  outputShape?: EachlabsOutputShape
  /** Status word of a failed prediction: the API says `error`, older docs `failed`. */
  failureStatus?: 'error' | 'failed'
}

const SLUG = 'luma-photon-flash-reframe-image'
const SIGNED_HEADER = 'x-goog-content-length-range'
const SIGNED_VALUE = '0,104857600'
const API_HEADERS = ['authorization', 'x-api-key', 'content-type']

export type FakeEachlabs = FakeHostHandle<{ options: EachlabsFakeOptions }>

export async function startFakeEachlabs(options: EachlabsFakeOptions = {}): Promise<FakeEachlabs> {
  const state = createFakeState(options, 'eachlabs-test-key-5f2c9a')
  const { key, stats, faults, jobs, store, timing } = state
  const signatures = new Map<string, string>()
  let bases: FakeBases = { api: '', storage: '', results: '' }

  const errorReply = (status: number, message: string): FakeReply => ({ status, json: { error: message } })

  function output(jobId: string): unknown {
    const url = `${bases.results}/results/${jobId}.jpg`
    switch (options.outputShape ?? 'string') {
      case 'string':
        return url
      case 'array':
        return [url]
      case 'array-object':
        return [{ url }]
      case 'object-url':
        return { url }
      case 'object-image':
        return { image: url }
      case 'object-images':
        return { images: [{ url, width: 1, height: 1 }] }
    }
  }

  function presign(req: FakeRequest): FakeReply {
    const body = parseJson(req.body) as { content_type?: unknown; file_type?: unknown } | undefined
    if (!body || typeof body.content_type !== 'string' || !body.content_type.startsWith('image/')) {
      return errorReply(400, 'content_type is required and must be an image type')
    }
    const id = store.newId('f_')
    const signature = Math.random().toString(36).slice(2)
    signatures.set(id, signature)
    store.files.set(id, { bytes: new Uint8Array(), contentType: body.content_type })
    return {
      status: 200,
      json: {
        id,
        presigned_url: `${bases.storage}/storage/upload/${id}?X-Goog-Signature=${signature}`,
        public_url: `${bases.storage}/storage/files/${id}`,
        expires_at: new Date(Date.now() + 900_000).toISOString(),
        required_headers: { 'Content-Type': body.content_type, [SIGNED_HEADER]: SIGNED_VALUE }
      }
    }
  }

  function put(req: FakeRequest, id: string): FakeReply {
    const file = store.files.get(id)
    const signed = req.url.searchParams.get('X-Goog-Signature')
    const denied = (why: string): FakeReply => ({
      status: 403,
      body: `<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code><Message>${why}</Message></Error>`,
      headers: { 'Content-Type': 'application/xml' }
    })
    if (!file || signed !== signatures.get(id)) return denied('The request signature we calculated does not match the signature you provided.')
    if (req.headers['content-type'] !== file.contentType) return denied('Content-Type does not match the signed value.')
    if (req.headers[SIGNED_HEADER] !== SIGNED_VALUE) return denied(`${SIGNED_HEADER} is missing or does not match the signed value.`)
    if (req.headers.authorization !== undefined) return { status: 400, body: '<Error><Code>InvalidArgument</Code><Message>Multiple authentication mechanisms</Message></Error>' }
    file.bytes = new Uint8Array(req.body)
    stats.uploads += 1
    stats.bytesUploaded += req.body.length
    return { status: 200, body: '' }
  }

  async function create(req: FakeRequest): Promise<FakeReply> {
    const body = parseJson(req.body) as { model?: unknown; version?: unknown; input?: Record<string, unknown> } | undefined
    if (!body || body.model !== SLUG) return errorReply(400, `model must be "${SLUG}"`)
    if (typeof body.version !== 'string') return errorReply(400, 'version is required')
    const input = body.input ?? {}
    const ratio = parseRatio(input.aspect_ratio)
    if (!ratio) return errorReply(400, `aspect_ratio must be one of 1:1, 16:9, 9:16, 4:3, 3:4, 21:9, 9:21`)
    const imageUrl = typeof input.image_url === 'string' ? input.image_url : ''
    const files = `${bases.storage}/storage/files/`
    const fileId = imageUrl.startsWith(files) ? imageUrl.slice(files.length) : ''
    const file = store.files.get(fileId)
    if (!file || file.bytes.length === 0) return errorReply(400, 'image_url could not be downloaded')
    // the source box travels inside `input`, beside image_url and aspect_ratio
    const box = requestedSourceBox(input, ratio)
    if (box.error) return errorReply(400, box.error)
    // decode first: the cap check and the job's creation must not be split by an await
    const decodable = await isDecodableImage(file.bytes)
    const cap = options.maxInFlight ?? 10
    if (jobs.inFlight() >= cap) {
      const reply = errorReply(429, `Concurrency limit reached: at most ${cap} predictions can run at once`)
      if (options.retryAfter !== undefined) reply.headers = { 'Retry-After': options.retryAfter }
      return reply
    }
    const failure = faults.takeJobFailure() ?? (decodable ? undefined : 'cannot identify image file')
    const job = jobs.create('p_', ratio, file.bytes, input, failure, box.box)
    countCreate(stats, jobs, job)
    return { status: 200, json: { status: 'success', message: 'Prediction created successfully', predictionID: job.id } }
  }

  function poll(id: string): FakeReply {
    const job = jobs.jobs.get(id)
    if (!job) return errorReply(404, 'Prediction not found')
    countPoll(stats, id)
    const phase = jobs.phase(job)
    const age = Date.now() - job.createdAt
    const status = { queued: age < timing.queuedMs / 2 ? 'created' : 'starting', running: 'processing', succeeded: 'success', failed: options.failureStatus ?? 'error', cancelled: 'cancelled' }[phase]
    return {
      status: 200,
      json: {
        id,
        input: job.input,
        status,
        output: phase === 'succeeded' ? output(id) : null,
        ...(phase === 'failed' ? { error: job.failure } : {}),
        logs: phase === 'failed' ? job.failure : null,
        metrics: { predict_time: phase === 'succeeded' ? age / 1000 : 0, cost: phase === 'succeeded' ? 0.005 : 0 },
        urls: { cancel: `${bases.api}/v1/prediction/${id}/cancel`, get: `${bases.api}/v1/prediction/${id}` }
      }
    }
  }


  /** POST urls.cancel: the prediction stops and reads `cancelled` from then on. */
  function cancel(id: string): FakeReply {
    const job = jobs.jobs.get(id)
    if (!job) return errorReply(404, 'Prediction not found')
    if (!jobs.cancel(job)) return errorReply(400, 'Prediction already finished')
    stats.cancels += 1
    return { status: 200, json: { status: 'success', message: 'Prediction cancelled' } }
  }

  function match(method: string, url: URL): RouteMatch | undefined {
    const path = url.pathname
    const api = (name: string, handle: RouteMatch['handle'], jobId?: string): RouteMatch => ({ name, jobId, corsHeaders: API_HEADERS, auth: true, handle })
    if (method === 'POST' && path === '/v1/upload/presign') return api('presign', presign)
    if (method === 'POST' && (path === '/v1/prediction' || path === '/v1/prediction/')) return api('create', create)
    let m = /^\/v1\/prediction\/([\w-]+)\/?$/.exec(path)
    if (method === 'GET' && m) return api('poll', () => poll(m![1]), m[1])
    m = /^\/v1\/prediction\/([\w-]+)\/cancel$/.exec(path)
    if (method === 'POST' && m) return api('cancel', () => cancel(m![1]), m[1])
    m = /^\/storage\/upload\/([\w-]+)$/.exec(path)
    if (method === 'PUT' && m) {
      const id = m[1]
      return { name: 'put', storage: true, corsHeaders: ['content-type', SIGNED_HEADER], auth: false, handle: (req) => put(req, id) }
    }
    m = /^\/storage\/files\/([\w-]+)$/.exec(path)
    if (method === 'GET' && m) return storedFileRoute(store, m[1])
    m = /^\/results\/([\w-]+)\.jpg$/.exec(path)
    if (method === 'GET' && m) return resultRoute(jobs, stats, m[1])
    return undefined
  }

  const authorized = (headers: IncomingMessage['headers']) => headers.authorization === `Bearer ${key}` || headers['x-api-key'] === key

  const server = await startFakeServer({ match, authorized, errorReply }, stats, faults, { ...options, key })
  bases = basesOf(server, options)
  return { ...handleOf(server, state), options }
}
