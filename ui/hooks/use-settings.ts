// The designer's settings: loaded from main once the window is ready, changed here at once and saved
// through main (typing in the prompt saves once the designer pauses, not on every key).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { Channel } from '../../src/protocol/channel'
import { DEFAULT_SETTINGS, type SecretName, type Settings } from '../../src/protocol/settings'
import { describeFailure } from '../../src/pipeline/describe-failure'

const PROMPT_SAVE_DELAY_MS = 500

export type SettingsState = {
  settings: Settings
  loaded: boolean
  /** Which secrets main holds, as loaded (never their values). */
  storedSecrets: Partial<Record<SecretName, boolean>>
  update(patch: Partial<Settings>): void
}

/** `onNotice` must be stable (a state setter): settings load once per channel. */
export function useSettings(channel: Channel, onNotice: (notice: string) => void): SettingsState {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS)
  const [loaded, setLoaded] = useState(false)
  const [storedSecrets, setStoredSecrets] = useState<Partial<Record<SecretName, boolean>>>({})
  const promptTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => {
    channel
      .request('load-settings', {})
      .then((stored) => {
        setSettings(stored.settings)
        setStoredSecrets(stored.secrets)
      })
      .catch((error: unknown) => onNotice(`Settings could not be loaded; using defaults. ${describeFailure(error)}`))
      .finally(() => setLoaded(true))
  }, [channel, onNotice])

  const save = useCallback(
    (patch: Partial<Settings>) => {
      channel.request('save-settings', { settings: patch }).catch((error: unknown) => onNotice(`Settings were not saved: ${describeFailure(error)}`))
    },
    [channel, onNotice]
  )

  const update = useCallback(
    (patch: Partial<Settings>) => {
      setSettings((previous) => ({ ...previous, ...patch }))
      if ('prompt' in patch) {
        clearTimeout(promptTimer.current)
        promptTimer.current = setTimeout(() => save(patch), PROMPT_SAVE_DELAY_MS)
      } else save(patch)
    },
    [save]
  )

  return { settings, loaded, storedSecrets, update }
}
