// The sizes a designer can ask for: the plain aspect ratios, and platform presets with exact output
// pixels (and, for stories, the areas the app's own UI covers). Ids are part of the interface: they
// are stored in settings and plugin data and typed on the command line.
import { isRatioId, RATIO_IDS, ratioValue, type RatioId, type Size } from './ratios'

/** Insets a platform's UI covers, in the preset's own pixels. */
export type SafeInsets = { top: number; right: number; bottom: number; left: number }

export type PlatformPreset = {
  id: string
  /** What people call it. */
  name: string
  /** The group it is shown under. */
  platform: string
  width: number
  height: number
  /** Keep key content out of these edges; the source is placed inside, and guides mark them. */
  safe?: SafeInsets
}

export const PLATFORM_PRESETS = [
  { id: 'ig-square', name: 'Instagram square', platform: 'Instagram', width: 1080, height: 1080 },
  { id: 'ig-portrait', name: 'Instagram portrait', platform: 'Instagram', width: 1080, height: 1350 },
  {
    id: 'story',
    name: 'Stories / Reels / TikTok',
    platform: 'Stories',
    width: 1080,
    height: 1920,
    // Meta's Stories guide: about 14% (250 px) at the top and 20% (340 px) at the bottom; Reels and
    // TikTok put their buttons on the right, so a band there too (third parties give 100-140 px)
    safe: { top: 250, right: 120, bottom: 340, left: 60 }
  },
  { id: 'fb-link', name: 'Facebook link', platform: 'Facebook', width: 1200, height: 628 },
  { id: 'linkedin', name: 'LinkedIn link', platform: 'LinkedIn', width: 1200, height: 627 },
  { id: 'x-post', name: 'X post', platform: 'X', width: 1600, height: 900 },
  { id: 'yt-thumb', name: 'YouTube thumbnail', platform: 'YouTube', width: 1280, height: 720 },
  { id: 'pinterest', name: 'Pinterest pin', platform: 'Pinterest', width: 1000, height: 1500 }
] as const satisfies readonly PlatformPreset[]

export type PresetId = (typeof PLATFORM_PRESETS)[number]['id']
export type SizeId = RatioId | PresetId

export const PRESET_IDS = PLATFORM_PRESETS.map((preset) => preset.id) as PresetId[]
export const SIZE_IDS = [...RATIO_IDS, ...PRESET_IDS] as [SizeId, ...SizeId[]]
export const DEFAULT_SIZES: SizeId[] = ['1:1', '9:16', '16:9']

/**
 * The one order of sizes in the plugin: the picker lists them so, and a run makes the ticked ones so
 * (the canvas order). The defaults first, in their order, then the other ratios, then the presets by
 * platform. (The CLI's `--sizes` keeps the order typed.)
 */
export const SIZE_ORDER: readonly SizeId[] = [...DEFAULT_SIZES, ...SIZE_IDS.filter((id) => !DEFAULT_SIZES.includes(id))]

/** These sizes in SIZE_ORDER, each once. */
export function inSizeOrder(sizes: Iterable<SizeId>): SizeId[] {
  const chosen = new Set(sizes)
  return SIZE_ORDER.filter((id) => chosen.has(id))
}

/** Named groups a designer can pick at once. */
export const SIZE_SETS: ReadonlyArray<{ id: string; name: string; sizes: readonly SizeId[] }> = [
  { id: 'instagram', name: 'Instagram', sizes: ['ig-square', 'ig-portrait', 'story'] },
  { id: 'all-social', name: 'All social', sizes: PRESET_IDS }
]

export function isPresetId(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id)
}

export function isSizeId(id: string): id is SizeId {
  return isRatioId(id) || isPresetId(id)
}

export function presetOf(id: PresetId): PlatformPreset {
  return PLATFORM_PRESETS.find((preset) => preset.id === id) as PlatformPreset
}

/** Width / height of a size. */
export function sizeAspect(id: SizeId): number {
  if (isRatioId(id)) return ratioValue(id)
  const preset = presetOf(id)
  return preset.width / preset.height
}

/** Exact output pixels of a preset; undefined for a plain ratio. */
export function sizePixels(id: SizeId): Size | undefined {
  if (isRatioId(id)) return undefined
  const { width, height } = presetOf(id)
  return { width, height }
}

/** "16:9", "Instagram portrait". */
export function sizeName(id: SizeId): string {
  return isRatioId(id) ? id : presetOf(id).name
}

/** The size as it appears in frame and file names: the ratio, or the preset id. */
export function sizeSlug(id: SizeId): string {
  return isRatioId(id) ? id.replace(':', 'x') : id
}

/** Safe insets as fractions of the frame (0 when the size has none). */
export function safeFractions(id: SizeId): SafeInsets {
  const preset = isPresetId(id) ? presetOf(id) : undefined
  if (preset?.safe === undefined) return { top: 0, right: 0, bottom: 0, left: 0 }
  const { top, right, bottom, left } = preset.safe
  return { top: top / preset.height, right: right / preset.width, bottom: bottom / preset.height, left: left / preset.width }
}
