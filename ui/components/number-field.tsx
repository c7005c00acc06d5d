// A labelled whole-number entry with a hint. Saves only whole numbers within [min, max]: an entry out of
// range is set to the nearest allowed value and the field says so; an entry that is not a number puts
// the saved value back instead of saving anything.
import { useState } from 'preact/hooks'

type Props = {
  id: string
  label: string
  hint: string
  value: number
  min: number
  max: number
  step?: number
  /** Says why the nearest allowed value is what it is ("the most Figma takes"). */
  maxReason?: string
  disabled?: boolean
  onChange: (value: number) => void
}

export function NumberField({ id, label, hint, value, min, max, step, maxReason, disabled, onChange }: Props) {
  const [adjusted, setAdjusted] = useState<string | undefined>(undefined)
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
          const typed = Number.parseInt(input.value, 10)
          if (!Number.isFinite(typed)) {
            input.value = String(value)
            setAdjusted(`“${input.value}” is not a number; kept ${value}.`)
            return
          }
          const next = Math.min(max, Math.max(min, typed))
          setAdjusted(next === typed ? undefined : `${typed} is out of range: set to ${next}${next === max && maxReason ? `, ${maxReason}` : ''}.`)
          input.value = String(next)
          onChange(next)
        }}
      />
      <p id={`${id}-hint`} class="hint" role={adjusted ? 'status' : undefined}>
        {adjusted ?? hint}
      </p>
    </div>
  )
}
