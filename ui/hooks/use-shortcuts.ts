// Enter runs, Escape cancels a run. Enter is left alone where it already means something (a button,
// a select, a summary) and inside the prompt unless Ctrl or Cmd is held.
import { useEffect, useRef } from 'preact/hooks'

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'TEXTAREA' || target.isContentEditable)
}

function handlesEnter(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['BUTTON', 'SELECT', 'SUMMARY', 'A'].includes(target.tagName)
}

export function useShortcuts(actions: { run(): void; cancel(): void; running: boolean }) {
  // read through a ref so the one listener always sees the current state
  const current = useRef(actions)
  current.current = actions
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape' && current.current.running) {
        event.preventDefault()
        current.current.cancel()
        return
      }
      if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.defaultPrevented) return
      if (handlesEnter(event.target)) return
      if (isTypingTarget(event.target) && !(event.ctrlKey || event.metaKey)) return
      event.preventDefault()
      current.current.run()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [])
}
