// The preview server: serves a page where the real built plugin (dist/code.js + dist/ui.html) runs
// against the fake `figma` in real Chromium, and starts a fake of every hosted provider on loopback for it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFile, readdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { HOSTED_PROVIDER_IDS, describeHosted, type HostedProviderId } from '../src/protocol/provider-list'
import { startFakeEachlabs, startFakeHost, type EachlabsFakeOptions, type FakeEachlabs, type FakeHostHandle } from './fakes/providers'
import { bundleForBrowser } from './bundle-for-browser'

const here = dirname(fileURLToPath(import.meta.url))
export const REPO_ROOT = resolve(here, '..')
/** CI clones the repo with ../shared beside it; the fixtures are read from there, never copied. */
export const FIXTURES_DIR = resolve(REPO_ROOT, '../shared/fixtures/images')
const DIST_DIR = join(REPO_ROOT, 'dist')

/** The images on the canvas when the page opens (a mix of landscape, square and portrait-ish photos). */
export const DEFAULT_FIXTURES = ['coffee.png', 'astronaut.png', 'rocket.jpg', 'chelsea.png']

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8'
}

export type PreviewOptions = {
  /** 0 picks a free port. */
  port?: number
  /** Images placed on the canvas at start (file names in the fixtures folder). */
  fixtures?: string[]
  /** Options of the fake each::labs host (delays, key, result scale); merged over PREVIEW_EACHLABS. */
  eachlabs?: EachlabsFakeOptions
  log?: (line: string) => void
}

/** Every fake host of the preview: a few seconds per job so progress, cancel and retry can be seen. */
const PREVIEW_PACE: EachlabsFakeOptions = { queuedMs: 800, runningMs: 2500, scale: 1 / 2, fill: '#b9b9c6' }

/** The fake each::labs of the preview (the others keep their own test keys). */
export const PREVIEW_EACHLABS: EachlabsFakeOptions = { key: 'preview-eachlabs-key', ...PREVIEW_PACE }


/** What the preview's "Fake host" menu can make every fake host do next. */
export const FAULTS: Record<string, { label: string; apply: (fake: FakeHostHandle) => void }> = {
  none: { label: 'behaves normally', apply: (fake) => fake.faults.clear() },
  'fail-next-job': {
    label: 'fails the next job',
    apply: (fake) => fake.faults.failJobs('The model could not reframe this image (fake failure)', 1)
  },
  'fail-next-3-jobs': {
    label: 'fails the next 3 jobs',
    apply: (fake) => fake.faults.failJobs('The model could not reframe this image (fake failure)', 3)
  },
  'server-error-once': {
    label: 'answers 500 once (retried)',
    apply: (fake) => fake.faults.inject('create', { kind: 'status', status: 500, message: 'Internal server error' })
  },
  'busy-once': {
    label: 'answers 429 once (retried)',
    apply: (fake) => fake.faults.inject('create', { kind: 'status', status: 429, message: 'Concurrency limit reached', retryAfter: '1' })
  },
  'no-balance': {
    label: 'says the balance is too low (402)',
    apply: (fake) => fake.faults.inject('create', { kind: 'status', status: 402, message: 'Insufficient balance' }, { times: 1000 })
  },
  'slow-download': {
    label: 'downloads results slowly',
    apply: (fake) => fake.faults.inject('download', { kind: 'slow', chunks: 20, chunkDelayMs: 150 }, { times: 1000 })
  }
}

export type Preview = {
  url: string
  /** Base URL the plugin UI uses for each::labs in the preview. */
  eachlabsUrl: string
  /** The fake each::labs host: its fault switches and request log, for tests. */
  eachlabs: FakeEachlabs
  /** Every fake host the preview started (each::labs, fal, Replicate), by provider id. */
  hosts: Record<HostedProviderId, FakeHostHandle>
  close(): Promise<void>
}

/** Figma's theme variables, light and dark, as Figma injects them into a plugin UI shown with themeColors. */
async function figmaThemeCssAsync(): Promise<Record<'light' | 'dark', string>> {
  const css = await readFile(join(REPO_ROOT, 'node_modules/@create-figma-plugin/ui/lib/css/theme.css'), 'utf8')
  const tokens = (theme: string) => {
    const rule = new RegExp(`:root \\.figma-${theme}\\s*\\{([^}]*)\\}`).exec(css)
    if (rule === null) throw new Error(`@create-figma-plugin/ui's theme.css has no figma-${theme} rule`)
    return rule[1]
  }
  return { light: tokens('light'), dark: tokens('dark') }
}

/** The page's script, bundled for the browser once per server (the fake figma and renderer included). */
function bundlePageAsync(): Promise<string> {
  return bundleForBrowser(join(here, 'page/main.ts'), { target: 'es2022', sourcemap: true, define: { 'process.env.NODE_ENV': '"development"' } })
}

