import { defineConfig } from 'vitest/config'

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // two cores: keep file-level parallelism modest so loopback servers and browsers are not starved
    maxWorkers: 2,
    reporters: ['default']
  }
})
