// fal serving `fal-ai/luma-photon/flash/reframe`: one storage upload per source (initiate + PUT), then
// one queue request per ratio, followed through the status/response URLs fal hands back.
import * as z from 'zod/mini'
import { ReframeError } from '../core/reframe-error'
import { FAL_STATUS_MAY_CARRY_ERROR, FAL_UPLOAD_STORAGE_TYPE } from './guesses'
import { hostedProvider } from './hosted-provider'
import type { JobPoll } from './job-api'
import { keyHeaders, requireKeyedUrl, trimSlash } from './host-address'
import { HostHttp } from './http/host-http'
import { isTransientStatus } from './http/retry-policy'
import type { HostSpeaker } from './http/status-error'
import type { HostedProviderConfig, JobTicket, ReframeProvider } from './provider'
import { reframeInput } from './reframe-input'
import { uploadFileName } from './run-upload'
import { IMAGE_MIME } from '../core/image-header'

export const FAL_QUEUE = 'https://queue.fal.run'
export const FAL_REST = 'https://rest.fal.ai'
export const FAL_MODEL_PATH = 'fal-ai/luma-photon/flash/reframe'

const InitiateSchema = z.object({ upload_url: z.string().check(z.minLength(1)), file_url: z.string().check(z.minLength(1)) })

const SubmitSchema = z.object({
  request_id: z.string().check(z.minLength(1)),
  status_url: z.string().check(z.minLength(1)),
  response_url: z.string().check(z.minLength(1)),
  cancel_url: z.optional(z.string()),
  queue_position: z.optional(z.number())
})

const StatusSchema = z.object({
  status: z.enum(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']),
  queue_position: z.optional(z.number()),
  error: z.nullish(z.string())
})

const ResultSchema = z.object({ images: z.array(z.object({ url: z.string().check(z.minLength(1)) })).check(z.minLength(1)) })

export const FAL_HOST: HostSpeaker = {
  name: 'fal',
  messageOf: (body) => {
    if (typeof body !== 'object' || body === null) return undefined
    const detail = (body as Record<string, unknown>).detail
    if (typeof detail === 'string') return detail
    // validation errors: [{ loc: ['body', 'aspect_ratio'], msg: '...' }]
    if (Array.isArray(detail)) {
      return detail
        .map((d: unknown) => {
          const item = (d ?? {}) as { loc?: unknown; msg?: unknown }
          const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== 'body').join('.') : ''
          return typeof item.msg === 'string' ? (where ? `${where}: ${item.msg}` : item.msg) : ''
        })
        .filter(Boolean)
        .join('; ')
    }
    const message = (body as Record<string, unknown>).message ?? (body as Record<string, unknown>).error
    return typeof message === 'string' ? message : undefined
  }
}

export function createFalProvider(config: HostedProviderConfig = {}): ReframeProvider {
  const queue = trimSlash(config.baseUrl ?? FAL_QUEUE)
  const rest = trimSlash(config.uploadBaseUrl ?? config.baseUrl ?? FAL_REST)
  const http = new HostHttp({ host: FAL_HOST, transport: config.transport, secrets: [config.apiKey], tuning: config.tuning })
  const auth = keyHeaders('fal', config.apiKey)
  const jsonHeaders = { ...auth, 'Content-Type': 'application/json' }

  /** One of the addresses fal handed back with the job, checked before it gets the key. */
  function jobUrl(ticket: JobTicket, name: 'status' | 'response' | 'cancel'): string {
    const url = ticket.urls[name]
    if (!url) throw new ReframeError('malformed', `fal gave no ${name} address for this request.`)
    return requireKeyedUrl(url, 'fal', queue, 'fal')
  }

  async function check(ticket: JobTicket, signal: AbortSignal): Promise<JobPoll> {
    const status = await http.json(StatusSchema, jobUrl(ticket, 'status'), { method: 'GET', headers: auth }, signal, { retry: 'until-deadline' })
    if (status.status === 'IN_QUEUE') {
      const position = status.queue_position
      return { state: 'queued', detail: position === undefined ? undefined : `position ${position} in the queue` }
    }
    if (status.status === 'IN_PROGRESS') return { state: 'running' }
    if (FAL_STATUS_MAY_CARRY_ERROR && status.error) return { state: 'failed', reason: status.error }
    try {
      const result = await http.json(ResultSchema, jobUrl(ticket, 'response'), { method: 'GET', headers: auth }, signal, { retry: 'until-deadline' })
      return { state: 'succeeded', resultUrl: result.images[0].url }
    } catch (error) {
      // a finished request whose result is an error body (400/404/422): the job failed, in fal's words.
      // A rate limit or a server error is only in the way of the result (it was retried until the
      // deadline); a refusal by the team relay is about the relay; neither is this job failing.
      const said = error instanceof ReframeError && error.relayCode === undefined && (error.kind === 'invalid-input' || error.status === 404)
      if (said && error.status !== undefined && !isTransientStatus(error.status)) {
        return { state: 'failed', reason: error.hostMessage ?? `fal answered ${error.status}` }
      }
      throw error
    }
  }

  /** fal's queue cancel: PUT on the cancel_url it handed back (fal's queue docs). */
  async function cancel(ticket: JobTicket, signal: AbortSignal): Promise<void> {
    await http.send(jobUrl(ticket, 'cancel'), { method: 'PUT', headers: auth }, signal, { retry: 'once' })
  }

  return hostedProvider({ id: 'fal', config, apiBase: queue, http, check, cancel }, {
    async upload(source, signal) {
      const contentType = IMAGE_MIME[source.format]
      const initiate = await http.json(
        InitiateSchema,
        `${rest}/storage/upload/initiate?storage_type=${FAL_UPLOAD_STORAGE_TYPE}`,
        {
          method: 'POST',
          headers: jsonHeaders,
          body: JSON.stringify({ content_type: contentType, file_name: uploadFileName(source) })
        },
        signal
      )
      // the upload URL is presigned on fal's CDN: bytes and their type only, never the key
      await http.send(initiate.upload_url, { method: 'PUT', headers: { 'Content-Type': contentType }, body: source.bytes as BodyInit }, signal)
      return initiate.file_url
    },

    async create(uploaded, native, options, signal) {
      const input = reframeInput('image_url', uploaded, native, options)
      const job = await http.json(
        SubmitSchema,
        `${queue}/${FAL_MODEL_PATH}`,
        { method: 'POST', headers: jsonHeaders, body: JSON.stringify(input) },
        signal,
        { retry: 'create' }
      )
      // fal's own addresses for the job: never rebuilt (the /flash/reframe sub-path is only for submit)
      const urls = { status: job.status_url, response: job.response_url, ...(job.cancel_url ? { cancel: job.cancel_url } : {}) }
      return { provider: 'fal', jobId: job.request_id, urls }
    }
  })
}
