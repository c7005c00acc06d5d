/**
 * A fake Replicate on 127.0.0.1: the Files API (multipart, field `content`), predictions on
 * `luma/reframe-image` (starting -> processing -> succeeded|failed), problem+json error bodies,
 * `Authorization: Bearer`, CORS for `Origin: null`, real JPEG results on a delivery path of the
 * result base (replicate.delivery behind a relay).
 * Inputs may be a data URI (counted in stats.inlineBytes) or a Files API URL.
 *
 * ```ts
 * const fake = await startFakeReplicate()
 * const provider = createReplicateProvider({ apiKey: fake.key, baseUrl: fake.url })
 * fake.faults.inject('create', { kind: 'status', status: 429, retryAfter: '0.05' })
 * await fake.close()
 * ```
 * Routes (fault names): account, files, file-meta, create, poll, cancel, download.
 */
import { basesOf, countCreate, countPoll, createFakeState, handleOf, inputImageBytes, jobFailureFor, parseJson, parseRatio, requestedSourceBox, resultRoute, startFakeServer, type CommonFakeOptions, type FakeBases, type FakeHostHandle, type FakeReply, type FakeRequest, type RouteMatch } from './fake-host'

const API_HEADERS = ['authorization', 'content-type', 'prefer']
const PHOTON_MODELS = ['photon-flash-1', 'photon-1']

export type FakeReplicate = FakeHostHandle

export async function startFakeReplicate(options: CommonFakeOptions = {}): Promise<FakeReplicate> {
  const state = createFakeState(options, 'r8_testtoken0123456789abcdef')
  const { key, stats, faults, jobs, store } = state
  let bases: FakeBases = { api: '', storage: '', results: '' }

  const TITLES: Record<number, string> = { 401: 'Unauthenticated', 402: 'Insufficient credit', 404: 'Not found', 422: 'Input validation failed', 429: 'Request was throttled.' }
  const errorReply = (status: number, detail: string): FakeReply => ({
    status,
    json: { title: TITLES[status] ?? 'Error', detail, status },
    headers: { 'Content-Type': 'application/problem+json' }
  })

  async function files(req: FakeRequest): Promise<FakeReply> {
    const type = String(req.headers['content-type'] ?? '')
    if (!type.startsWith('multipart/form-data')) return errorReply(400, 'Expected a multipart/form-data body')
    const form = await new Request('http://fake/v1/files', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(req.body) }).formData()
    const content = form.get('content')
    if (!(content instanceof Blob)) return errorReply(400, 'The "content" field is required')
    const bytes = new Uint8Array(await content.arrayBuffer())
    const id = store.newId('')
    store.files.set(id, { bytes, contentType: content.type || 'application/octet-stream' })
    stats.uploads += 1
    stats.bytesUploaded += bytes.length
    return {
      status: 201,
      json: {
        id,
        name: content instanceof File ? content.name : 'file',
        content_type: content.type,
        size: bytes.length,
        etag: id,
        checksums: {},
        metadata: {},
        created_at: new Date().toISOString(),
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
        urls: { get: `${bases.api}/v1/files/${id}` }
      }
    }
  }

  function prediction(id: string): unknown {
    const job = jobs.jobs.get(id)!
    const phase = jobs.phase(job)
    const status = { queued: 'starting', running: 'processing', succeeded: 'succeeded', failed: 'failed', cancelled: 'canceled' }[phase]
    return {
      id,
      model: 'luma/reframe-image',
      version: 'hidden',
      input: job.input,
      status,
      output: phase === 'succeeded' ? `${bases.results}/delivery/${id}.jpg` : null,
      error: phase === 'failed' ? job.failure : null,
      logs: '',
      created_at: new Date(job.createdAt).toISOString(),
      urls: { get: `${bases.api}/v1/predictions/${id}`, cancel: `${bases.api}/v1/predictions/${id}/cancel`, web: `https://replicate.com/p/${id}` }
    }
  }

  async function create(req: FakeRequest): Promise<FakeReply> {
    const body = parseJson(req.body) as { input?: Record<string, unknown> } | undefined
    const input = body?.input
    if (!input) return errorReply(422, '- (root): input is required')
    const ratio = parseRatio(input.aspect_ratio)
    if (!ratio) return errorReply(422, '- input.aspect_ratio: input.aspect_ratio must be one of the following: "1:1", "16:9", "9:16", "4:3", "3:4", "21:9", "9:21"')
    if (input.model !== undefined && !PHOTON_MODELS.includes(String(input.model))) return errorReply(422, '- input.model: must be one of "photon-flash-1", "photon-1"')
    const bytes = inputImageBytes(input.image, `${bases.api}/v1/files/`, store, stats)
    if (!bytes) return errorReply(422, '- input.image: Does not match format \'uri\'')
    // the box fields travel inside `input`, like every other model input on Replicate
    const box = requestedSourceBox(input, ratio)
    if (box.error) return errorReply(422, `- input: ${box.error}`)
    const failure = await jobFailureFor(faults, bytes, 'cannot identify image file')
    const job = jobs.create('', ratio, bytes, input, failure, box.box)
    countCreate(stats, jobs, job)
    return { status: 201, json: prediction(job.id) }
  }

  function poll(id: string): FakeReply {
    if (!jobs.jobs.has(id)) return errorReply(404, 'The requested resource could not be found.')
    countPoll(stats, id)
    return { status: 200, json: prediction(id) }
  }

  /** POST urls.cancel: answers the prediction, `canceled` from then on (a finished one is returned as it is). */
  function cancel(id: string): FakeReply {
    const job = jobs.jobs.get(id)
    if (!job) return errorReply(404, 'The requested resource could not be found.')
    if (jobs.cancel(job)) stats.cancels += 1
    return { status: 200, json: prediction(id) }
  }

  function match(method: string, url: URL): RouteMatch | undefined {
    const path = url.pathname
    const api = (name: string, handle: RouteMatch['handle'], jobId?: string): RouteMatch => ({ name, jobId, corsHeaders: API_HEADERS, auth: true, handle })
    if (method === 'GET' && path === '/v1/account') {
      // the token's owner, as Replicate documents it: the free key check
      return api('account', () => ({ status: 200, json: { type: 'user', username: 'designer', name: 'A Designer', github_url: null } }))
    }
    if (method === 'POST' && path === '/v1/files') return api('files', files)
    if (method === 'POST' && path === '/v1/models/luma/reframe-image/predictions') return api('create', create)
    let m = /^\/v1\/predictions\/([\w-]+)$/.exec(path)
    if (method === 'GET' && m) return api('poll', () => poll(m![1]), m[1])
    m = /^\/v1\/predictions\/([\w-]+)\/cancel$/.exec(path)
    if (method === 'POST' && m) return api('cancel', () => cancel(m![1]), m[1])
    m = /^\/v1\/files\/([\w-]+)$/.exec(path)
    if (method === 'GET' && m) {
      const file = store.files.get(m[1])
      return api('file-meta', () => (file ? { status: 200, json: { id: m![1], size: file.bytes.length, content_type: file.contentType } } : errorReply(404, 'Not found')))
    }
    m = /^\/delivery\/([\w-]+)\.jpg$/.exec(path)
    if (method === 'GET' && m) return resultRoute(jobs, stats, m[1])
    return undefined
  }

  const authorized = (h: FakeRequest['headers']) => h.authorization === `Bearer ${key}` || h.authorization === `Token ${key}`
  const server = await startFakeServer({ match, authorized, errorReply }, stats, faults, { ...options, key })
  bases = basesOf(server, options)
  return handleOf(server, state)
}
