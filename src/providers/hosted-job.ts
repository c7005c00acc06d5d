// The lifecycle every hosted provider shares: upload once, then per ratio create -> poll -> download,
// with progress events, the overall deadline and cancel, and every failure turned into a ReframeError.
import { fitBox, isNativeRatio, NATIVE_OUTPUT_SIZES, nativeRatioFor, type NativeRatio, type Placement, type RatioId } from '../core/ratios'
import { describeHosted, type HostedProviderId } from '../protocol/provider-list'
import { ReframeError } from '../core/reframe-error'
import type { HostHttp } from './http/host-http'
import { withDeadline } from './http/deadline'
import type { ProgressEvent, ReframeOptions, UploadedSource, UploadOptions } from './provider'
import type { EncodedImage } from '../core/image-header'
import { isKeyedUrl } from '../protocol/provider-hosts'

/** What one look at a job found. */
export type JobPoll =
  | { state: 'queued' | 'running'; detail?: string }
  | { state: 'succeeded'; resultUrl: string }
  | { state: 'failed'; reason: string }

export type CreatedJob = { jobId: string; check: (signal: AbortSignal) => Promise<JobPoll> }

/** A file name for an upload, for hosts that want one (the usual extension of the format). */
export function uploadFileName(source: EncodedImage): string {
  return `source.${source.format === 'jpeg' ? 'jpg' : source.format}`
}

/** Hosted providers accept the native ratios only; presets are requested as their native ratio. */
export function nativeRatioOf(source: EncodedImage, ratio: NativeRatio | RatioId): NativeRatio {
  return isNativeRatio(ratio) ? ratio : nativeRatioFor(ratio, source.width / source.height)
}

/**
 * The optional box inputs (`x_start`...`y_end`, output pixels) that pin the source to the start or
 * end of the extended axis. Centre is the hosts' own default, so nothing is sent for it. The meaning
 * of these fields is only known from third-party code (reframe-apis.md).
 */
export function placementInput(source: EncodedImage, ratio: NativeRatio, placement?: Placement): Record<string, number> {
  if (!placement || placement === 'center') return {}
  const box = fitBox(NATIVE_OUTPUT_SIZES[ratio], source.width / source.height, placement)
  return {
    x_start: Math.round(box.x),
    x_end: Math.round(box.x + box.width),
    y_start: Math.round(box.y),
    y_end: Math.round(box.y + box.height)
  }
}

/** The model input every host takes under the same names, with its own name for the image field. */
export function reframeInput(
  imageField: 'image_url' | 'image',
  uploaded: UploadedSource,
  native: NativeRatio,
  options?: ReframeOptions
): Record<string, unknown> {
  return {
    [imageField]: uploaded.url,
    aspect_ratio: native,
    ...(options?.prompt ? { prompt: options.prompt } : {}),
    ...placementInput(uploaded.source, native, options?.placement)
  }
}

/** Reports each state once (a poll that finds the same state again says nothing new). */
function progressReporter(onProgress?: (event: ProgressEvent) => void): (event: ProgressEvent) => void {
  let last = ''
  return (event) => {
    const key = `${event.state}|${event.detail ?? ''}`
    if (!onProgress || key === last) return
    last = key
    onProgress(event)
  }
}

function asReframeError(error: unknown, host: string): ReframeError {
  if (error instanceof ReframeError) return error
  return new ReframeError('host', `Something unexpected happened while talking to ${host}.`, { cause: error })
}

/** Runs one upload under the upload deadline, reporting `uploading`. */
export async function runUpload(
  http: HostHttp,
  options: UploadOptions | undefined,
  work: (signal: AbortSignal) => Promise<UploadedSource>
): Promise<UploadedSource> {
  const report = progressReporter(options?.onProgress)
  report({ state: 'uploading' })
  try {
    return await withDeadline(options?.signal, http.tuning.uploadDeadlineMs, `The upload to ${http.host.name}`, work)
  } catch (error) {
    const failure = asReframeError(error, http.host.name)
    report({ state: 'failed', detail: failure.message })
    throw failure
  }
}

/** Create, poll to a final state, download: one ratio of one source. */
export async function runHostedJob(
  http: HostHttp,
  options: ReframeOptions | undefined,
  create: (signal: AbortSignal) => Promise<CreatedJob>
): Promise<EncodedImage> {
  const report = progressReporter(options?.onProgress)
  const host = http.host.name
  let jobId: string | undefined
  try {
    return await withDeadline(options?.signal, http.tuning.jobDeadlineMs, `The ${host} job`, async (signal) => {
      const job = await create(signal)
      jobId = job.jobId
      report({ state: 'queued', jobId })
      const resultUrl = await http.poll(async () => {
        const found = await job.check(signal)
        if (found.state === 'failed') {
          throw new ReframeError('job-failed', http.scrub(`The ${host} job failed: ${found.reason}`), {
            hostMessage: http.scrub(found.reason)
          })
        }
        if (found.state === 'succeeded') return found.resultUrl
        report({ state: found.state, jobId, detail: found.detail })
        return undefined
      }, signal)
      report({ state: 'downloading', jobId })
      const image = await http.downloadImage(checkedResultUrl(resultUrl, host), signal)
      report({ state: 'done', jobId })
      return image
    })
  } catch (error) {
    const failure = asReframeError(error, host)
    report({ state: 'failed', jobId, detail: failure.message })
    throw failure
  }
}

function checkedResultUrl(url: string, host: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ReframeError('malformed', `${host} returned a result address that is not a URL.`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ReframeError('malformed', `${host} returned a result address that is not a web URL.`)
  }
  return url
}

/**
 * URLs a host hands back (fal's status_url...) get the key only when they point at one of that
 * provider's API hosts in provider-hosts.ts, or at the configured API base; anything else is refused
 * rather than sent our key.
 */
export function requireKeyedUrl(url: string, provider: HostedProviderId, apiBase: string, host: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ReframeError('malformed', `${host} returned an address that is not a URL.`)
  }
  if (!isKeyedUrl(parsed, provider, apiBase)) {
    throw new ReframeError('malformed', `${host} returned an address on an unexpected host (${parsed.origin}).`)
  }
  return url
}

/** The key headers of `provider`'s record, only when a key is set (a relay adds them server-side otherwise). */
export function keyHeaders(provider: HostedProviderId, apiKey: string | undefined): Record<string, string> {
  return apiKey ? describeHosted(provider).key.headers(apiKey) : {}
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
