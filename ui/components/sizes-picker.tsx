// The sizes to make: the three defaults up front, every other native ratio and the social presets one
// click away, each with the pixels it will come out at for the chosen provider.
import { Checkbox } from '@create-figma-plugin/ui'
import { NATIVE_RATIOS, PRESET_RATIOS, type RatioId, type Size } from '../../src/core/ratios'
import type { Settings } from '../../src/protocol/settings'
import { outputSizeLabel, type PlanSettings } from '../sizes/plan-preview'

const RATIO_NAMES: Partial<Record<RatioId, string>> = {
  '1:1': 'Square',
  '9:16': 'Story',
  '16:9': 'Wide',
  '4:5': 'Portrait post',
  '1.91:1': 'Link preview'
}

type Props = {
  ratios: RatioId[]
  settings: PlanSettings
  source: Size | undefined
  disabled?: boolean
  onChange: (ratios: RatioId[]) => void
}

export function SizesPicker({ ratios, settings, source, disabled, onChange }: Props) {
  function toggle(ratio: RatioId, on: boolean) {
    const next = new Set(ratios)
    if (on) next.add(ratio)
    else next.delete(ratio)
    // keep the canonical order so frames come out in the same row order every time
    onChange([...NATIVE_RATIOS, ...PRESET_RATIOS].filter((r) => next.has(r)))
  }
  function group(title: string, list: readonly RatioId[]) {
    return (
      <fieldset class="ratio-group">
        <legend class="subheading">{title}</legend>
        <div class="ratio-grid">
          {list.map((ratio) => (
            <Checkbox
              key={ratio}
              value={ratios.includes(ratio)}
              disabled={disabled}
              onValueChange={(on: boolean) => toggle(ratio, on)}
              aria-label={`${ratio}${RATIO_NAMES[ratio] ? ` ${RATIO_NAMES[ratio]}` : ''}, ${outputSizeLabel(source, ratio, settings)}`}
            >
              <span class="ratio">{ratio}</span>{' '}
              <span class="muted ratio-px">{outputSizeLabel(source, ratio, settings)}</span>
            </Checkbox>
          ))}
        </div>
      </fieldset>
    )
  }
  return (
    <section class="section" aria-labelledby="sizes-heading">
      <h2 id="sizes-heading" class="heading">
        Sizes
      </h2>
      {group('Model ratios', NATIVE_RATIOS)}
      {group(settings.provider === 'local' ? 'Social presets' : 'Social presets (cropped from a wider result)', PRESET_RATIOS)}
    </section>
  )
}
