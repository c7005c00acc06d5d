// Builds the provider a batch runs with from the settings: the offline engine with the platform's
// image backend, or a hosted provider reached directly with the user's key or through the team relay; and the
// free key check of a hosted provider, for the key field.
import type { ImageBackend } from '../src/imaging/render-recipe'
import type { HostedProviderConfig, ReframeProvider } from '../src/providers/provider'
import { createLocalProvider } from '../src/providers/local'
import { createProvider } from '../src/providers/registry'
import { createRelayTransport } from '../src/providers/transport-relay'
import type { Settings } from '../src/protocol/settings'
import type { KeyChecker } from './key-check-message'
import type { ProviderFactory, ProviderSecrets } from './provider-choice'

export type ProviderOverrides = {
  /** Per-provider API base (tests and the benchmark point these at fake hosts). */
  baseUrls?: Partial<Record<Settings['provider'], string>>
  config?: Omit<HostedProviderConfig, 'apiKey' | 'baseUrl' | 'transport'>
}

export function providerFactory(backend: ImageBackend, overrides: ProviderOverrides = {}): ProviderFactory {
  return (settings: Settings, secrets: ProviderSecrets): ReframeProvider => {
    if (settings.provider === 'local') {
      return createLocalProvider({ backend, mode: settings.localMode, fill: settings.localFill })
    }
    const baseUrl = overrides.baseUrls?.[settings.provider]
    if (settings.connection === 'relay') {
      const transport = createRelayTransport({ relayUrl: settings.relayUrl, teamToken: secrets.relayToken ?? '' })
      return createProvider(settings.provider, { ...overrides.config, baseUrl, transport })
    }
    return createProvider(settings.provider, { ...overrides.config, baseUrl, apiKey: secrets.apiKey })
  }
}

/** The free key check of a hosted provider, asked directly with the key about to be saved. */
export function keyChecker(overrides: ProviderOverrides = {}): KeyChecker {
  return (provider, apiKey, signal) => {
    const hosted = createProvider(provider, { ...overrides.config, baseUrl: overrides.baseUrls?.[provider], apiKey })
    return hosted.checkKey ? hosted.checkKey(signal) : Promise.resolve({ verdict: 'unknown', reason: 'no-check' })
  }
}
