/**
 * A fake fal on 127.0.0.1: storage upload (initiate + PUT to a token URL on the storage base, like
 * v3.fal.media), the queue (submit ->
 * IN_QUEUE/IN_PROGRESS/COMPLETED -> response), `{"detail": ...}` error bodies (422 with a list),
 * `Authorization: Key`, CORS for `Origin: null`, real JPEG results. Data-URI inputs are accepted too.
 *
 * ```ts
 * const fake = await startFakeFal()
 * const provider = createFalProvider({ apiKey: fake.key, baseUrl: fake.url })
 * fake.faults.inject('status', { kind: 'drop' })
 * await fake.close()
 * ```
 * Routes (fault names): initiate, put, file, submit, status, response, cancel, download.
 */
import { basesOf, countCreate, countPoll, createFakeState, handleOf, inputImageBytes, jobFailureFor, parseJson, parseRatio, requestedSourceBox, resultRoute, startFakeServer, storedFileRoute, type CommonFakeOptions, type FakeBases, type FakeHostHandle, type FakeReply, type FakeRequest, type RouteMatch } from './fake-host'

const MODEL = '/fal-ai/luma-photon/flash/reframe'
const REQUESTS = '/fal-ai/luma-photon/requests/'
const API_HEADERS = ['authorization', 'content-type']

export type FakeFal = FakeHostHandle

