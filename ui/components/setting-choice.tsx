// The settings chosen from a few exclusive options, written once as data: their label, options and
// the hint that explains the option chosen. Each is drawn as a ChoiceGroup bound to its setting.
import { inSizeOrder, sizePixels } from '../../src/core/sizes'
import type { Settings } from '../../src/protocol/settings'
import { ChoiceGroup } from './choice-group'

type ChoiceName = 'frameMode' | 'placement' | 'localMode' | 'localFill' | 'connection'

type Choice<K extends ChoiceName> = {
  id: string
  label: string
  /** value, label */
  options: Array<[Settings[K], string]>
  /** The hint for the option chosen, which may depend on another setting (Fill's on what it fills with). */
  hint?: (value: Settings[K], settings: Settings) => string
}

/** " (1080×1080, 1080×1920)": the pixels of the presets ticked, in the picker's order; "" for none. */
function tickedPixels(sizes: Settings['sizes']): string {
  const pixels = inSizeOrder(sizes).flatMap((size) => {
    const exact = sizePixels(size)
    return exact === undefined ? [] : [`${exact.width}×${exact.height}`]
  })
  return pixels.length === 0 ? '' : ` (${[...new Set(pixels)].join(', ')})`
}
const FRAME_HINTS = {
  around: () => 'Frames sit around the original at its scale; every preset still exports at its exact pixels.',
  exact: (sizes: Settings['sizes']) => `A preset’s frame is its exact pixels on the canvas${tickedPixels(sizes)}, the image fitted inside.`
}
/** What each fill puts in the new area: the Fill hint and the Fill with hint both say it. */
const FILL_HINTS = {
  blur: 'a blurred, darkened copy of the image behind it, blended softly where the two meet.',
  edge: 'its own edges mirrored outwards, ever softer and darker away from the image.'
}
const ENGINE_HINTS = {
  fill: (fill: Settings['localFill']) => `Keeps the whole image and fills the new area with ${FILL_HINTS[fill]}`,
  crop: () => 'Cuts the most interesting window of the new shape out of the image, never enlarged.'
}

const CHOICES: { [K in ChoiceName]: Choice<K> } = {
  frameMode: { id: 'frame-mode', label: 'Frame size', options: [['around', 'Around the original'], ['exact', 'Exact pixels']], hint: (v, settings) => FRAME_HINTS[v](settings.sizes) },
  placement: {
    id: 'placement',
    label: 'Where the original sits',
    options: [['center', 'Centre'], ['start', 'Start'], ['end', 'End']],
    hint: () => 'Along the side that grows: start is left or top, end is right or bottom.'
  },
  localMode: { id: 'local-mode', label: 'Offline engine', options: [['fill', 'Fill'], ['crop', 'Smart crop']], hint: (v, settings) => ENGINE_HINTS[v](settings.localFill) },
  localFill: {
    id: 'local-fill',
    label: 'Fill with',
    options: [['blur', 'Blurred image'], ['edge', 'Mirrored edge']],
    hint: (v) => `The new area shows ${FILL_HINTS[v]}`
  },
  connection: { id: 'connection', label: 'Connection', options: [['direct', 'My own key'], ['relay', 'Team relay']] }
}

type Props<K extends ChoiceName> = {
  name: K
  settings: Settings
  disabled?: boolean
  onSettings: (patch: Partial<Settings>) => void
}

export function SettingChoice<K extends ChoiceName>({ name, settings, disabled, onSettings }: Props<K>) {
  const choice = CHOICES[name] as Choice<K>
  const value = settings[name]
  return (
    <ChoiceGroup
      id={choice.id}
      label={choice.label}
      hint={choice.hint?.(value, settings)}
      value={value}
      options={choice.options.map(([value, label]) => ({ value, label }))}
      disabled={disabled}
      onChange={(next) => onSettings({ [name]: next } as Partial<Settings>)}
    />
  )
}
