// Long stretches of JavaScript (an analysis, scoring crop windows) yield between them, so that native
// work finishing meanwhile (sharp's threads, the browser's decoder, files being read) starts its next
// job at once instead of leaving a core idle until the script is done.

/** Resolves on a later task of the event loop (the same in Node and in a browser). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}
