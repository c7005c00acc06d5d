// The one interface every reframe engine implements: hosted ones (each::labs, fal, Replicate) and the
// offline engine. Depends only on fetch, AbortSignal and plain bytes, so it runs in the plugin UI and in Node.
import type { EncodedImage } from '../core/image-header'
import type { Box, Placement, RatioId } from '../core/ratios'
import type { ReframePlan } from '../core/reframe-plan'
import type { SizeId } from '../core/sizes'
import type { ProviderId } from '../protocol/settings'
import type { TuningOverrides } from './http/http-tuning'

/** Job states the UI shows. `uploading` is reported once per source, the rest per ratio. */
export type JobState = 'uploading' | 'queued' | 'running' | 'downloading' | 'done' | 'failed'

export type ProgressEvent = {
  state: JobState
  /** Host's job id, when it has one. */
  jobId?: string
  /** Host's own words, e.g. a queue position. Never contains a key. */
  detail?: string
}

export type UploadOptions = {
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
}

/**
 * A job a host has accepted, enough to find it again: poll it, download its result, or cancel it.
 * Plain data (it crosses to the UI's retry state); opaque outside the provider that made it.
 */
export type JobTicket = {
  provider: ProviderId
  jobId: string
  /** The host's own addresses or ids for this job (fal's status/response/cancel URLs...). */
  urls: Record<string, string>
  /** Set once the host reported the result: a failed download is retried from here, with no new job. */
  resultUrl?: string
}

export type ReframeOptions = {
  prompt?: string
  /**
   * Where the source should sit in the generated image, in the native output's pixels (the reframe
   * plan's box): sent as x_start/x_end/y_start/y_end. Hosted providers only.
   */
  sourceBox?: Box
  /** Where the original sits along the extended axis (the offline engine; hosts read sourceBox). */
  placement?: Placement
  /** The whole reframe plan of this job: the offline engine makes exactly its output from it. */
  plan?: ReframePlan
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
  /** Told when the host accepted the job, and again when its result URL is known: keep it to resume. */
  onTicket?: (ticket: JobTicket) => void
  /** Resume a job the host already accepted (poll it, or download its known result) instead of creating one. */
  resume?: JobTicket
}

/**
 * A source made available to the provider once (an uploaded URL, a data URI, or decoded pixels for
 * the offline engine). Reused for every ratio of that source; opaque outside the provider.
 */
export type UploadedSource = {
  provider: ProviderId
  /** URL the host reads the image from (https URL or data URI); empty for the offline engine. */
  url: string
  source: EncodedImage
}

/**
 * What a free key check found. `invalid`: the host refused the key (401/403). `unknown`: the host has no
 * cheap check (`no-check`), could not be reached or blocked the request (`unreachable`, CORS included),
 * or answered something else (`unexpected`). Only `invalid` is a reason not to save a key.
 */
export type KeyCheck =
  | { verdict: 'valid' }
  | { verdict: 'invalid'; status: number }
  | { verdict: 'unknown'; reason: 'no-check' | 'unreachable' | 'unexpected'; status?: number }

export interface ReframeProvider {
  readonly id: ProviderId
  /** Ratios this provider produces directly. Hosted providers: the 7 native ratios. */
  supportsRatio(ratio: RatioId): boolean
  /** Makes the source available to the host. Called once per source image. */
  upload(source: EncodedImage, options?: UploadOptions): Promise<UploadedSource>
  /**
   * One job: create, poll to a final state, download (hosted), or render (offline). Hosted providers
   * take a native ratio (the plan's); the offline engine any size, made exactly as `options.plan` says.
   * Rejects with a ReframeError.
   */
  reframe(source: UploadedSource, size: SizeId, options?: ReframeOptions): Promise<EncodedImage>
  /**
   * Hosted providers: checks the configured key with a request that costs nothing. Optional, so
   * engines without a key (the offline engine) leave it out. Rejects only when cancelled.
   */
  checkKey?(signal?: AbortSignal): Promise<KeyCheck>
}

/** Where a provider reports what went wrong without failing anything (a cancel the host did not take). `console` fits. */
export type ProviderLogger = { warn: (message: string) => void }

/** How a provider reaches its host: straight `fetch`, or through the team relay. */
export type Transport = (url: string, init: RequestInit) => Promise<Response>

export type HostedProviderConfig = {
  /** The user's key. Absent when a relay adds it server-side. Never logged, never in an error. */
  apiKey?: string
  /** Overrides the host's API base (tests, a relay). */
  baseUrl?: string
  /** Overrides the host's upload API base when it differs from the API (fal's rest.fal.ai); defaults to baseUrl. */
  uploadBaseUrl?: string
  transport?: Transport
  /** Retry, poll, deadline and size limits; defaults suit the real hosts. */
  tuning?: TuningOverrides
  /** Told about failures nobody waits for (the host's cancel of a cancelled job). */
  logger?: ProviderLogger
}
