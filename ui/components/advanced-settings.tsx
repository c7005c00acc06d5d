// Settings most people never touch: how large the uploaded image is, and how many jobs run at once.
import { Disclosure } from '@create-figma-plugin/ui'
import { useState } from 'preact/hooks'
import { EXPORT_MAX_EDGE_LIMITS, type Settings } from '../../src/protocol/settings'
import { NumberField } from './number-field'

type Props = {
  settings: Settings
  disabled?: boolean
  onSettings: (patch: Partial<Settings>) => void
}

export function AdvancedSettings({ settings, disabled, onSettings }: Props) {
  const [open, setOpen] = useState(false)
  return (
    <Disclosure title="Advanced" open={open} onClick={() => setOpen(!open)}>
      <NumberField
        id="export-max-edge"
        label="Upload size (long edge, px)"
        hint="Images are never enlarged past the layer's own pixels. Smaller uploads are faster."
        value={settings.exportMaxEdge}
        min={EXPORT_MAX_EDGE_LIMITS.min}
        max={EXPORT_MAX_EDGE_LIMITS.max}
        step={256}
        disabled={disabled}
        onChange={(exportMaxEdge) => onSettings({ exportMaxEdge })}
      />
      <NumberField
        id="concurrency"
        label="Jobs at once"
        hint={'each::labs refuses more than 10 at once on small balances; lower this if you see "busy" errors.'}
        value={settings.concurrency}
        min={1}
        max={10}
        disabled={disabled}
        onChange={(concurrency) => onSettings({ concurrency })}
      />
    </Disclosure>
  )
}
