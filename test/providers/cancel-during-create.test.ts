// A cancel that lands while a create is on the wire: the host may start the job all the same, and only
// the create's answer names it. The answer is awaited (within the cancel deadline) and the job it names
// cancelled; a create that does not answer in time is given up with a warning, never left hanging.
import { describe, expect, it } from 'vitest'
import { createProvider } from '../../src/providers/registry'
import { FAST_TUNING, harnessPerTest, HOSTED_IDS, loadSource, rejectionOf } from './support'

describe.each(HOSTED_IDS)('%s: cancel during the create', (id) => {
  const startHarness = harnessPerTest()
  const create = id === 'fal' ? 'submit' : 'create'

  async function cancelDuringCreate(answerAfterMs: number, cancelDeadlineMs: number) {
    const { fake, provider: uploader, config } = await startHarness(id, { runningMs: 60_000 })
    const uploaded = await uploader.upload(loadSource('chelsea.png'))
    const warnings: string[] = []
    const provider = createProvider(id, { ...config, tuning: { ...FAST_TUNING, cancelDeadlineMs }, logger: { warn: (message) => warnings.push(message) } })
    fake.faults.inject(create, { kind: 'late', delayMs: answerAfterMs })
    const controller = new AbortController()
    const job = rejectionOf(provider.reframe(uploaded, '1:1', { signal: controller.signal }))
    await fake.stats.until(() => fake.stats.creates === 1)
    controller.abort()
    return { fake, error: await job, warnings }
  }

  it('waits for the answer and cancels the job it names, once', async () => {
    const { fake, error, warnings } = await cancelDuringCreate(200, 10_000)
    expect(error.kind).toBe('cancelled')
    // settled after the host's cancel: the job is cancelled there already
    const [created] = fake.jobs.jobs.values()
    expect(created.cancelledAt).toBeDefined()
    expect(fake.stats.requests.filter((r) => r.route === 'cancel').map((r) => r.jobId)).toEqual([created.id])
    expect(fake.stats.requests.filter((r) => r.route === create)).toHaveLength(1)
    expect(warnings).toEqual([])
  })

  it('gives up a create that does not answer within the cancel deadline, and says the job may still run', async () => {
    const { fake, error, warnings } = await cancelDuringCreate(60_000, 200)
    expect(error.kind).toBe('cancelled')
    expect(fake.stats.cancels).toBe(0)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^Cancelled while the .+ job was being created; it may have started and still run\. .+did not answer the create within 0\.2 s of the cancel\.$/)
  })
})
