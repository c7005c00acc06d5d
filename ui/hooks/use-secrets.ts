// Which keys are stored (never their values, which stay in main), and saving, replacing and removing
// one. A key the host refuses (401/403) is not saved: the field stays open with the reason. A key the
// host could not judge (no check, offline, blocked) is saved; a wrong one then shows on the first run.
import { useCallback, useEffect, useState } from 'preact/hooks'
import type { Channel } from '../../src/protocol/channel'
import type { SecretName } from '../../src/protocol/settings'
import { describeFailure } from '../../src/pipeline/describe-failure'
import type { KeyCheck } from '../../src/providers/provider'
import { keyCheckMessage, type KeyChecker } from '../key-check-message'

/** A key not saved, and why; or saved, with what the host's free check said of it (when it was asked). */
export type SaveOutcome = { error: string } | { error?: undefined; checked?: string }

export type SecretsState = {
  stored: Partial<Record<SecretName, boolean>>
  /** Resolves with why the key was not saved, or, saved, what the host's check said of it. */
  save(name: SecretName, value: string): Promise<SaveOutcome>
  remove(name: SecretName): Promise<void>
  /** Main no longer has it (found missing when a run asked for it). */
  forget(name: SecretName): void
}

export function useSecrets(
  channel: Channel,
  loaded: Partial<Record<SecretName, boolean>>,
  checkKey: KeyChecker | undefined,
  onNotice: (notice: string) => void
): SecretsState {
  const [stored, setStored] = useState<Partial<Record<SecretName, boolean>>>(loaded)
  useEffect(() => setStored(loaded), [loaded])

  async function save(name: SecretName, value: string): Promise<SaveOutcome> {
    let checked: KeyCheck | undefined
    if (name !== 'relayToken' && checkKey !== undefined) {
      checked = await checkKey(name, value).catch((): KeyCheck => ({ verdict: 'unknown', reason: 'unexpected' }))
      if (checked.verdict === 'invalid') return { error: keyCheckMessage(name, checked) }
    }
    try {
      await channel.request('set-secret', { name, value })
      setStored((previous) => ({ ...previous, [name]: true }))
      return name !== 'relayToken' && checked !== undefined ? { checked: keyCheckMessage(name, checked) } : {}
    } catch (error) {
      return { error: `The key was not saved: ${describeFailure(error, [value])}` }
    }
  }

  async function remove(name: SecretName) {
    try {
      await channel.request('set-secret', { name, value: null })
      setStored((previous) => ({ ...previous, [name]: false }))
    } catch (error) {
      onNotice(`The key was not removed: ${describeFailure(error)}`)
    }
  }

  const forget = useCallback((name: SecretName) => setStored((previous) => ({ ...previous, [name]: false })), [])

  return { stored, save, remove, forget }
}
