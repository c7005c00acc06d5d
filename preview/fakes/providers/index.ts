/**
 * Fake reframe hosts for tests, benchmarks and previews: each a real HTTP server on 127.0.0.1.
 * `startFakeHost(id, options)` picks one by provider id; the type checker holds FAKES to the provider
 * list, so a provider in the list without a fake does not compile.
 */
import type { HostedProviderId } from '../../../src/protocol/provider-list'
import { type EachlabsFakeOptions, startFakeEachlabs } from './eachlabs-server'
import type { FakeHostHandle } from './fake-host'
import { startFakeFal } from './fal-server'
import { startFakeReplicate } from './replicate-server'

export { startFakeEachlabs, type EachlabsFakeOptions, type FakeEachlabs } from './eachlabs-server'
export { startFakeFal, type FakeFal } from './fal-server'
export { startFakeReplicate, type FakeReplicate } from './replicate-server'
export { FakeStats, Faults, type CommonFakeOptions, type FakeHostHandle, type FaultAction, type ModelBehaviour, type RequestRecord } from './fake-host'
export { renderModelResult, type ModelResult } from './model-result'

const FAKES: Record<HostedProviderId, (options: EachlabsFakeOptions) => Promise<FakeHostHandle>> = {
  eachlabs: startFakeEachlabs,
  fal: startFakeFal,
  replicate: startFakeReplicate
}

export function startFakeHost(id: HostedProviderId, options: EachlabsFakeOptions = {}): Promise<FakeHostHandle> {
  return FAKES[id](options)
}