function send(res: ServerResponse, status: number, body: string | Uint8Array, type: string) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}

/** A fixture name from a URL path, or null when it is not a plain file name of an image. */
function fixtureName(raw: string): string | null {
  const name = decodeURIComponent(raw)
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return null
  return MIME[extname(name).toLowerCase()]?.startsWith('image/') ? name : null
}

async function listFixturesAsync(): Promise<string[]> {
  const names = await readdir(FIXTURES_DIR)
  return names.filter((name) => fixtureName(name) !== null).sort()
}

export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const log = options.log ?? ((line: string) => console.log(line))
  for (const file of ['code.js', 'ui.html']) {
    if (!existsSync(join(DIST_DIR, file))) throw new Error(`dist/${file} is missing: run "node build.mjs" first.`)
  }
  if (!existsSync(FIXTURES_DIR)) {
    throw new Error(`The fixture images are missing: expected ${FIXTURES_DIR} (../shared beside the repo).`)
  }
  const eachlabs = await startFakeEachlabs({ ...PREVIEW_EACHLABS, ...options.eachlabs })
  const started: Partial<Record<HostedProviderId, FakeHostHandle>> = { eachlabs }
  for (const id of HOSTED_PROVIDER_IDS) started[id] ??= await startFakeHost(id, PREVIEW_PACE)
  const hosts = started as Record<HostedProviderId, FakeHostHandle>
  const pageScript = await bundlePageAsync()
  const pageHtml = await readFile(join(here, 'page/index.html'), 'utf8')
  const fixtures = options.fixtures ?? DEFAULT_FIXTURES
  const themeCss = await figmaThemeCssAsync()

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://preview.local')
    const path = url.pathname
    if (req.method === 'POST' && path === '/fake-host/fault') {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const { fault } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { fault?: string }
      const entry = fault === undefined ? undefined : FAULTS[fault]
      if (entry === undefined) return send(res, 400, `Unknown fault "${fault}"`, 'text/plain')
      for (const host of Object.values(hosts)) {
        host.faults.clear()
        entry.apply(host)
      }
      log(`preview: every fake host ${entry.label}`)
      return send(res, 200, '{}', MIME['.json'])
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', 'text/plain')
    if (path === '/' || path === '/index.html') return send(res, 200, pageHtml, MIME['.html'])
    if (path === '/page.js') return send(res, 200, pageScript, MIME['.js'])
    if (path === '/config.json') {
      const config = {
        fixtures,
        themeCss,
        providerBaseUrls: Object.fromEntries(HOSTED_PROVIDER_IDS.map((id) => [id, hosts[id].url])),
        hosts: HOSTED_PROVIDER_IDS.map((id) => ({ id, label: describeHosted(id).label, baseUrl: hosts[id].url, apiKey: hosts[id].key })),
        faults: Object.entries(FAULTS).map(([id, { label }]) => ({ id, label }))
      }
      return send(res, 200, JSON.stringify(config), MIME['.json'])
    }
    // the built plugin is read on every request so a rebuild shows on reload
    if (path === '/plugin/code.js') return send(res, 200, await readFile(join(DIST_DIR, 'code.js')), MIME['.js'])
    if (path === '/plugin/ui.html') return send(res, 200, await readFile(join(DIST_DIR, 'ui.html')), 'text/plain; charset=utf-8')
    if (path === '/fixtures/') return send(res, 200, JSON.stringify(await listFixturesAsync()), MIME['.json'])
    if (path.startsWith('/fixtures/')) {
      const name = fixtureName(path.slice('/fixtures/'.length))
      if (name === null) return send(res, 404, 'Not an image fixture', 'text/plain')
      const bytes = await readFile(join(FIXTURES_DIR, name)).catch(() => null)
      if (bytes === null) return send(res, 404, `No fixture named ${name}`, 'text/plain')
      return send(res, 200, bytes, MIME[extname(name).toLowerCase()])
    }
    if (path === '/favicon.ico') return send(res, 204, '', 'text/plain')
    return send(res, 404, 'Not found', 'text/plain')
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`preview: ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`)
      if (!res.headersSent) send(res, 500, 'Preview server error', 'text/plain')
      else res.end()
    })
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', () => ok())
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/`,
    eachlabsUrl: eachlabs.url,
    eachlabs,
    hosts,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
      await Promise.all(Object.values(hosts).map((host) => host.close()))
    }
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 5173)
  const preview = await startPreview({ port })
  console.log(`Luma Reframe preview: ${preview.url}`)
  for (const id of HOSTED_PROVIDER_IDS) {
    console.log(`  fake ${describeHosted(id).label} host: ${preview.hosts[id].url} (its fake API key: ${preview.hosts[id].key})`)
  }
  console.log('  Ctrl+C to stop')
  const stop = () => void preview.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
