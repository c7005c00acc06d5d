import { defineConfig } from 'vitest/config'

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // @create-figma-plugin/ui imports CSS modules and its base CSS as '!../css/base.css' (its own bundler's
  // syntax): load the package through Vite (with preact, so there is one copy), and read the bang import
  // as a plain relative CSS import.
  resolve: { alias: [{ find: /^!(\.\.?\/.*\.css)$/, replacement: '$1' }] },
  test: {
    server: { deps: { inline: ['@create-figma-plugin/ui', 'preact', '@testing-library/preact'] } },
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/support/dom-setup.ts'],
    testTimeout: 120_000,
    // expect.poll waits for an event too: the same ceiling as testing-library's waits (test/support/dom-setup.ts)
    expect: { poll: { timeout: 60_000 } },
    hookTimeout: 60_000,
    // two cores: keep file-level parallelism modest so loopback servers and browsers are not starved
    maxWorkers: 2,
    reporters: ['default']
  }
})
