// Shared by the provider tests: sources from real photos, fast tuning, and the three hosts with
// their fakes, so one suite can run against each.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { afterEach } from 'vitest'
import type { HostedProviderId } from '../../src/protocol/settings'
import type { TuningOverrides } from '../../src/providers/http/http-tuning'
import { encodedImageOf } from '../../src/core/image-header'
import type { HostedProviderConfig, ProgressEvent, ReframeProvider } from '../../src/providers/provider'
import type { EncodedImage } from '../../src/core/image-header'
import { createProvider } from '../../src/providers/registry'
import { startFakeHost } from '../../preview/fakes/providers'
import type { EachlabsFakeOptions } from '../../preview/fakes/providers/eachlabs-server'
import type { FakeHostHandle } from '../../preview/fakes/providers/fake-host'

const here = dirname(fileURLToPath(import.meta.url))

export function loadSource(name: 'chelsea.png' | 'rocket.jpg' | 'no_time_for_that_tiny.gif'): EncodedImage {
  const bytes = new Uint8Array(readFileSync(join(here, 'fixtures', name)))
  const image = encodedImageOf(bytes)
  if (image === null) throw new Error(`${name} is not an image`)
  return image
}

/** A PNG of noise, big enough to go over Replicate's 1 MB data-URI limit. */
export async function noisePng(width: number, height: number): Promise<EncodedImage> {
  const raw = randomBytes(width * height * 3)
  const bytes = new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer())
  return { bytes, format: 'png', width, height }
}

export const FAST_TUNING: TuningOverrides = {
  retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, retryAfterFallbackMs: 10 },
  poll: { firstDelayMs: 5, growth: 1.5, ceilingMs: 20 },
  jobDeadlineMs: 10_000,
  uploadDeadlineMs: 10_000,
  requestTimeoutMs: 5_000
}

export const HOSTED_IDS: HostedProviderId[] = ['eachlabs', 'fal', 'replicate']

export type Harness = { fake: FakeHostHandle; provider: ReframeProvider; config: HostedProviderConfig }

/** A provider against its fake, whose uploads and results live on the fake's storage listener (another origin, like the real CDNs). */
export async function startHarness(id: HostedProviderId, options: EachlabsFakeOptions = {}, config: HostedProviderConfig = {}): Promise<Harness> {
  const fake = await startFakeHost(id, { separateStorage: true, ...options })
  const full: HostedProviderConfig = { apiKey: fake.key, baseUrl: fake.url, ...config, tuning: { ...FAST_TUNING, ...config.tuning } }
  return { fake, provider: createProvider(id, full), config: full }
}

/** Starts harnesses inside the tests of the calling `describe` and closes their fakes after each test. */
export function harnessPerTest(): typeof startHarness {
  const open: Harness[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((harness) => harness.fake.close()))
  })
  return async (...args) => {
    const harness = await startHarness(...args)
    open.push(harness)
    return harness
  }
}

/** RGB of one pixel of an encoded image. */
export async function pixelAt(bytes: Uint8Array, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const i = (y * info.width + x) * info.channels
  return [data[i], data[i + 1], data[i + 2]]
}

export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}

export function recorder(): { events: ProgressEvent[]; onProgress: (e: ProgressEvent) => void } {
  const events: ProgressEvent[] = []
  return { events, onProgress: (e) => events.push(e) }
}

/** A loopback port nothing listens on (connections to it are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Resolves to the error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (error) {
    return error as Error & Record<string, unknown>
  }
  throw new Error('expected a rejection, got a result')
}
