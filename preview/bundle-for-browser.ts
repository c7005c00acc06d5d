// One browser script from a TypeScript entry, in memory: the preview's page, and the Chromium pages of
// the browser tests and benchmarks, are bundled the same way.
import * as esbuild from 'esbuild'

export type BrowserBundleOptions = { target?: string; sourcemap?: boolean; define?: Record<string, string> }

/** The entry and everything it imports as one IIFE for a page (es2020 unless told otherwise). */
export async function bundleForBrowser(entry: string, options: BrowserBundleOptions = {}): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: options.target ?? 'es2020',
    ...(options.sourcemap === true ? { sourcemap: 'inline' as const } : {}),
    ...(options.define !== undefined ? { define: options.define } : {}),
    logLevel: 'warning'
  })
  return result.outputFiles[0].text
}
