// The fake hosts' "model": it reads the source box from each host's own request shape, places the
// source there (or centres it), and can redraw, ignore the box or answer with something else entirely,
// per fake or per job, like Photon Flash Reframe may.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { NATIVE_OUTPUT_SIZES } from '../../src/core/ratios'
import { fitBox } from '../../src/core/reframe-plan'
import type { HostedProviderId } from '../../src/protocol/settings'
import type { FakeHostHandle } from '../../preview/fakes/providers/fake-host'
import { colourDistance, harnessPerTest, HOSTED_IDS, loadSource, pixelAt } from './support'

const MAGENTA: [number, number, number] = [255, 0, 255]

/** The one job a test created on the fake. */
function onlyJob(fake: FakeHostHandle) {
  const jobs = [...fake.jobs.jobs.values()]
  expect(jobs).toHaveLength(1)
  return jobs[0]
}

/** Creates a job by hand in this host's request shape, with `fields` where that host keeps model inputs. */
async function createRaw(id: HostedProviderId, fake: FakeHostHandle, imageUrl: string, fields: Record<string, unknown>): Promise<Response> {
  const headers = { 'Content-Type': 'application/json', Authorization: `${id === 'fal' ? 'Key' : 'Bearer'} ${fake.key}` }
  const input = { aspect_ratio: '16:9', ...fields }
  if (id === 'eachlabs') {
    const body = { model: 'luma-photon-flash-reframe-image', version: '0.0.1', input: { image_url: imageUrl, ...input } }
    return fetch(`${fake.url}/v1/prediction`, { method: 'POST', headers, body: JSON.stringify(body) })
  }
  if (id === 'fal') {
    return fetch(`${fake.url}/fal-ai/luma-photon/flash/reframe`, { method: 'POST', headers, body: JSON.stringify({ image_url: imageUrl, ...input }) })
  }
  return fetch(`${fake.url}/v1/models/luma/reframe-image/predictions`, { method: 'POST', headers, body: JSON.stringify({ input: { image: imageUrl, ...input } }) })
}

describe.each(HOSTED_IDS)('the %s fake model', (id) => {
  const start = harnessPerTest()

  it('reads x_start..y_end where this host carries them and places the source in that box', async () => {
    const { fake, provider } = await start(id)
    const source = loadSource('chelsea.png')
    await provider.reframe(await provider.upload(source), '16:9', { placement: 'start' })
    const job = onlyJob(fake)
    const planned = fitBox(NATIVE_OUTPUT_SIZES['16:9'], source.width / source.height, 'start')
    expect(job.requestedBox).toEqual({ x: 0, y: 0, width: Math.round(planned.width), height: 1152 })
    // the fake renders at 1/8 of the native size: the box scales with it
    const size = fake.outputSize('16:9')
    expect(await fake.jobs.sourceBox(job)).toEqual({ x: 0, y: 0, width: Math.round(Math.round(planned.width) / 8), height: size.height })
    const result = await fake.jobs.result(job)
    expect(colourDistance(await pixelAt(result, 2, size.height >> 1), MAGENTA)).toBeGreaterThan(60)
    expect(colourDistance(await pixelAt(result, size.width - 2, size.height >> 1), MAGENTA)).toBeLessThan(40)
  })

  it('centres the source (contained) when the request names no box', async () => {
    const { fake, provider } = await start(id)
    const source = loadSource('chelsea.png')
    await provider.reframe(await provider.upload(source), '16:9')
    const job = onlyJob(fake)
    expect(job.requestedBox).toBeUndefined()
    const size = fake.outputSize('16:9')
    const box = await fake.jobs.sourceBox(job)
    const fit = fitBox(size, source.width / source.height, 'center')
    expect(Math.abs(box!.x - fit.x)).toBeLessThanOrEqual(1)
    expect(Math.abs(box!.width - fit.width)).toBeLessThanOrEqual(1)
  })

  it('refuses half a box or a box outside the output with its own invalid-input error, and ignores the fields anywhere else', async () => {
    const { fake, provider } = await start(id)
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const half = await createRaw(id, fake, uploaded.url, { x_start: 0, x_end: 100 })
    expect([400, 422]).toContain(half.status)
    expect(JSON.stringify(await half.json())).toContain('must be given together')
    const outside = await createRaw(id, fake, uploaded.url, { x_start: 0, x_end: 4000, y_start: 0, y_end: 100 })
    expect([400, 422]).toContain(outside.status)
    const reversed = await createRaw(id, fake, uploaded.url, { x_start: 500, x_end: 100, y_start: 0, y_end: 100 })
    expect([400, 422]).toContain(reversed.status)
    const fractional = await createRaw(id, fake, uploaded.url, { x_start: 0.5, x_end: 100, y_start: 0, y_end: 100 })
    expect([400, 422]).toContain(fractional.status)
    expect(fake.jobs.jobs.size).toBe(0)
  })

  it('takes the behaviour of the next jobs from faults.redrawJobs, then goes back to its own', async () => {
    const { fake, provider } = await start(id)
    fake.faults.redrawJobs({ foreign: true })
    const uploaded = await provider.upload(loadSource('rocket.jpg'))
    await provider.reframe(uploaded, '1:1')
    await provider.reframe(uploaded, '1:1')
    const [first, second] = [...fake.jobs.jobs.values()]
    expect(first.behaviour.foreign).toBe(true)
    expect(await fake.jobs.sourceBox(first)).toBeUndefined()
    expect(second.behaviour.foreign).toBeUndefined()
    expect(await fake.jobs.sourceBox(second)).toBeDefined()
  })
})

