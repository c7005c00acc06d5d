// The ReframeProvider every host gives, assembled from what differs between hosts: how a source is
// uploaded (its URL) and how one job is created (its ticket). Upload deadlines and reporting
// (run-upload.ts), the job's lifecycle (hosted-job.ts) and the native ratio of a size are the same.
import type { EncodedImage } from '../core/image-header'
import { isNativeRatio, type NativeRatio } from '../core/ratios'
import type { SizeId } from '../core/sizes'
import type { HostedProviderId } from '../protocol/provider-list'
import { runHostedJob } from './hosted-job'
import type { JobApi } from './job-api'
import { checkKeyAsync } from './probe-key'
import type { HostedProviderConfig, JobTicket, ReframeOptions, ReframeProvider, UploadedSource } from './provider'
import { nativeRatioOf } from './reframe-input'
import { runUpload } from './run-upload'

/** The host as the job lifecycle and the key check see it. */
export type HostWiring = Omit<JobApi, 'provider' | 'logger'> & {
  id: HostedProviderId
  config: HostedProviderConfig
  /** Where the free key check (provider-list.ts) is sent. */
  apiBase: string
}

/** What each host does its own way. */
export type HostOperations = {
  /** Makes the bytes readable by the host; resolves with the URL its model reads them from. */
  upload: (source: EncodedImage, signal: AbortSignal) => Promise<string>
  /** Creates one job (sent once: `retry: 'create'`); resolves with its ticket. */
  create: (uploaded: UploadedSource, native: NativeRatio, options: ReframeOptions | undefined, signal: AbortSignal) => Promise<JobTicket>
}

export function hostedProvider({ id, config, apiBase, http, check, cancel }: HostWiring, { upload, create }: HostOperations): ReframeProvider {
  const jobs: JobApi = { provider: id, http, check, cancel, logger: config.logger }
  return {
    id,
    supportsRatio: isNativeRatio,
    checkKey: (signal) => checkKeyAsync(id, apiBase, config, http.host, signal),
    upload: (source, options) => runUpload(jobs.http, options, async (signal) => ({ provider: id, url: await upload(source, signal), source })),
    reframe(uploaded: UploadedSource, size: SizeId, options?: ReframeOptions): Promise<EncodedImage> {
      const native = nativeRatioOf(uploaded.source, size)
      return runHostedJob(jobs, options, (signal) => create(uploaded, native, options, signal))
    }
  }
}
