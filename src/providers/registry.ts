// The client of each hosted provider in the list: the one switchboard the UI, the CLI and the benches
// use. The type checker holds it to protocol/provider-list.ts: a provider in the list without a client
// here does not compile. (The offline engine is built with a platform backend, see local.ts.)
import type { HostedProviderId } from '../protocol/provider-list'
import { createEachlabsProvider } from './eachlabs'
import { createFalProvider } from './fal'
import type { HostedProviderConfig, ReframeProvider } from './provider'
import { createReplicateProvider } from './replicate'

export type ProviderFactory = (config: HostedProviderConfig) => ReframeProvider

const CLIENTS: Record<HostedProviderId, ProviderFactory> = {
  eachlabs: createEachlabsProvider,
  fal: createFalProvider,
  replicate: createReplicateProvider
}

export function createProvider(id: HostedProviderId, config: HostedProviderConfig = {}): ReframeProvider {
  return CLIENTS[id](config)
}
