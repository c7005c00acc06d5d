// Looks at the built dist/ui.html the way Figma shows it: inside an iframe whose host plays main
// (answers requests, sends a selection), in light and dark themes. Writes PNGs to test-artifacts/ui/.
// Run: node build.mjs && npx tsx test/ui/capture-ui-screenshots.ts
import { mkdir, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import sharp from 'sharp'
import { launchChromium } from '../e2e/browser'

const root = join(import.meta.dirname, '../..')
const out = join(root, 'test-artifacts/ui')
const fixtures = join(root, '../shared/fixtures/images')

async function thumb(file: string): Promise<number[]> {
  return [...(await sharp(join(fixtures, file)).resize(64, 64, { fit: 'inside' }).png().toBuffer())]
}

let currentSelection = ''
const hostPage = (theme: string, selection: string) => `<!doctype html><html><body style="margin:0;background:#888">
<iframe id="ui" src="/ui.html" style="border:0;width:360px;height:480px;display:block"></iframe>
<script>
const selection = ${selection};
const secrets = { eachlabs: false, fal: false, replicate: false, relayToken: false };
const settings = { provider: 'eachlabs', ratios: ['1:1','9:16','16:9','4:5'], prompt: '', placement: 'center', exportMaxEdge: 2048,
  localMode: 'fill', localFill: 'blur', connection: 'direct', relayUrl: '', concurrency: 6 };
const frame = document.getElementById('ui');
frame.addEventListener('load', () => frame.contentDocument.documentElement.classList.add('${theme}'));
const toUi = (m) => frame.contentWindow.postMessage({ pluginMessage: m }, '*');
window.addEventListener('message', (event) => {
  const m = event.data.pluginMessage;
  if (!m) return;
  if (m.kind === 'event' && m.name === 'ready') {
    const s = { sources: selection.sources.map((x) => ({ ...x, thumbnail: new Uint8Array(x.thumbnail) })), skipped: selection.skipped };
    toUi({ kind: 'event', name: 'selection', payload: s });
  }
  if (m.kind !== 'request') return;
  const reply = (result) => toUi({ kind: 'response', id: m.id, ok: true, result });
  if (m.method === 'load-settings') reply({ settings, secrets });
  else if (m.method === 'resize-ui') { frame.style.height = m.params.height + 'px'; reply({}); }
  else reply(m.method === 'save-settings' ? { settings } : {});
});
</script></body></html>`

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  if (url.pathname === '/ui.html') {
    res.writeHead(200, { 'Content-Type': 'text/html' })
    return void res.end(await readFile(join(root, 'dist/ui.html')))
  }
  res.writeHead(200, { 'Content-Type': 'text/html' })
  res.end(hostPage(url.searchParams.get('theme') ?? 'figma-light', currentSelection))
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
await mkdir(out, { recursive: true })

const selection = JSON.stringify({
  sources: [
    { nodeId: '1:2', name: 'Coffee hero', width: 600, height: 400, thumbnail: await thumb('coffee.png') },
    { nodeId: '1:3', name: 'Astronaut portrait with a long layer name', width: 512, height: 512, thumbnail: await thumb('astronaut.png') },
    { nodeId: '1:4', name: 'Rocket', width: 640, height: 427, thumbnail: await thumb('rocket.jpg') }
  ],
  skipped: [
    { nodeId: '1:5', name: 'Title', reason: 'no image fill' },
    { nodeId: '1:6', name: 'Clip', reason: 'Video fills are not supported' }
  ]
})
const empty = JSON.stringify({ sources: [], skipped: [] })

const browser = await launchChromium()
try {
  const page = await browser.newPage({ viewport: { width: 380, height: 900 }, deviceScaleFactor: 1 })
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text())
  })
  for (const [name, sel] of [['selection', selection], ['empty', empty]] as const) {
    for (const theme of ['figma-light', 'figma-dark']) {
      currentSelection = sel
      await page.goto(`${base}/?theme=${theme}`)
      await page.waitForTimeout(600)
      const file = join(out, `${name}-${theme}.png`)
      await page.locator('#ui').screenshot({ path: file })
      console.log('wrote', file)
    }
  }
  if (errors.length > 0) console.log('page messages:\n' + errors.join('\n'))
} finally {
  await browser.close()
  server.close()
}
