// The sizes to make: the plain ratios (1:1, 9:16, 16:9 on by default) and the platform presets with
// their names and exact pixels, grouped by platform, a set a click away ("Instagram", "All social":
// a set button ticks exactly that set).
// Each size shows the pixels it will come out at; one with the image's own shape says so.
import { Checkbox } from '@create-figma-plugin/ui'
import { isRatioId, type Size } from '../../src/core/ratios'
import { inSizeOrder, PLATFORM_PRESETS, SIZE_ORDER, SIZE_SETS, sizeAspect, sizeName, type PresetId, type SizeId } from '../../src/core/sizes'
import { outputSizeLabel, type PlanSettings } from '../sizes/plan-preview'

type Props = {
  sizes: readonly SizeId[]
  settings: PlanSettings
  /** The first selected layer, whose pixels the labels show. */
  source: Size | undefined
  disabled?: boolean
  onChange: (sizes: SizeId[]) => void
}

const RATIO_NAMES: Partial<Record<SizeId, string>> = { '1:1': 'Square', '9:16': 'Tall', '16:9': 'Wide' }

/** The platforms in the order of the table, each with its presets. */
const PLATFORMS = [...new Set(PLATFORM_PRESETS.map((preset) => preset.platform))].map((platform) => ({
  platform,
  presets: PLATFORM_PRESETS.filter((preset) => preset.platform === platform)
}))

function sameShape(size: SizeId, source: Size | undefined): boolean {
  return source !== undefined && Math.abs(sizeAspect(size) / (source.width / source.height) - 1) < 0.01
}

export function SizesPicker({ sizes, settings, source, disabled, onChange }: Props) {
  // always the picker's own order, which is the order the frames come out in
  const ordered = (chosen: Set<SizeId>) => inSizeOrder(chosen)
  function toggle(size: SizeId, on: boolean) {
    const next = new Set(sizes)
    if (on) next.add(size)
    else next.delete(size)
    onChange(ordered(next))
  }
  /** A set button ticks exactly its set: what was ticked before is replaced, not added to. */
  function chooseSet(members: readonly SizeId[]) {
    onChange(ordered(new Set(members)))
  }
  const isExactly = (members: readonly SizeId[]) => sizes.length === members.length && members.every((id) => sizes.includes(id))

  function option(size: SizeId, label: string) {
    const pixels = outputSizeLabel(source, size, settings)
    const same = sameShape(size, source)
    return (
      <Checkbox
        key={size}
        value={sizes.includes(size)}
        disabled={disabled}
        onValueChange={(on: boolean) => toggle(size, on)}
        aria-label={`${label}${RATIO_NAMES[size] && label === size ? ` ${RATIO_NAMES[size]}` : ''}, ${pixels}${same ? ', the image’s own shape' : ''}`}
      >
        <span class="size-name">{label}</span> <span class="muted size-px">{pixels}</span>
        {same && <span class="muted size-same"> · image’s shape</span>}
      </Checkbox>
    )
  }

  return (
    <section class="section" aria-labelledby="sizes-heading">
      <div class="section-head">
        <h2 id="sizes-heading" class="heading">
          Sizes
        </h2>
        <div class="size-sets" role="group" aria-label="Size sets">
          {SIZE_SETS.map((set) => (
            <button
              key={set.id}
              type="button"
              class="chip"
              disabled={disabled}
              aria-pressed={isExactly(set.sizes)}
              title={`Tick exactly: ${set.sizes.map(sizeName).join(', ')}`}
              onClick={() => chooseSet(set.sizes)}
            >
              {set.name}
            </button>
          ))}
        </div>
      </div>
      <fieldset class="size-group">
        <legend class="subheading">Ratios</legend>
        <div class="size-grid">{SIZE_ORDER.filter(isRatioId).map((ratio) => option(ratio, ratio))}</div>
      </fieldset>
      <fieldset class="size-group">
        <legend class="subheading">Platforms, at their exact pixels</legend>
        {PLATFORMS.map(({ platform, presets }) => (
          <div key={platform} class="platform" role="group" aria-label={platform}>
            <span class="platform-name muted">{platform}</span>
            <div class="platform-presets">{presets.map((preset) => option(preset.id as PresetId, preset.name))}</div>
          </div>
        ))}
      </fieldset>
    </section>
  )
}
