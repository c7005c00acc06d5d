// Settings most people never touch: how large the image sent to the engine is (the upload for a host;
// for the offline engine, which uploads nothing, the size it works at, so it is named that there),
// how many jobs a host runs at once, and how result frames are named. Opened at the foot of the window, its contents are scrolled into view
// (above the sticky footer) rather than left below it.
import { Disclosure } from '@create-figma-plugin/ui'
import { useEffect, useRef, useState } from 'preact/hooks'
import { CANVAS_NAME_PATTERN, FILE_NAME_PATTERN } from '../../src/core/result-name'
import { describeProvider } from '../../src/protocol/provider-list'
import { EXPORT_MAX_EDGE_LIMITS, type Settings } from '../../src/protocol/settings'
import { ChoiceGroup } from './choice-group'
import { NumberField } from './number-field'

type Props = {
  settings: Settings
  disabled?: boolean
  onSettings: (patch: Partial<Settings>) => void
}

export function AdvancedSettings({ settings, disabled, onSettings }: Props) {
  const [open, setOpen] = useState(false)
  const body = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (open) body.current?.scrollIntoView({ block: 'nearest' })
  }, [open])
  const hosted = settings.provider !== 'local'
  const naming = settings.namePattern === CANVAS_NAME_PATTERN ? 'canvas' : settings.namePattern === FILE_NAME_PATTERN ? 'file' : 'custom'
  return (
    <Disclosure title="Advanced" open={open} onClick={() => setOpen(!open)}>
      <div class="advanced-body" ref={body}>
        <NumberField
          id="export-max-edge"
          label={hosted ? 'Upload size (long edge, px)' : 'Working size (long edge, px)'}
          hint={
            hosted
              ? "Images are never enlarged past the layer's own pixels. Smaller uploads are faster."
              : "The offline engine works on the image at most this large, never past the layer's own pixels. Smaller is faster."
          }
          value={settings.exportMaxEdge}
          min={EXPORT_MAX_EDGE_LIMITS.min}
          max={EXPORT_MAX_EDGE_LIMITS.max}
          maxReason="the most Figma takes"
          step={256}
          disabled={disabled}
          onChange={(exportMaxEdge) => onSettings({ exportMaxEdge })}
        />
        {hosted && (
          <NumberField
            id="concurrency"
            label="Jobs at once"
            hint={`How many sizes ${describeProvider(settings.provider).label} works on at once. Lower it if the host says it is busy.`}
            value={settings.concurrency}
            min={1}
            max={10}
            maxReason="the most a host allows on a small balance"
            disabled={disabled}
            onChange={(concurrency) => onSettings({ concurrency })}
          />
        )}
        <ChoiceGroup
          id="name-pattern"
          label="Frame names"
          hint={
            naming === 'file'
              ? 'Figma names exported files after the frame: coffee_ig-portrait_1080x1350.png.'
              : 'coffee · ig-portrait on the canvas. Tokens: {name} {preset} {width} {height}.'
          }
          value={naming}
          options={[
            { value: 'canvas', label: 'Readable' },
            { value: 'file', label: 'For export' },
            ...(naming === 'custom' ? [{ value: 'custom' as const, label: 'Custom' }] : [])
          ]}
          disabled={disabled}
          onChange={(choice) => {
            if (choice !== 'custom') onSettings({ namePattern: choice === 'file' ? FILE_NAME_PATTERN : CANVAS_NAME_PATTERN })
          }}
        />
        <div class="field">
          <label class="subheading" for="name-pattern-text">
            Name pattern
          </label>
          <input
            id="name-pattern-text"
            class="input"
            value={settings.namePattern}
            disabled={disabled}
            spellcheck={false}
            onChange={(event) => {
              const value = (event.currentTarget as HTMLInputElement).value.trim()
              onSettings({ namePattern: value === '' ? CANVAS_NAME_PATTERN : value })
            }}
          />
        </div>
      </div>
    </Disclosure>
  )
}
