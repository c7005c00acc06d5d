// What Ctrl+C does: the first cancels the run (which then prints its summary and exits 130), the
// second quits at once, whatever is still running.

export type InterruptEnds = {
  /** Cancels the run. */
  cancel(): void
  /** Ends the process now. */
  exit(code: number): void
  write(text: string): void
}

export const INTERRUPTED_EXIT_CODE = 130

export function createInterruptHandler(ends: InterruptEnds): () => void {
  let interrupts = 0
  return () => {
    interrupts += 1
    if (interrupts === 1) {
      ends.write('\nInterrupted: cancelling jobs in flight (Ctrl+C again to quit at once)...\n')
      ends.cancel()
      return
    }
    ends.write('\nInterrupted again: exiting now.\n')
    ends.exit(INTERRUPTED_EXIT_CODE)
  }
}
