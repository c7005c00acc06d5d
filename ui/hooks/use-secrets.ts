// Which keys are stored (never their values, which stay in main), and saving, replacing and removing
// one. A key the host refuses (401/403) is not saved: the field stays open with the reason. A key the
// host could not judge (no check, offline, blocked) is saved; a wrong one then shows on the first run.
import { useCallback, useEffect, useState } from 'preact/hooks'
import type { Channel } from '../../src/protocol/channel'
import type { HostedProviderId, SecretName } from '../../src/protocol/settings'
import { describeFailure } from '../../src/pipeline/describe-failure'
import type { KeyCheck } from '../../src/providers/provider'
import { keyCheckMessage, type KeyChecker } from '../key-check-message'

export type SecretsState = {
  stored: Partial<Record<SecretName, boolean>>
  /** What the host's check said of the key just saved, for that provider. */
  keyNote?: { provider: HostedProviderId; text: string }
  /** Resolves with the reason the key was not saved, or undefined when it was. */
  save(name: SecretName, value: string): Promise<string | undefined>
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
  const [keyNote, setKeyNote] = useState<SecretsState['keyNote']>(undefined)
  useEffect(() => setStored(loaded), [loaded])

  async function save(name: SecretName, value: string): Promise<string | undefined> {
    setKeyNote(undefined)
    let checked: KeyCheck | undefined
    if (name !== 'relayToken' && checkKey !== undefined) {
      checked = await checkKey(name, value).catch((): KeyCheck => ({ verdict: 'unknown', reason: 'unexpected' }))
      if (checked.verdict === 'invalid') return keyCheckMessage(name, checked)
    }
    try {
      await channel.request('set-secret', { name, value })
      setStored((previous) => ({ ...previous, [name]: true }))
      if (name !== 'relayToken' && checked !== undefined) setKeyNote({ provider: name, text: keyCheckMessage(name, checked) })
      return undefined
    } catch (error) {
      return `The key was not saved: ${describeFailure(error, [value])}`
    }
  }

  async function remove(name: SecretName) {
    try {
      await channel.request('set-secret', { name, value: null })
      setStored((previous) => ({ ...previous, [name]: false }))
      setKeyNote(undefined)
    } catch (error) {
      onNotice(`The key was not removed: ${describeFailure(error)}`)
    }
  }

  const forget = useCallback((name: SecretName) => setStored((previous) => ({ ...previous, [name]: false })), [])

  return { stored, keyNote, save, remove, forget }
}
