// Settings most people never touch: how large the uploaded image is, and how many jobs run at once.
import { Disclosure } from '@create-figma-plugin/ui'
import { useState } from 'preact/hooks'
import { EXPORT_MAX_EDGE_LIMITS, type Settings } from '../../src/core/settings'

type Props = {
  settings: Settings
  disabled?: boolean
  onSettings: (patch: Partial<Settings>) => void
}

function clampInt(text: string, min: number, max: number): number | undefined {
  const value = Number.parseInt(text, 10)
  if (!Number.isFinite(value)) return undefined
  return Math.min(max, Math.max(min, value))
}

export function AdvancedSettings({ settings, disabled, onSettings }: Props) {
  const [open, setOpen] = useState(false)
  return (
    <Disclosure title="Advanced" open={open} onClick={() => setOpen(!open)}>
      <div class="field">
        <label class="subheading" for="export-max-edge">
          Upload size (long edge, px)
        </label>
        <input
          id="export-max-edge"
          class="input"
          type="number"
          min={EXPORT_MAX_EDGE_LIMITS.min}
          max={EXPORT_MAX_EDGE_LIMITS.max}
          step={256}
          value={settings.exportMaxEdge}
          disabled={disabled}
          aria-describedby="export-max-edge-hint"
          onChange={(event) => {
            const input = event.currentTarget as HTMLInputElement
            const value = clampInt(input.value, EXPORT_MAX_EDGE_LIMITS.min, EXPORT_MAX_EDGE_LIMITS.max)
            if (value === undefined) input.value = String(settings.exportMaxEdge)
            else onSettings({ exportMaxEdge: value })
          }}
        />
        <p id="export-max-edge-hint" class="hint">
          Images are never enlarged past the layer's own pixels. Smaller uploads are faster.
        </p>
      </div>
      <div class="field">
        <label class="subheading" for="concurrency">
          Jobs at once
        </label>
        <input
          id="concurrency"
          class="input"
          type="number"
          min={1}
          max={10}
          value={settings.concurrency}
          disabled={disabled}
          aria-describedby="concurrency-hint"
          onChange={(event) => {
            const input = event.currentTarget as HTMLInputElement
            const value = clampInt(input.value, 1, 10)
            if (value === undefined) input.value = String(settings.concurrency)
            else onSettings({ concurrency: value })
          }}
        />
        <p id="concurrency-hint" class="hint">
          each::labs refuses more than 10 at once on small balances; lower this if you see "busy" errors.
        </p>
      </div>
    </Disclosure>
  )
}
