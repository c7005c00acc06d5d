// Which engine reframes and how it is reached: the offline engine (no key), or a hosted provider with
// the user's own key or through the team relay (then the key field disappears).
import { describeHosted } from '../../src/protocol/provider-list'
import type { SecretName, Settings } from '../../src/protocol/settings'
import type { SaveOutcome } from '../hooks/use-secrets'
import { keyHint, PROVIDER_LABELS, providerChoices } from '../provider-choice'
import { SettingChoice } from './setting-choice'
import { SecretField } from './secret-field'

type Props = {
  settings: Settings
  secrets: Partial<Record<SecretName, boolean>>
  disabled?: boolean
  /** What the host's key check said about the key just saved. */
  onSettings: (patch: Partial<Settings>) => void
  onSaveSecret: (name: SecretName, value: string) => Promise<SaveOutcome>
  onRemoveSecret: (name: SecretName) => Promise<void>
}

export function ProviderSettings({ settings, secrets, disabled, onSettings, onSaveSecret, onRemoveSecret }: Props) {
  const { provider } = settings
  return (
    <section class="section" aria-labelledby="provider-heading">
      <h2 id="provider-heading" class="heading">
        Engine
      </h2>
      <div class="field">
        <label class="subheading" for="provider">
          Provider
        </label>
        <select
          id="provider"
          class="select"
          value={provider}
          disabled={disabled}
          onChange={(event) => onSettings({ provider: (event.currentTarget as HTMLSelectElement).value as Settings['provider'] })}
        >
          {providerChoices().map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      {provider === 'local' ? (
        <>
          <SettingChoice name="localMode" settings={settings} disabled={disabled} onSettings={onSettings} />
          {settings.localMode === 'fill' && (
            <SettingChoice name="localFill" settings={settings} disabled={disabled} onSettings={onSettings} />
          )}
        </>
      ) : (
        <>
          <SettingChoice name="connection" settings={settings} disabled={disabled} onSettings={onSettings} />
          {settings.connection === 'direct' ? (
            <SecretField
              key={provider}
              id="api-key"
              label={`${PROVIDER_LABELS[provider]} ${describeHosted(provider).key.noun}`}
              hint={keyHint(describeHosted(provider))}
              stored={secrets[provider] === true}
              disabled={disabled}
              onSave={(value) => onSaveSecret(provider, value)}
              onRemove={() => onRemoveSecret(provider)}
            />
          ) : (
            <>
              <div class="field">
                <label class="subheading" for="relay-url">
                  Team relay URL
                </label>
                <input
                  id="relay-url"
                  class="input"
                  type="url"
                  value={settings.relayUrl}
                  disabled={disabled}
                  placeholder="https://reframe-relay.example.com"
                  spellcheck={false}
                  onChange={(event) => onSettings({ relayUrl: (event.currentTarget as HTMLInputElement).value.trim() })}
                />
              </div>
              <SecretField
                id="relay-token"
                label="Team token"
                hint="From whoever runs your team's relay. The relay holds the provider key."
                stored={secrets.relayToken === true}
                disabled={disabled}
                onSave={(value) => onSaveSecret('relayToken', value)}
                onRemove={() => onRemoveSecret('relayToken')}
              />
            </>
          )}
        </>
      )}
    </section>
  )
}
