// Masked entry for a key or token. The value goes straight to main (clientStorage) and is forgotten
// here; once stored the field shows only that a key is saved, with Replace and Remove. Saving says one
// thing: that it was saved, with what the host's free check said of the key when it was asked.
import { Button, Textbox } from '@create-figma-plugin/ui'
import { useState } from 'preact/hooks'
import type { SaveOutcome } from '../hooks/use-secrets'

type Props = {
  id: string
  label: string
  hint: string
  stored: boolean
  disabled?: boolean
  /** Resolves with why it was not saved, or with what the host's check said of the saved key. */
  onSave: (value: string) => Promise<SaveOutcome>
  onRemove: () => Promise<void>
}

export function SecretField({ id, label, hint, stored, disabled, onSave, onRemove }: Props) {
  const [draft, setDraft] = useState('')
  const [editing, setEditing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>(undefined)

  async function save() {
    const value = draft.trim()
    if (value === '') return
    setBusy(true)
    const outcome = await onSave(value)
    setBusy(false)
    if (outcome.error === undefined) {
      setDraft('')
      setEditing(false)
      setMessage({ text: outcome.checked === undefined ? `${label} saved on this computer.` : `Saved on this computer. ${outcome.checked}`, error: false })
    } else {
      setMessage({ text: outcome.error, error: true })
    }
  }

  async function remove() {
    setBusy(true)
    await onRemove()
    setBusy(false)
    setMessage({ text: `${label} removed.`, error: false })
  }

  const showEntry = !stored || editing
  return (
    <div class="field">
      <label class="subheading" for={id}>
        {label}
      </label>
      {showEntry ? (
        <div class="row">
          <div class="grow">
            <Textbox
              id={id}
              password
              value={draft}
              disabled={disabled || busy}
              placeholder={stored ? 'Paste the new key' : 'Paste your key'}
              aria-describedby={`${id}-hint ${id}-status`}
              {...({ autocomplete: "off" } as object)}
              onValueInput={setDraft}
              onKeyDown={(event: KeyboardEvent) => {
                if (event.key === 'Enter') {
                  // Enter here saves the key; it must not also start a batch
                  event.stopPropagation()
                  event.preventDefault()
                  void save()
                }
              }}
              variant="border"
            />
          </div>
          <Button onClick={() => void save()} disabled={disabled || busy || draft.trim() === ''} loading={busy}>
            Save
          </Button>
          {stored && (
            <Button secondary onClick={() => { setEditing(false); setDraft('') }}>
              Keep current
            </Button>
          )}
        </div>
      ) : (
        <div class="row">
          <span class="grow saved-key" id={id}>
            Saved ••••••••
          </span>
          <Button secondary onClick={() => setEditing(true)} disabled={disabled || busy} aria-label={`Replace ${label}`}>
            Replace
          </Button>
          <Button secondary danger onClick={() => void remove()} disabled={disabled || busy} aria-label={`Remove ${label}`}>
            Remove
          </Button>
        </div>
      )}
      <p id={`${id}-hint`} class="hint">
        {hint}
      </p>
      <p id={`${id}-status`} class={message?.error ? 'hint error' : 'hint'} role="status">
        {message?.text ?? ''}
      </p>
    </div>
  )
}
