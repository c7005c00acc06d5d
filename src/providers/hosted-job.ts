// One ratio of one source on a host, as a promise the host has kept: create (once, never twice when it
// may have started), then poll and download through any transient fault until the job's deadline.
// The job's ticket goes to the caller when the host accepts it and again when the result is known, is
// attached to every failure after that, and resumes the job (`options.resume`) without a new paid job.
// Cancel stops polling at once and tells the host before the promise settles (briefly, see cancel-job.ts);
// a create already on the wire is not abandoned but awaited for the job id its answer brings.
import type { EncodedImage } from '../core/image-header'
import { ReframeError } from '../core/reframe-error'
import { cancelOnHost, createdDespiteCancel } from './cancel-job'
import { throwIfAborted, withDeadline } from './http/deadline'
import { JobError } from './job-error'
import { asReframeError, progressReporter } from './progress-reporter'
import type { JobTicket, ReframeOptions } from './provider'
import type { JobApi } from './job-api'
import { copyTicket, resumeTicket } from './resume-ticket'

/** Create (unless resuming), poll to a final state, download; every failure a ReframeError, with the ticket once there is one. */
export async function runHostedJob(
  api: JobApi,
  options: ReframeOptions | undefined,
  create: (signal: AbortSignal) => Promise<JobTicket>
): Promise<EncodedImage> {
  const { http } = api
  const host = http.host.name
  const report = progressReporter(options?.onProgress)
  // the job as far as the host has told us; a resumed job starts from the caller's ticket
  let ticket: JobTicket | undefined
  // set once this call works on the job: a call cancelled before it began cancels nothing on the host
  let began = false
  // the create on the wire, and the way to give it up: the job's deadline ends it, a cancel does not
  let creating: Promise<JobTicket> | undefined
  const giveUpCreate = new AbortController()
  const keep = (next: JobTicket, tell: boolean) => {
    ticket = next
    if (tell) options?.onTicket?.(copyTicket(next))
  }
  try {
    if (options?.resume) keep(resumeTicket(options.resume, api.provider, host), false)
    return await withDeadline(options?.signal, http.tuning.jobDeadlineMs, `The ${host} job`, async (signal) => {
      began = true
      if (!ticket) {
        const endCreate = () => options?.signal?.aborted || giveUpCreate.abort(signal.reason)
        signal.addEventListener('abort', endCreate, { once: true })
        creating = create(giveUpCreate.signal)
        const created = await creating
        signal.removeEventListener('abort', endCreate)
        // cancelled while the answer was on its way: the catch below cancels the job it names
        throwIfAborted(signal)
        keep(created, true)
        report({ state: 'queued', jobId: ticket!.jobId })
      }
      const accepted: JobTicket = ticket!
      let resultUrl = accepted.resultUrl
      if (resultUrl === undefined) {
        resultUrl = await http.poll(async () => {
          const found = await api.check(ticket!, signal)
          if (found.state === 'failed') {
            throw new ReframeError('job-failed', http.scrub(`The ${host} job failed: ${found.reason}`), { hostMessage: http.scrub(found.reason) })
          }
          if (found.state === 'succeeded') return checkedResultUrl(found.resultUrl, host)
          if (found.urls) ticket = { ...ticket!, urls: { ...ticket!.urls, ...found.urls } }
          report({ state: found.state, jobId: accepted.jobId, detail: found.detail })
          return undefined
        }, signal)
        keep({ ...ticket!, resultUrl }, true)
      }
      report({ state: 'downloading', jobId: accepted.jobId })
      const image = await http.downloadImage(checkedResultUrl(resultUrl, host), signal)
      report({ state: 'done', jobId: accepted.jobId })
      return image
    }, (signal) => http.lastFailure(signal))
  } catch (error) {
    const failure = asReframeError(error, host)
    const cancelled = options?.signal?.aborted === true && failure.kind === 'cancelled'
    // one cancel deadline for both: the create's answer, then the host's cancel
    const cancelBy = Date.now() + http.tuning.cancelDeadlineMs
    if (cancelled && !ticket && creating) ticket = await createdDespiteCancel(api, creating, giveUpCreate, http.tuning.cancelDeadlineMs)
    // the caller gave up on a job the host is still running: tell the host (once; it never throws)
    const known = ticket as JobTicket | undefined
    if (began && known && known.resultUrl === undefined && cancelled) await cancelOnHost(api, known, cancelBy - Date.now())
    report({ state: 'failed', jobId: known?.jobId, detail: failure.message })
    throw known ? new JobError(failure, copyTicket(known)) : failure
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
