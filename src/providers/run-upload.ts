// One upload of one source (reused for every ratio), under the upload deadline, reporting `uploading`.
import type { EncodedImage } from '../core/image-header'
import { withDeadline } from './http/deadline'
import type { HostHttp } from './http/host-http'
import { asReframeError, progressReporter } from './progress-reporter'
import type { UploadedSource, UploadOptions } from './provider'

/** A file name for an upload, for hosts that want one (the usual extension of the format). */
export function uploadFileName(source: EncodedImage): string {
  return `source.${source.format === 'jpeg' ? 'jpg' : source.format}`
}

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
