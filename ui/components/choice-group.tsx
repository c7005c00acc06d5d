// A labelled group of exclusive choices (Figma's segmented control, announced as a radio group).
import { SegmentedControl } from '@create-figma-plugin/ui'

type Props<T extends string> = {
  id: string
  label: string
  hint?: string
  value: T
  options: Array<{ value: T; label: string }>
  disabled?: boolean
  onChange: (value: T) => void
}

export function ChoiceGroup<T extends string>({ id, label, hint, value, options, disabled, onChange }: Props<T>) {
  return (
    <div class="field" role="radiogroup" aria-labelledby={`${id}-label`} aria-describedby={hint ? `${id}-hint` : undefined}>
      <span id={`${id}-label`} class="subheading">
        {label}
      </span>
      <SegmentedControl
        {...({ name: id } as object)}
        value={value}
        disabled={disabled}
        options={options.map((option) => ({ value: option.value, children: option.label }))}
        onValueChange={(next: string) => onChange(next as T)}
      />
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </div>
  )
}
