// Enter and Escape. In the form, Enter runs; in the run view it never does: once the run has ended
// Enter means Done (the run view's own action), and while it runs Enter does nothing. Escape cancels
// a run. Enter is left alone where it already means something (a button, a select, a summary), inside
// the prompt unless Ctrl or Cmd is held, and when it is a held key repeating.
import { useEffect, useRef } from 'preact/hooks'

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'TEXTAREA' || target.isContentEditable)
}

function handlesEnter(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['BUTTON', 'SELECT', 'SUMMARY', 'A'].includes(target.tagName)
}

export type ShortcutActions = {
  /** Which view the window shows: the settings form, or a run (going or finished). */
  view: 'form' | 'run'
  running: boolean
  run(): void
  cancel(): void
  /** Leaves a finished run's view. */
  done(): void
}

export function useShortcuts(actions: ShortcutActions) {
  // read through a ref so the one listener always sees the current state
  const current = useRef(actions)
  current.current = actions
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const now = current.current
      if (event.key === 'Escape' && now.running) {
        event.preventDefault()
        now.cancel()
        return
      }
      if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.defaultPrevented || event.repeat) return
      if (handlesEnter(event.target)) return
      if (isTypingTarget(event.target) && !(event.ctrlKey || event.metaKey)) return
      event.preventDefault()
      if (now.view === 'form') now.run()
      else if (!now.running) now.done()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [])
}
