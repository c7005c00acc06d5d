/**
 * Fake reframe hosts for tests, benchmarks and previews: each a real HTTP server on 127.0.0.1.
 * `startFakeHost('eachlabs' | 'fal' | 'replicate', options)` picks one by provider id.
 */
import type { HostedProviderId } from '../../../src/core/settings'
import { type EachlabsFakeOptions, startFakeEachlabs } from './eachlabs-server'
import type { FakeHostHandle } from './fake-host'
import { startFakeFal } from './fal-server'
import { startFakeReplicate } from './replicate-server'

export { startFakeEachlabs, type EachlabsFakeOptions, type FakeEachlabs } from './eachlabs-server'
export { startFakeFal, type FakeFal } from './fal-server'
export { startFakeReplicate, type FakeReplicate } from './replicate-server'
export { FakeStats, Faults, type CommonFakeOptions, type FakeHostHandle, type FaultAction, type ModelBehaviour, type RequestRecord } from './fake-host'
export { renderModelResult, type ModelResult } from './model-result'

export function startFakeHost(id: HostedProviderId, options: EachlabsFakeOptions = {}): Promise<FakeHostHandle> {
  if (id === 'eachlabs') return startFakeEachlabs(options)
  if (id === 'fal') return startFakeFal(options)
  return startFakeReplicate(options)
}
