// Settings and secrets in figma.clientStorage (settings through create-figma-plugin's storage helpers,
// then checked field by field). Secrets live under their own keys and only leave through get-secret;
// everything else learns only whether one is stored.
import { loadSettingsAsync as loadStoredAsync, saveSettingsAsync as saveStoredAsync } from '@create-figma-plugin/utilities'
import type { SettingsPatch } from '../protocol/messages'
import { parseSettings, SecretNameSchema, SettingsSchema, type SecretName, type Settings } from '../protocol/settings'

export const SETTINGS_KEY = 'settings'

export function secretKey(name: SecretName): string {
  return `secret.${name}`
}

export async function loadSettingsAsync(): Promise<{ settings: Settings; secrets: Record<SecretName, boolean> }> {
  const settings = parseSettings(await loadStoredAsync<unknown>({}, SETTINGS_KEY))
  const names = SecretNameSchema.options
  const present = await Promise.all(names.map((name) => getSecretAsync(name).then((value) => value !== null)))
  const secrets = Object.fromEntries(names.map((name, i) => [name, present[i]])) as Record<SecretName, boolean>
  return { settings, secrets }
}

export async function saveSettingsAsync(changes: SettingsPatch): Promise<Settings> {
  const current = parseSettings(await loadStoredAsync<unknown>({}, SETTINGS_KEY))
  const merged = SettingsSchema.parse({ ...current, ...changes })
  await saveStoredAsync(merged, SETTINGS_KEY)
  return merged
}

export async function getSecretAsync(name: SecretName): Promise<string | null> {
  const value = await figma.clientStorage.getAsync(secretKey(name))
  return typeof value === 'string' && value !== '' ? value : null
}

export async function setSecretAsync(name: SecretName, value: string | null): Promise<void> {
  if (value === null) await figma.clientStorage.deleteAsync(secretKey(name))
  else await figma.clientStorage.setAsync(secretKey(name), value)
}
