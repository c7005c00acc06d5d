// What the UI needs to know about each provider: its name, whether it needs a key, and what is
// missing before a batch can run.
import type { SizeId } from '../src/core/sizes'
import { describePrice } from '../src/core/cost'
import { PROVIDERS, type ProviderDescriptor, type ProviderId } from '../src/protocol/provider-list'
import type { SecretName, Settings } from '../src/protocol/settings'
import type { ReframeProvider } from '../src/providers/provider'

export const PROVIDER_LABELS = Object.fromEntries(PROVIDERS.map((entry) => [entry.id, entry.label])) as Record<ProviderId, string>

/** The provider menu: every engine of the list, the free one saying so. */
export function providerChoices(list: readonly ProviderDescriptor[] = PROVIDERS): Array<{ value: string; label: string }> {
  return list.map((entry) => ({ value: entry.id, label: entry.key === null ? `${entry.label} (free, no key)` : entry.label }))
}

/** Under the key field: where the key comes from and what a reframe costs. */
export function keyHint(entry: ProviderDescriptor): string {
  if (entry.key === null) return describePrice(entry.price)
  return `From ${entry.key.source}. ${describePrice(entry.price)}. Stored only on this computer, never in the file.`
}

export type ProviderSecrets = { apiKey?: string; relayToken?: string }

/** Builds the provider a batch runs with, from the settings and the secrets main returned. */
export type ProviderFactory = (settings: Settings, secrets: ProviderSecrets) => ReframeProvider

/** The secret a batch needs with these settings (none for the offline engine). */
export function secretNeeded(settings: Pick<Settings, 'provider' | 'connection'>): SecretName | undefined {
  if (settings.provider === 'local') return undefined
  return settings.connection === 'relay' ? 'relayToken' : settings.provider
}

export type RunReadiness = {
  sourceCount: number
  sizes: readonly SizeId[]
  settings: Pick<Settings, 'provider' | 'connection' | 'relayUrl'>
  secrets: Partial<Record<SecretName, boolean>>
}

/** Why Reframe cannot run yet, in the words the button shows; undefined when it can. */
export function missingForRun({ sourceCount, sizes, settings, secrets }: RunReadiness): string | undefined {
  if (sourceCount === 0) return 'Select one or more images'
  if (sizes.length === 0) return 'Pick at least one size'
  if (settings.provider === 'local') return undefined
  if (settings.connection === 'relay') {
    if (settings.relayUrl.trim() === '') return 'Add the team relay URL to reframe'
    if (secrets.relayToken !== true) return 'Add the team token to reframe'
    return undefined
  }
  if (secrets[settings.provider] !== true) return `Add your ${PROVIDER_LABELS[settings.provider]} API key to reframe`
  return undefined
}