describe('a fake with the model behaviours as options', () => {
  const start = harnessPerTest()

  it('eachlabs ignores box fields outside `input` (its request keeps every model input there)', async () => {
    const { fake, provider } = await start('eachlabs')
    const uploaded = await provider.upload(loadSource('chelsea.png'))
    const body = {
      model: 'luma-photon-flash-reframe-image',
      version: '0.0.1',
      x_start: 0,
      x_end: 100,
      y_start: 0,
      y_end: 100,
      input: { image_url: uploaded.url, aspect_ratio: '16:9' }
    }
    const response = await fetch(`${fake.url}/v1/prediction`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${fake.key}` },
      body: JSON.stringify(body)
    })
    expect(response.status).toBe(200)
    expect(onlyJob(fake).requestedBox).toBeUndefined()
  })

  it("fills the surround with a blurred, darkened cover of the source when surround is 'generated'", async () => {
    const { fake, provider } = await start('fal', { surround: 'generated' })
    await provider.reframe(await provider.upload(loadSource('chelsea.png')), '9:16')
    const result = await fake.jobs.result(onlyJob(fake))
    const { data, info } = await sharp(result).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    // the top band (generated) is not a flat colour and not magenta: it continues the picture
    const band = Array.from({ length: info.width }, (_, x) => data[(2 * info.width + x) * 3])
    expect(Math.max(...band) - Math.min(...band)).toBeGreaterThan(3)
    expect(colourDistance(await pixelAt(result, info.width >> 1, 2), MAGENTA)).toBeGreaterThan(100)
  })

  it("redraws the source area when redraw is 'degraded': moved 3 px right and 2 px down from the box", async () => {
    const { fake, provider } = await start('replicate', { redraw: 'degraded' })
    await provider.reframe(await provider.upload(loadSource('chelsea.png')), '16:9', { placement: 'end' })
    const job = onlyJob(fake)
    const size = fake.outputSize('16:9')
    const asked = job.requestedBox!
    const box = await fake.jobs.sourceBox(job)
    expect(box).toEqual({ x: Math.round(asked.x * (size.width / 2048)) + 3, y: 2, width: Math.round((asked.x + asked.width) / 8) - Math.round(asked.x / 8), height: size.height })
  })

  it('centres the source at 95% whatever box was asked for when ignoreBox is set', async () => {
    const { fake, provider } = await start('eachlabs', { ignoreBox: true })
    const source = loadSource('chelsea.png')
    await provider.reframe(await provider.upload(source), '16:9', { placement: 'start' })
    const job = onlyJob(fake)
    expect(job.requestedBox?.x).toBe(0)
    const size = fake.outputSize('16:9')
    const box = (await fake.jobs.sourceBox(job))!
    expect(Math.abs(box.height - size.height * 0.95)).toBeLessThanOrEqual(1)
    expect(Math.abs(box.x + box.width / 2 - size.width / 2)).toBeLessThanOrEqual(1)
    expect(Math.abs(box.y + box.height / 2 - size.height / 2)).toBeLessThanOrEqual(1)
  })
})
