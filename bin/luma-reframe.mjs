#!/usr/bin/env node
// `luma-reframe`: runs the bundle `npm run build` made (dist/cli.mjs, plain node: starts in a fraction
// of the time) while no source it was built from has changed since; otherwise the TypeScript sources
// through tsx (a runtime dependency), so the command works straight after `npm ci` with no build step
// and never runs code older than the sources.
import { readFileSync, statSync } from 'node:fs'

const root = new URL('../', import.meta.url)

/** True when dist/cli.mjs exists and is at least as new as every repository file it was built from. */
function bundleIsCurrent() {
  try {
    const built = statSync(new URL('dist/cli.mjs', root)).mtimeMs
    const inputs = JSON.parse(readFileSync(new URL('dist/cli-inputs.json', root), 'utf8'))
    return Array.isArray(inputs) && inputs.length > 0 && inputs.every((input) => statSync(new URL(input, root)).mtimeMs <= built)
  } catch {
    // no bundle, no list, or a source deleted since the build: the sources are what is current
    return false
  }
}

if (bundleIsCurrent()) {
  await import(new URL('dist/cli.mjs', root).href)
} else {
  const { tsImport } = await import('tsx/esm/api')
  await tsImport('../src/cli/main.ts', import.meta.url)
}
