// A labelled whole-number entry with a hint. Saves only whole numbers clamped to [min, max]; an entry
// that is not a number puts the saved value back instead of saving anything.
type Props = {
  id: string
  label: string
  hint: string
  value: number
  min: number
  max: number
  step?: number
  disabled?: boolean
  onChange: (value: number) => void
}

function clampInt(text: string, min: number, max: number): number | undefined {
  const value = Number.parseInt(text, 10)
  if (!Number.isFinite(value)) return undefined
  return Math.min(max, Math.max(min, value))
}

export function NumberField({ id, label, hint, value, min, max, step, disabled, onChange }: Props) {
  return (
    <div class="field">
      <label class="subheading" for={id}>
        {label}
      </label>
      <input
        id={id}
        class="input"
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          const input = event.currentTarget as HTMLInputElement
          const next = clampInt(input.value, min, max)
          if (next === undefined) input.value = String(value)
          else onChange(next)
        }}
      />
      <p id={`${id}-hint`} class="hint">
        {hint}
      </p>
    </div>
  )
}
