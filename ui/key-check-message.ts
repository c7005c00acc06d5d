// What the designer reads after saving a key, from what the host's free key check found.
import type { HostedProviderId } from '../src/protocol/settings'
import type { KeyCheck } from '../src/providers/provider'
import { PROVIDER_LABELS } from './provider-choice'

/** Checks a key with the provider's free request; rejects only when cancelled. */
export type KeyChecker = (provider: HostedProviderId, apiKey: string, signal?: AbortSignal) => Promise<KeyCheck>

const WRONG_KEY_LATER = 'a wrong key shows on the first run.'

export function keyCheckMessage(provider: HostedProviderId, check: KeyCheck): string {
  const host = PROVIDER_LABELS[provider]
  switch (check.verdict) {
    case 'valid':
      return `Key accepted by ${host}.`
    case 'invalid':
      return `${host} rejected this key (${check.status}). Check it and save again.`
    case 'unknown':
      if (check.reason === 'no-check') return `${host} has no quick key check; ${WRONG_KEY_LATER}`
      if (check.reason === 'unreachable') return `${host} could not be reached to check the key; ${WRONG_KEY_LATER}`
      return `${host} did not say whether the key is right (${check.status ?? 'no status'}); ${WRONG_KEY_LATER}`
  }
}
