// Tickets and resume: a job the host accepted is never created twice. The caller hears of the job
// when the host accepts it and again when its result is known, every failure after that carries the
// ticket, and `resume` continues the job (poll, or only download) instead of starting a new paid one.
import { describe, expect, it } from 'vitest'
import { JobError, ticketOf } from '../../src/providers/job-error'
import type { JobTicket } from '../../src/providers/provider'
import { createProvider } from '../../src/providers/registry'
import { FAST_TUNING, harnessPerTest, HOSTED_IDS, loadSource, rejectionOf } from './support'

describe.each(HOSTED_IDS)('%s job tickets', (id) => {
  const startHarness = harnessPerTest()

  it('tells the ticket when the host accepts the job, and again once the result URL is known', async () => {
    const { fake, provider } = await startHarness(id)
    const tickets: JobTicket[] = []
    await provider.reframe(await provider.upload(loadSource('chelsea.png')), '1:1', { onTicket: (t) => tickets.push(t) })
    const jobId = [...fake.jobs.jobs.keys()][0]
    expect(tickets.map((t) => ({ provider: t.provider, jobId: t.jobId, hasResult: t.resultUrl !== undefined }))).toEqual([
      { provider: id, jobId, hasResult: false },
      { provider: id, jobId, hasResult: true }
    ])
    // what the host gave to find the job again, beyond its id
    const expectedUrls = { eachlabs: [], fal: ['cancel', 'response', 'status'], replicate: ['cancel', 'get'] }[id]
    expect(Object.keys(tickets[0].urls).sort()).toEqual(expectedUrls)
  })

  it('resumes a job that ran out of time by polling it, without creating another', async () => {
    const { fake, provider, config } = await startHarness(id, { runningMs: 60_000 }, { tuning: { jobDeadlineMs: 1_000 } })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const error = await rejectionOf(provider.reframe(uploaded, '16:9'))
    expect(error).toBeInstanceOf(JobError)
    const ticket = ticketOf(error)!
    expect({ kind: error.kind, resultUrl: ticket.resultUrl }).toEqual({ kind: 'timeout', resultUrl: undefined })
    fake.timing.runningMs = 40
    const result = await createProvider(id, { ...config, tuning: FAST_TUNING }).reframe(uploaded, '16:9', { resume: ticket })
    expect({ width: result.width, height: result.height }).toEqual(fake.outputSize('16:9'))
    expect(fake.stats.creates).toBe(1)
    expect(fake.stats.requests.filter((r) => r.route === (id === 'fal' ? 'submit' : 'create'))).toHaveLength(1)
  })

  it('puts the ticket on a job failure, so the failure is told about the job it concerns', async () => {
    const { fake, provider } = await startHarness(id)
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    fake.faults.failJobs('out of memory')
    const error = await rejectionOf(provider.reframe(uploaded, '1:1'))
    expect({ kind: error.kind, jobId: ticketOf(error)?.jobId }).toEqual({ kind: 'job-failed', jobId: [...fake.jobs.jobs.keys()][0] })
  })

  it('a resume cancelled before it began sends nothing, not even a cancel', async () => {
    const { fake, provider } = await startHarness(id, { runningMs: 60_000 })
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const tickets: JobTicket[] = []
    const first = new AbortController()
    await rejectionOf(provider.reframe(uploaded, '1:1', { signal: first.signal, onTicket: (t) => (tickets.push(t), first.abort()) }))
    await fake.stats.until(() => fake.stats.cancels === 1)
    const before = fake.stats.requests.length
    const aborted = new AbortController()
    aborted.abort()
    expect((await rejectionOf(provider.reframe(uploaded, '1:1', { signal: aborted.signal, resume: tickets[0] }))).kind).toBe('cancelled')
    expect(fake.stats.requests.length).toBe(before)
  })

    it('refuses to resume a ticket of another provider, and sends nothing', async () => {
    const { fake, provider } = await startHarness(id)
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const before = fake.stats.requests.length
    const other = id === 'fal' ? 'replicate' : 'fal'
    const error = await rejectionOf(provider.reframe(uploaded, '1:1', { resume: { provider: other, jobId: 'j1', urls: {} } }))
    expect(error.kind).toBe('invalid-input')
    expect(error.message).toContain(`another provider (${other})`)
    expect(fake.stats.requests.length).toBe(before)
  })
})
