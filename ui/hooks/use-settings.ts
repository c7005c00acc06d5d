// The designer's settings: loaded from main once the window is ready, changed here at once and saved
// through main (typing in the prompt saves once the designer pauses, not on every key). No size ticked
// is a state of the form (Reframe says "Pick at least one size"), not a setting: it is never sent, so
// main keeps the last real choice. A save that failed is said until a later save succeeds.
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
  /** Settings could not be loaded, or the last save failed (cleared when a later one succeeds). */
  problem?: string
  update(patch: Partial<Settings>): void
}

export function useSettings(channel: Channel): SettingsState {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS)
  const [loaded, setLoaded] = useState(false)
  const [storedSecrets, setStoredSecrets] = useState<Partial<Record<SecretName, boolean>>>({})
  const [problem, setProblem] = useState<{ text: string; kind: 'load' | 'save' } | undefined>(undefined)
  const promptTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => {
    channel
      .request('load-settings', {})
      .then((stored) => {
        setSettings(stored.settings)
        setStoredSecrets(stored.secrets)
      })
      .catch((error: unknown) => setProblem({ kind: 'load', text: `Settings could not be loaded; using defaults. ${describeFailure(error)}` }))
      .finally(() => setLoaded(true))
  }, [channel])

  const save = useCallback(
    (patch: Partial<Settings>) => {
      channel.request('save-settings', { settings: patch }).then(
        () => setProblem((previous) => (previous?.kind === 'save' ? undefined : previous)),
        (error: unknown) => setProblem({ kind: 'save', text: `Settings were not saved: ${describeFailure(error)}` })
      )
    },
    [channel]
  )

  const update = useCallback(
    (patch: Partial<Settings>) => {
      setSettings((previous) => ({ ...previous, ...patch }))
      if (patch.sizes !== undefined && patch.sizes.length === 0) {
        const { sizes: _none, ...rest } = patch
        if (Object.keys(rest).length > 0) save(rest)
      } else if ('prompt' in patch) {
        clearTimeout(promptTimer.current)
        promptTimer.current = setTimeout(() => save(patch), PROMPT_SAVE_DELAY_MS)
      } else save(patch)
    },
    [save]
  )

  return { settings, loaded, storedSecrets, problem: problem?.text, update }
}