export async function startFakeFal(options: CommonFakeOptions = {}): Promise<FakeFal> {
  const state = createFakeState(options, 'fal-test-key:9d81e0c4')
  const { key, stats, faults, jobs, store } = state
  const tokens = new Map<string, string>()
  let bases: FakeBases = { api: '', storage: '', results: '' }

  const errorReply = (status: number, message: string): FakeReply => ({ status, json: { detail: message } })
  const invalid = (field: string, msg: string): FakeReply => ({
    status: 422,
    json: { detail: [{ loc: ['body', field], msg, type: 'value_error' }] }
  })

  function initiate(req: FakeRequest): FakeReply {
    if (req.url.searchParams.get('storage_type') !== 'fal-cdn-v3') return errorReply(400, 'Unsupported storage_type')
    const body = parseJson(req.body) as { content_type?: unknown; file_name?: unknown } | undefined
    if (!body || typeof body.content_type !== 'string') return invalid('content_type', 'field required')
    if (typeof body.file_name !== 'string') return invalid('file_name', 'field required')
    const id = store.newId('u')
    const token = Math.random().toString(36).slice(2)
    tokens.set(id, token)
    store.files.set(id, { bytes: new Uint8Array(), contentType: body.content_type })
    return { status: 200, json: { upload_url: `${bases.storage}/cdn/upload/${id}?token=${token}`, file_url: `${bases.storage}/cdn/files/${id}` } }
  }

  function put(req: FakeRequest, id: string): FakeReply {
    const file = store.files.get(id)
    if (!file || req.url.searchParams.get('token') !== tokens.get(id)) return { status: 403, json: { detail: 'Invalid upload token' } }
    if (req.headers['content-type'] !== file.contentType) return { status: 400, json: { detail: 'Content-Type does not match the initiated upload' } }
    file.bytes = new Uint8Array(req.body)
    stats.uploads += 1
    stats.bytesUploaded += req.body.length
    return { status: 200, json: {} }
  }

  async function submit(req: FakeRequest): Promise<FakeReply> {
    const input = parseJson(req.body) as Record<string, unknown> | undefined
    if (!input || typeof input !== 'object') return invalid('image_url', 'field required')
    if ('input' in input) return invalid('image_url', 'field required (the body is the input itself, not wrapped)')
    const ratio = parseRatio(input.aspect_ratio)
    if (!ratio) return invalid('aspect_ratio', "Input should be '21:9', '16:9', '4:3', '1:1', '3:4', '9:16' or '9:21'")
    const bytes = inputImageBytes(input.image_url, `${bases.storage}/cdn/files/`, store, stats)
    if (!bytes) return invalid('image_url', 'Could not download the file from the given URL')
    // fal's body is the input itself: the box fields are top-level
    const box = requestedSourceBox(input, ratio)
    if (box.error) return invalid('x_start', box.error)
    const failure = await jobFailureFor(faults, bytes, 'Unsupported image format')
    const job = jobs.create('', ratio, bytes, input, failure, box.box)
    countCreate(stats, jobs, job)
    const at = `${bases.api}${REQUESTS}${job.id}`
    return {
      status: 200,
      json: { request_id: job.id, response_url: at, status_url: `${at}/status`, cancel_url: `${at}/cancel`, queue_position: Math.max(0, jobs.inFlight() - 1) }
    }
  }

  function status(id: string): FakeReply {
    const job = jobs.jobs.get(id)
    if (!job) return errorReply(404, 'Request not found')
    countPoll(stats, id)
    const phase = jobs.phase(job)
    const at = `${bases.api}${REQUESTS}${id}`
    if (phase === 'queued') return { status: 200, json: { status: 'IN_QUEUE', queue_position: 0, response_url: at } }
    if (phase === 'cancelled') return { status: 200, json: { status: 'COMPLETED', response_url: at, logs: null, error: 'Request was cancelled', error_type: 'cancelled' } }
    if (phase === 'running') return { status: 200, json: { status: 'IN_PROGRESS', response_url: at, logs: null } }
    return {
      status: 200,
      json: { status: 'COMPLETED', response_url: at, logs: null, metrics: { inference_time: 1.2 }, ...(phase === 'failed' ? { error: job.failure, error_type: 'generation_error' } : {}) }
    }
  }

  function response(id: string): FakeReply {
    const job = jobs.jobs.get(id)
    if (!job) return errorReply(404, 'Request not found')
    const phase = jobs.phase(job)
    if (phase === 'queued' || phase === 'running') return errorReply(400, 'Request is still in progress')
    if (phase === 'failed') return errorReply(422, job.failure ?? 'Generation failed')
    if (phase === 'cancelled') return errorReply(400, 'Request was cancelled')
    const size = jobs.outputSize(job.ratio)
    return { status: 200, json: { images: [{ url: `${bases.results}/results/${id}.jpg`, content_type: 'image/jpeg', ...size }], seed: 42 } }
  }


  /** PUT cancel_url (fal's queue docs): 202 CANCELLATION_REQUESTED, or 400 ALREADY_COMPLETED. */
  function cancel(id: string): FakeReply {
    const job = jobs.jobs.get(id)
    if (!job) return { status: 404, json: { status: 'NOT_FOUND' } }
    if (!jobs.cancel(job)) return { status: 400, json: { status: 'ALREADY_COMPLETED' } }
    stats.cancels += 1
    return { status: 202, json: { status: 'CANCELLATION_REQUESTED' } }
  }

  function match(method: string, url: URL): RouteMatch | undefined {
    const path = url.pathname
    const api = (name: string, handle: RouteMatch['handle'], jobId?: string): RouteMatch => ({ name, jobId, corsHeaders: API_HEADERS, auth: true, handle })
    if (method === 'POST' && path === '/storage/upload/initiate') return api('initiate', initiate)
    if (method === 'POST' && path === MODEL) return api('submit', submit)
    let m = /^\/fal-ai\/luma-photon\/requests\/([\w-]+)\/status$/.exec(path)
    if (method === 'GET' && m) return api('status', () => status(m![1]), m[1])
    m = /^\/fal-ai\/luma-photon\/requests\/([\w-]+)\/cancel$/.exec(path)
    if (method === 'PUT' && m) return api('cancel', () => cancel(m![1]), m[1])
    m = /^\/fal-ai\/luma-photon\/requests\/([\w-]+)$/.exec(path)
    if (method === 'GET' && m) return api('response', () => response(m![1]), m[1])
    m = /^\/cdn\/upload\/([\w-]+)$/.exec(path)
    if (method === 'PUT' && m) {
      const id = m[1]
      return { name: 'put', storage: true, corsHeaders: ['content-type'], auth: false, handle: (req) => put(req, id) }
    }
    m = /^\/cdn\/files\/([\w-]+)$/.exec(path)
    if (method === 'GET' && m) return storedFileRoute(store, m[1])
    m = /^\/results\/([\w-]+)\.jpg$/.exec(path)
    if (method === 'GET' && m) return resultRoute(jobs, stats, m[1])
    return undefined
  }

  const server = await startFakeServer({ match, authorized: (h) => h.authorization === `Key ${key}`, errorReply }, stats, faults, { ...options, key })
  bases = basesOf(server, options)
  return handleOf(server, state)
}
