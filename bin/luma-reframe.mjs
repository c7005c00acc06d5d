#!/usr/bin/env node
// `luma-reframe`: runs the TypeScript entry through tsx (a runtime dependency), so the command works
// straight after `npm ci` with no build step and can never run stale code.
import { tsImport } from 'tsx/esm/api'

await tsImport('../src/cli/main.ts', import.meta.url)
