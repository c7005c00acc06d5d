// Builds the plugin: dist/code.js (Figma main thread) and dist/ui.html (one self-contained file with the
// UI's script and styles inlined), and the command line: dist/cli.mjs, one ES module for plain node,
// with the list of sources it was built from (dist/cli-inputs.json), so that bin/luma-reframe.mjs runs
// it only while none of them is newer (otherwise it runs the sources through tsx).
import * as esbuild from 'esbuild'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
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
    minify: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    define: production,
    logLevel: 'warning'
  })
}

/**
 * The CLI as one ES module: tsx and the module graph cost about a second of CPU on every run, plain node
 * reading one file almost nothing. sharp stays outside (a native addon, loaded from node_modules).
 */
async function buildCli() {
  const result = await esbuild.build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: join(dist, 'cli.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['sharp'],
    // CommonJS dependencies (smartcrop) bundled into an ES module still need a `require` for Node's own modules
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    metafile: true,
    define: production,
    logLevel: 'warning'
  })
  // the repository's own files the bundle holds: if any is newer than the bundle, the bin runs the sources
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => relative(root, join(root, input)))
    .filter((input) => !input.startsWith('node_modules') && !input.startsWith('..'))
    .sort()
  await writeFile(join(dist, 'cli-inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`)
}

/**
 * @create-figma-plugin/ui's `render` helper imports its base CSS as '!../css/base.css' (its own
 * bundler's syntax); the UI imports that CSS itself, so the bang import resolves to nothing.
 */
const ignoreLibraryBaseCss = {
  name: 'ignore-library-base-css',
  setup(build) {
    build.onResolve({ filter: /^!/ }, () => ({ path: 'library-base-css', namespace: 'empty-css' }))
    build.onLoad({ filter: /.*/, namespace: 'empty-css' }, () => ({ contents: '', loader: 'css' }))
  }
}

/**
 * The UI's image worker, as the text of one classic script: the plugin window is a single HTML file with
 * a null origin, so the worker cannot be a file of its own; the window starts it from a Blob URL.
 */
async function bundleImageWorker() {
  const result = await esbuild.build({
    entryPoints: [join(root, 'ui/image-worker.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    minify: true,
    define: production,
    logLevel: 'warning'
  })
  return result.outputFiles[0].text
}

/** The UI iframe: bundle JS and CSS in memory, then inline both into a single HTML file. */
async function buildUi() {
  const imageWorker = await bundleImageWorker()
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
    plugins: [ignoreLibraryBaseCss],
    minify: true,
    define: { ...production, __IMAGE_WORKER_SOURCE__: JSON.stringify(imageWorker) },
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

// --- Team relay origin (RELAY_ORIGIN=https://relay.example.com npm run build) ---------------------
// Figma only lets the plugin reach hosts listed in networkAccess.allowedDomains, so the team's relay
// is added there at build time. The rest of manifest.json is left exactly as it is.

/** The relay origin from RELAY_ORIGIN, checked: https and nothing but scheme, host and port. */
export function relayOriginFrom(value) {
  const raw = (value ?? '').trim().replace(/\/+$/, '')
  if (raw === '') return undefined
  let url
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`RELAY_ORIGIN "${raw}" is not a URL; use an origin like https://relay.example.com`)
  }
  if (url.protocol !== 'https:') throw new Error(`RELAY_ORIGIN must be https (Figma refuses plain http outside development): ${raw}`)
  if (url.origin !== raw) throw new Error(`RELAY_ORIGIN must be an origin only (no path, query or credentials), like ${url.origin}`)
  return url.origin
}

/** manifest.json text with `origin` added to allowedDomains, or the same text when it is already there. */
export function addAllowedDomain(manifestText, origin) {
  const manifest = JSON.parse(manifestText)
  const domains = manifest.networkAccess?.allowedDomains
  if (!Array.isArray(domains)) throw new Error('manifest.json has no networkAccess.allowedDomains list to add the relay to')
  if (domains.includes(origin)) return manifestText
  // insert into the list as written, so the file's layout (and other people's edits to it) stay as they are
  const list = /("allowedDomains"\s*:\s*\[)([\s\S]*?)(\s*\])/
  const edited = manifestText.replace(list, (_all, open, items, close) => {
    const indent = (items.match(/\n([ \t]*)"/) ?? [])[1]
    const entry = JSON.stringify(origin)
    if (items.trim() === '') return `${open}${entry}${close}`
    return indent === undefined ? `${open}${items}, ${entry}${close}` : `${open}${items},\n${indent}${entry}${close}`
  })
  const check = JSON.parse(edited).networkAccess.allowedDomains
  if (check.length !== domains.length + 1 || !check.includes(origin)) throw new Error('could not add the relay origin to manifest.json')
  return edited
}

async function writeManifest() {
  const origin = relayOriginFrom(process.env.RELAY_ORIGIN)
  if (!origin) return
  const path = join(root, 'manifest.json')
  const before = await readFile(path, 'utf8')
  const after = addAllowedDomain(before, origin)
  if (after !== before) await writeFile(path, after)
  console.log(`manifest.json: networkAccess.allowedDomains includes the team relay ${origin}`)
}
// --------------------------------------------------------------------------------------------------

export async function build() {
  await mkdir(dist, { recursive: true })
  await Promise.all([buildMain(), buildUi(), buildCli(), writeManifest()])
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build()
  console.log('built dist/code.js, dist/ui.html, dist/cli.mjs')
}
