// each::labs (the default host) serving `luma-photon-flash-reframe-image`: presigned upload once per
// source, then one prediction per ratio, polled to a final state, result downloaded.
import * as z from 'zod/mini'
import { EACHLABS_CANCEL_METHOD, EACHLABS_CANCELLED_STATUSES, EACHLABS_FAILED_STATUSES } from './guesses'
import { hostedProvider } from './hosted-provider'
import type { JobPoll } from './job-api'
import { keyHeaders, requireKeyedUrl, trimSlash } from './host-address'
import { HostHttp } from './http/host-http'
import type { RetryMode } from './http/retry-policy'
import type { HostSpeaker } from './http/status-error'
import type { HostedProviderConfig, JobTicket, ReframeProvider } from './provider'
import { IMAGE_MIME } from '../core/image-header'
import { ReframeError } from '../core/reframe-error'
import { reframeInput } from './reframe-input'
import { eachlabsOutputUrl } from './eachlabs-output-url'

export const EACHLABS_API = 'https://api.eachlabs.ai'
export const EACHLABS_MODEL = 'luma-photon-flash-reframe-image'
/** Documented as both deprecated and required. */
export const EACHLABS_MODEL_VERSION = '0.0.1'
/** Presigned URLs are valid 15 minutes at most. */
const PRESIGN_SECONDS = 900

const PresignSchema = z.object({
  id: z.optional(z.string()),
  presigned_url: z.string().check(z.minLength(1)),
  public_url: z.string().check(z.minLength(1)),
  expires_at: z.optional(z.unknown()),
  required_headers: z.optional(z.record(z.string(), z.string()))
})

const CreateSchema = z.object({
  status: z.optional(z.string()),
  message: z.optional(z.string()),
  predictionID: z.optional(z.string().check(z.minLength(1)))
})

const PredictionSchema = z.object({
  id: z.optional(z.string()),
  status: z.enum(['created', 'starting', 'processing', 'success', ...EACHLABS_FAILED_STATUSES, ...EACHLABS_CANCELLED_STATUSES]),
  output: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
  logs: z.optional(z.unknown()),
  urls: z.nullish(z.object({ cancel: z.optional(z.string()), get: z.optional(z.string()) }))
})

export const EACHLABS_HOST: HostSpeaker = {
  name: 'each::labs',
  messageOf: (body) => {
    if (typeof body !== 'object' || body === null) return typeof body === 'string' ? body : undefined
    const record = body as Record<string, unknown>
    for (const field of ['error', 'message', 'detail']) {
      if (typeof record[field] === 'string' && record[field]) return record[field]
    }
    return undefined
  }
}

function failureReason(prediction: z.infer<typeof PredictionSchema>): string {
  const said = [prediction.error, prediction.logs].find((v) => typeof v === 'string' && v.trim() !== '')
  return (said as string | undefined)?.trim() ?? 'no reason given'
}

export function createEachlabsProvider(config: HostedProviderConfig = {}): ReframeProvider {
  const base = trimSlash(config.baseUrl ?? EACHLABS_API)
  const uploadBase = trimSlash(config.uploadBaseUrl ?? base)
  const http = new HostHttp({ host: EACHLABS_HOST, transport: config.transport, secrets: [config.apiKey], tuning: config.tuning })
  const auth = keyHeaders('eachlabs', config.apiKey)
  const jsonHeaders = { ...auth, 'Content-Type': 'application/json' }

  function prediction(id: string, signal: AbortSignal, retry: RetryMode): Promise<z.infer<typeof PredictionSchema>> {
    return http.json(PredictionSchema, `${base}/v1/prediction/${encodeURIComponent(id)}`, { method: 'GET', headers: auth }, signal, { retry })
  }

  async function check(ticket: JobTicket, signal: AbortSignal): Promise<JobPoll> {
    const found = await prediction(ticket.jobId, signal, 'until-deadline')
    // the cancel URL comes with the prediction, not with the create answer: keep it for a cancel
    const urls = found.urls?.cancel ? { cancel: found.urls.cancel } : undefined
    switch (found.status) {
      case 'created':
      case 'starting':
        return { state: 'queued', detail: found.status, urls }
      case 'processing':
        return { state: 'running', urls }
      case 'success': {
        const url = eachlabsOutputUrl(found.output)
        if (!url) throw new ReframeError('malformed', 'each::labs finished the job but its output holds no image URL.')
        return { state: 'succeeded', resultUrl: url }
      }
      case 'cancelled':
      case 'canceled':
        return { state: 'failed', reason: 'the prediction was cancelled on each::labs' }
      default:
        return { state: 'failed', reason: failureReason(found) }
    }
  }

  /** `urls.cancel` of the prediction (reframe-apis.md); one free look at it when no poll has brought it yet. */
  async function cancel(ticket: JobTicket, signal: AbortSignal): Promise<void> {
    const url = ticket.urls.cancel ?? (await prediction(ticket.jobId, signal, 'once')).urls?.cancel
    if (!url) throw new ReframeError('malformed', 'each::labs gave no cancel address for the prediction.')
    await http.send(requireKeyedUrl(url, 'eachlabs', base, 'each::labs'), { method: EACHLABS_CANCEL_METHOD, headers: auth }, signal, { retry: 'once' })
  }

  return hostedProvider({ id: 'eachlabs', config, apiBase: base, http, check, cancel }, {
    async upload(source, signal) {
      const contentType = IMAGE_MIME[source.format]
      const presign = await http.json(
        PresignSchema,
        `${uploadBase}/v1/upload/presign`,
        {
          method: 'POST',
          headers: jsonHeaders,
          body: JSON.stringify({ content_type: contentType, file_type: 'image', expires_in_seconds: PRESIGN_SECONDS })
        },
        signal
      )
      // the signature covers these headers: send every one exactly as given, no key (another host)
      const headers = new Headers({ 'Content-Type': contentType })
      for (const [name, value] of Object.entries(presign.required_headers ?? {})) headers.set(name, value)
      await http.send(presign.presigned_url, { method: 'PUT', headers, body: source.bytes as BodyInit }, signal)
      return presign.public_url
    },

    async create(uploaded, native, options, signal) {
      const input = reframeInput('image_url', uploaded, native, options)
      const created = await http.json(
        CreateSchema,
        `${base}/v1/prediction`,
        {
          method: 'POST',
          headers: jsonHeaders,
          body: JSON.stringify({ model: EACHLABS_MODEL, version: EACHLABS_MODEL_VERSION, input })
        },
        signal,
        { retry: 'create' }
      )
      const id = created.predictionID
      if (!id) {
        // a 200 without an id: the host's words say why (seen as {"status":"error","message":...})
        const said = created.message ? `: ${http.scrub(created.message)}` : ''
        throw new ReframeError('malformed', `each::labs did not start the prediction${said}.`, { hostMessage: created.message })
      }
      // polled by id; its cancel URL arrives with the first poll
      return { provider: 'eachlabs', jobId: id, urls: {} }
    }
  })
}
