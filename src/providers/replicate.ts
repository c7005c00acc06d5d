// Replicate serving `luma/reframe-image` (photon-flash-1): the source goes inline as a data URI when
// small, through the Files API once when not; then one prediction per ratio, polled and downloaded.
import * as z from 'zod/mini'
import { REPLICATE_DATA_URI_MAX_BYTES } from './guesses'
import { hostedProvider } from './hosted-provider'
import type { JobPoll } from './job-api'
import { keyHeaders, requireKeyedUrl, trimSlash } from './host-address'
import { HostHttp } from './http/host-http'
import type { HostSpeaker } from './http/status-error'
import type { HostedProviderConfig, JobTicket, ReframeProvider } from './provider'
import { reframeInput } from './reframe-input'
import { uploadFileName } from './run-upload'
import { IMAGE_MIME, type EncodedImage } from '../core/image-header'

export const REPLICATE_API = 'https://api.replicate.com'
export const REPLICATE_MODEL = 'luma/reframe-image'
export const REPLICATE_PHOTON_MODEL = 'photon-flash-1'

const FileSchema = z.object({ id: z.string().check(z.minLength(1)), urls: z.object({ get: z.string().check(z.minLength(1)) }) })

const PredictionSchema = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled']),
  output: z.nullish(z.union([z.string(), z.array(z.string()).check(z.minLength(1))])),
  error: z.optional(z.unknown()),
  urls: z.nullish(z.object({ get: z.optional(z.string()), cancel: z.optional(z.string()) }))
})

export const REPLICATE_HOST: HostSpeaker = {
  name: 'Replicate',
  messageOf: (body) => {
    if (typeof body !== 'object' || body === null) return undefined
    const { detail, title, error } = body as Record<string, unknown>
    if (typeof detail === 'string' && detail) return detail
    if (typeof error === 'string' && error) return error
    return typeof title === 'string' ? title : undefined
  }
}

/** `data:<mime>;base64,...` in chunks, so large images do not overflow the argument list. */
export function toDataUri(image: EncodedImage): string {
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < image.bytes.length; i += chunk) {
    binary += String.fromCharCode(...image.bytes.subarray(i, i + chunk))
  }
  return `data:${IMAGE_MIME[image.format]};base64,${btoa(binary)}`
}

export function createReplicateProvider(config: HostedProviderConfig = {}): ReframeProvider {
  const base = trimSlash(config.baseUrl ?? REPLICATE_API)
  const uploadBase = trimSlash(config.uploadBaseUrl ?? base)
  const http = new HostHttp({ host: REPLICATE_HOST, transport: config.transport, secrets: [config.apiKey], tuning: config.tuning })
  const auth = keyHeaders('replicate', config.apiKey)

  async function check(ticket: JobTicket, signal: AbortSignal): Promise<JobPoll> {
    const url = `${base}/v1/predictions/${encodeURIComponent(ticket.jobId)}`
    const prediction = await http.json(PredictionSchema, url, { method: 'GET', headers: auth }, signal, { retry: 'until-deadline' })
    switch (prediction.status) {
      case 'starting':
        return { state: 'queued' }
      case 'processing':
        return { state: 'running' }
      case 'succeeded': {
        const output = Array.isArray(prediction.output) ? prediction.output[0] : prediction.output
        if (!output) return { state: 'failed', reason: 'the prediction succeeded without an output' }
        return { state: 'succeeded', resultUrl: output }
      }
      case 'canceled':
        return { state: 'failed', reason: 'the prediction was cancelled on Replicate' }
      default:
        return { state: 'failed', reason: typeof prediction.error === 'string' && prediction.error ? prediction.error : 'no reason given' }
    }
  }

  /** POST on the prediction's `urls.cancel`, or the documented /v1/predictions/<id>/cancel. */
  async function cancel(ticket: JobTicket, signal: AbortSignal): Promise<void> {
    const url = ticket.urls.cancel ?? `${base}/v1/predictions/${encodeURIComponent(ticket.jobId)}/cancel`
    await http.send(requireKeyedUrl(url, 'replicate', base, 'Replicate'), { method: 'POST', headers: auth }, signal, { retry: 'once' })
  }

  return hostedProvider({ id: 'replicate', config, apiBase: base, http, check, cancel }, {
    async upload(source, signal) {
      if (source.bytes.byteLength < REPLICATE_DATA_URI_MAX_BYTES) return toDataUri(source)
      const form = new FormData()
      form.append('content', new Blob([source.bytes as BlobPart], { type: IMAGE_MIME[source.format] }), uploadFileName(source))
      // no Content-Type header: fetch writes multipart/form-data with its boundary
      const file = await http.json(FileSchema, `${uploadBase}/v1/files`, { method: 'POST', headers: auth, body: form }, signal)
      return file.urls.get
    },

    async create(uploaded, native, options, signal) {
      const input = { ...reframeInput('image', uploaded, native, options), model: REPLICATE_PHOTON_MODEL }
      const prediction = await http.json(
        PredictionSchema,
        `${base}/v1/models/${REPLICATE_MODEL}/predictions`,
        { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ input }) },
        signal,
        { retry: 'create' }
      )
      const { get, cancel } = prediction.urls ?? {}
      return { provider: 'replicate', jobId: prediction.id, urls: { ...(get ? { get } : {}), ...(cancel ? { cancel } : {}) } }
    }
  })
}
