// A ticket handed back to resume a job: plain data that crossed the UI's retry state, so it is checked
// like any other input before its addresses are used (the key still goes only to the provider's API
// hosts: each provider checks the URLs it reads from it with requireKeyedUrl).
import * as z from 'zod/mini'
import { ReframeError } from '../core/reframe-error'
import type { HostedProviderId } from '../protocol/provider-list'
import type { JobTicket } from './provider'

const TicketSchema = z.object({
  provider: z.string(),
  jobId: z.string().check(z.minLength(1)),
  urls: z.record(z.string(), z.string()),
  resultUrl: z.optional(z.string().check(z.minLength(1)))
})

/** `ticket` when it is one of `provider`'s jobs; otherwise an error saying it cannot be resumed here. */
export function resumeTicket(ticket: unknown, provider: HostedProviderId, host: string): JobTicket {
  const parsed = TicketSchema.safeParse(ticket)
  if (!parsed.success) throw new ReframeError('invalid-input', `This ${host} job cannot be resumed: its ticket is incomplete.`, { action: 'Run the job again.' })
  if (parsed.data.provider !== provider) {
    throw new ReframeError('invalid-input', `This job was started on another provider (${parsed.data.provider}), not ${host}.`, { action: 'Run it again with the provider that started it.' })
  }
  return { ...parsed.data, provider, urls: { ...parsed.data.urls } }
}

/** A copy for the caller: what it keeps never changes under the running job. */
export function copyTicket(ticket: JobTicket): JobTicket {
  return { ...ticket, urls: { ...ticket.urls } }
}
