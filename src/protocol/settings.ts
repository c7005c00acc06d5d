// The user's settings: what persists in figma.clientStorage (through main) and what the CLI defaults to.
// Secrets (API keys, team token) are NOT part of Settings: they are stored under their own keys.
// Which providers exist comes from the provider list; everything else is fixed here.
import * as z from 'zod/mini'
import { RATIO_IDS } from '../core/ratios'
import { DEFAULT_SIZES, SIZE_IDS } from '../core/sizes'
import { CANVAS_NAME_PATTERN } from '../core/result-name'
import { MAX_IMAGE_EDGE } from '../core/image-header'
import { HOSTED_PROVIDER_IDS, PROVIDERS, providerIdsOf, type HostedProviderId, type ProviderDescriptor } from './provider-list'

export type { HostedProviderId, ProviderId } from './provider-list'

/** The provider enum of a provider list (the real one, or a test's list with one more). */
export function providerIdSchemaOf<L extends readonly ProviderDescriptor[]>(list: L) {
  return z.enum(providerIdsOf(list))
}

export const ProviderIdSchema = providerIdSchemaOf(PROVIDERS)
export const RatioIdSchema = z.enum(RATIO_IDS)
export const SizeIdSchema = z.enum(SIZE_IDS)
export const PlacementSchema = z.enum(['center', 'start', 'end'])
export const LocalModeSchema = z.enum(['crop', 'fill'])
export const LocalFillSchema = z.enum(['blur', 'edge'])
export const ConnectionSchema = z.enum(['direct', 'relay'])
export const FrameModeSchema = z.enum(['around', 'exact'])

export const EXPORT_MAX_EDGE_LIMITS = { min: 256, max: MAX_IMAGE_EDGE } as const

/** The settings of a provider list (the real one, or a test's list with one more). */
export function settingsSchemaOf<L extends readonly ProviderDescriptor[]>(list: L) {
  return z.object({
    /** Which engine reframes: the offline engine works without a key. */
    provider: z._default(providerIdSchemaOf(list), providerIdsOf(list)[0]),
    /** Plain ratios and platform presets, in the order frames are made. */
    sizes: z._default(z.array(SizeIdSchema).check(z.minLength(1), z.maxLength(SIZE_IDS.length)), DEFAULT_SIZES),
    /** The frame around the original at its scale, or a preset's frame at its exact pixels. */
    frameMode: z._default(FrameModeSchema, 'around'),
    /** How result frames are named (tokens {name}, {preset}, {width}, {height}). */
    namePattern: z._default(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), CANVAS_NAME_PATTERN),
    prompt: z._default(z.string().check(z.maxLength(2000)), ''),
    /** Where the original sits in the new frame along the extended axis. */
    placement: z._default(PlacementSchema, 'center'),
    /** Long-edge cap (px) of the bytes exported from Figma and uploaded; never upscaled past the layer. */
    exportMaxEdge: z._default(
      z.number().check(z.int(), z.minimum(EXPORT_MAX_EDGE_LIMITS.min), z.maximum(EXPORT_MAX_EDGE_LIMITS.max)),
      2048
    ),
    /** Offline engine: crop the best window, or keep everything and fill the new area. */
    localMode: z._default(LocalModeSchema, 'fill'),
    localFill: z._default(LocalFillSchema, 'blur'),
    /** Call hosts with the user's own key, or through the team relay. */
    connection: z._default(ConnectionSchema, 'direct'),
    relayUrl: z._default(z.string(), ''),
    /** Jobs in flight at once per provider (each::labs allows 10). */
    concurrency: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10)), 6)
  })
}

export const SettingsSchema = settingsSchemaOf(PROVIDERS)

export type Settings = z.infer<typeof SettingsSchema>

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({})

/** Parse stored settings, keeping every valid field and defaulting the rest (old or damaged storage never breaks the plugin). */
export function parseSettings(stored: unknown): Settings {
  const input = typeof stored === 'object' && stored !== null ? { ...(stored as Record<string, unknown>) } : {}
  // settings saved before platform presets called the sizes `ratios`
  if (input.sizes === undefined && Array.isArray(input.ratios)) input.sizes = input.ratios
  delete input.ratios
  const whole = SettingsSchema.safeParse(input)
  if (whole.success) return whole.data
  const result: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(SettingsSchema.shape)) {
    const parsed = (field as z.ZodMiniType).safeParse(input[key])
    result[key] = parsed.success ? parsed.data : (DEFAULT_SETTINGS as Record<string, unknown>)[key]
  }
  return SettingsSchema.parse(result)
}

/** Names of the secrets kept in clientStorage, one per hosted provider, plus the relay's team token. */
export type SecretName = HostedProviderId | 'relayToken'
export const SecretNameSchema = z.enum(['relayToken', ...HOSTED_PROVIDER_IDS] as [SecretName, ...SecretName[]])
