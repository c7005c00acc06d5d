// The optional prompt, with a hint of what helps the model.
import { TextboxMultiline } from '@create-figma-plugin/ui'

type Props = { value: string; disabled?: boolean; onChange: (value: string) => void }

export function PromptField({ value, disabled, onChange }: Props) {
  return (
    <div class="field">
      <label class="subheading" for="prompt">
        Prompt (optional)
      </label>
      <TextboxMultiline
        id="prompt"
        value={value}
        rows={2}
        disabled={disabled}
        placeholder="e.g. keep the whole bottle visible; extend the beach and sky"
        aria-describedby="prompt-hint"
        onValueInput={onChange}
        variant="border"
      />
      <p id="prompt-hint" class="hint">
        Say what must stay visible and what to extend. Ctrl+Enter reframes.
      </p>
    </div>
  )
}
