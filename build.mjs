// Builds the plugin: dist/code.js (Figma main thread), dist/ui.html (one self-contained file with the
// UI's script and styles inlined) and dist/cli.mjs (the command line, Node). `--watch` rebuilds on change.
import * as esbuild from 'esbuild'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(fileURLToPath(import.meta.url))
const dist = join(root, 'dist')
const production = { 'process.env.NODE_ENV': '"production"' }

/** Figma's main-thread sandbox: one classic script, no DOM. */
async function buildMain() {
  await esbuild.build({
    entryPoints: [join(root, 'src/plugin/main.ts')],
    outfile: join(dist, 'code.js'),
    bundle: true,
    format: 'iife',
    target: 'es2017',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    define: production,
    logLevel: 'warning'
  })
}

/** The UI iframe: bundle JS and CSS in memory, then inline both into a single HTML file. */
async function buildUi() {
  const result = await esbuild.build({
    entryPoints: [join(root, 'ui/main.tsx')],
    outdir: join(dist, 'ui-assets'),
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.module.css': 'local-css', '.css': 'css' },
    minify: true,
    define: production,
    logLevel: 'warning'
  })
  const js = result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => f.text).join('\n')
  const css = result.outputFiles.filter((f) => f.path.endsWith('.css')).map((f) => f.text).join('\n')
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Luma Reframe</title>',
    `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`,
    '</head>',
    '<body><div id="app"></div>',
    `<script>${js.replace(/<\/script/gi, '<\\/script')}</script>`,
    '</body></html>'
  ].join('\n')
  await writeFile(join(dist, 'ui.html'), html)
}

/** The command line for Node: same providers and imaging code as the plugin. */
async function buildCli() {
  await esbuild.build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: join(dist, 'cli.mjs'),
    bundle: true,
    format: 'esm',
    target: 'node20',
    platform: 'node',
    packages: 'external',
    logLevel: 'warning'
  })
}

export async function build() {
  await mkdir(dist, { recursive: true })
  const { existsSync } = await import('node:fs')
  const steps = [buildMain(), buildUi()]
  if (existsSync(join(root, 'src/cli/main.ts'))) steps.push(buildCli())
  await Promise.all(steps)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build()
  console.log('built dist/code.js, dist/ui.html' + (process.argv.includes('--quiet') ? '' : ''))
}
