// Builds a provider from its id: the one switchboard the UI, the CLI and the relay use.
import type { ProviderId } from '../core/settings'
import { createEachlabsProvider } from './eachlabs'
import { createFalProvider } from './fal'
import type { HostedProviderConfig, ReframeProvider } from './provider'
import { createReplicateProvider } from './replicate'

export type ProviderFactory = (config: HostedProviderConfig) => ReframeProvider

/** One line per engine; the offline engine registers here too. */
const FACTORIES: Partial<Record<ProviderId, ProviderFactory>> = {
  eachlabs: createEachlabsProvider,
  fal: createFalProvider,
  replicate: createReplicateProvider
}

export function createProvider(id: ProviderId, config: HostedProviderConfig = {}): ReframeProvider {
  const factory = FACTORIES[id]
  if (!factory) throw new Error(`No reframe provider is registered for "${id}".`)
  return factory(config)
}

export function registeredProviders(): ProviderId[] {
  return Object.keys(FACTORIES) as ProviderId[]
}
