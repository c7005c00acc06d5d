// @vitest-environment happy-dom
// The plugin window, driven the way Figma drives it: main's messages arrive as window `message` events
// carrying `pluginMessage`, the UI answers through parent.postMessage; hosted runs go to the fake
// each::labs over real HTTP.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Settings } from '../../src/protocol/settings'
import { nodeBackend } from '../../src/imaging/backend-node'
import type { Selection } from '../../src/protocol/messages'
import { App } from '../../ui/app'
import { describeHosted } from '../../src/protocol/provider-list'
import { PROVIDER_LABELS } from '../../ui/provider-choice'
import { keyChecker, providerFactory, type ProviderOverrides } from '../../ui/provider-for-settings'
import { startFakeEachlabs, type EachlabsFakeOptions, type FakeEachlabs } from '../../preview/fakes/providers'
import { FAST_TUNING } from '../providers/support'
import { exportedSource, fixture, startFakeMain, type FakeMain, type FakeMainOptions } from './fake-main'
import { closedAfterEach } from '../support/closed-after-each'

let fake: FakeEachlabs | undefined
let main: FakeMain | undefined
const open = closedAfterEach()
afterEach(cleanup)

const thumbnail = new Uint8Array(fixture('palette_color.png'))
const selection: Selection = {
  sources: [
    { nodeId: '1:1', name: 'Coffee', width: 600, height: 400, thumbnail },
    { nodeId: '1:2', name: 'Rocket', width: 640, height: 427 }
  ],
  skipped: [{ nodeId: '1:3', name: 'Title', reason: 'no image fill' }]
}

async function mount(options: FakeMainOptions & { fake?: EachlabsFakeOptions; baseUrls?: ProviderOverrides['baseUrls']; jobDeadlineMs?: number } = {}) {
  fake = await startFakeEachlabs(options.fake ?? {})
  open.push(fake)
  const sources = [await exportedSource('1:1', 'Coffee', fixture('coffee.png')), await exportedSource('1:2', 'Rocket', fixture('rocket.jpg'))]
  main = startFakeMain(sources, { ...options, window, secrets: options.secrets })
  open.push(main)
  const overrides: ProviderOverrides = { baseUrls: { eachlabs: fake.url, ...options.baseUrls }, config: { tuning: { ...FAST_TUNING, jobDeadlineMs: options.jobDeadlineMs ?? FAST_TUNING.jobDeadlineMs } } }
  render(<App channel={main.ui} createProvider={providerFactory(nodeBackend, overrides)} backend={nodeBackend} checkKey={keyChecker(overrides)} />)
  await waitFor(() => expect(main!.readyCount()).toBe(1))
  return { fake, main }
}

function select(env: { main: FakeMain }, next: Selection = selection) {
  env.main.main.emit('selection', next)
}

/** The each::labs fake's own key: already stored in some tests. */
const env0Key = 'eachlabs-test-key-5f2c9a'

/** A loopback address nothing listens on (a server is opened there, then closed). */
async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

const reframeButton = () => screen.getAllByRole('button').find((b) => b.textContent === 'Reframe' || /to reframe|Select one|Pick at least/.test(b.textContent ?? ''))!

describe('the plugin window', () => {
  it('says ready, shows the empty state, and the Reframe button says what is missing', async () => {
    await mount()
    expect(screen.getAllByText('Select one or more images').length).toBeGreaterThan(0)
    expect(reframeButton().textContent).toBe('Select one or more images')
    expect(reframeButton().hasAttribute('disabled')).toBe(true)
  })

  it('lists the sources main sends, with thumbnails and sizes, and the skipped layers with reasons', async () => {
    const env = await mount()
    select(env)
    await screen.findByText('Coffee')
    const list = screen.getByRole('list', { name: 'Images to reframe' })
    expect(within(list).getAllByRole('listitem')).toHaveLength(2)
    expect(within(list).getByText('600×400')).toBeTruthy()
    expect(await within(list).findByAltText('Preview of Coffee')).toBeTruthy()
    expect(screen.getByText('1 layer skipped')).toBeTruthy()
    expect(screen.getByText(/no image fill/)).toBeTruthy()
    // the offline engine is the default: no key needed, free
    expect(screen.getByText('2 images × 3 sizes = 6 reframes, free (offline engine)')).toBeTruthy()
    expect(reframeButton().textContent).toBe('Reframe')
    // the selection empties again
    select(env, { sources: [], skipped: [] })
    await waitFor(() => expect(reframeButton().textContent).toBe('Select one or more images'))
  })

  it('has 1:1, 9:16 and 16:9 on by default, every other size one click away, and saves the choice', async () => {
    const env = await mount({ settings: { provider: 'eachlabs' }, secrets: { eachlabs: 'k' } })
    select(env)
    await screen.findByText('Coffee')
    const box = (name: RegExp) => screen.getByRole('checkbox', { name }) as HTMLInputElement
    expect(box(/^1:1 /).checked).toBe(true)
    expect(box(/^9:16 /).checked).toBe(true)
    expect(box(/^16:9 /).checked).toBe(true)
    expect(box(/^4:5,/).checked).toBe(false)
    // each size shows the pixels its frame will hold: around the 600x400 source at its own pixels
    expect(box(/^16:9 /).getAttribute('aria-label')).toContain('711×400')
    fireEvent.click(box(/^4:5,/))
    await waitFor(() => expect(env.main.saved).toContainEqual({ sizes: ['1:1', '9:16', '16:9', '4:5'] }))
    expect(screen.getByText('2 images × 4 sizes = 8 reframes, about $0.040')).toBeTruthy()
  })

  it('stores a key through main, masked, checked, replaceable and removable; without it Reframe says what is missing', async () => {
    const env = await mount()
    select(env)
    await screen.findByText('Coffee')
    // (fireEvent.change does not reach a <select> under happy-dom: pick the option the way a browser reports it)
    const picker = screen.getByLabelText('Provider') as HTMLSelectElement
    picker.value = 'eachlabs'
    picker.dispatchEvent(new Event('change', { bubbles: true }))
    await waitFor(() => expect(env.main.saved).toContainEqual({ provider: 'eachlabs' }))
    expect(reframeButton().textContent).toBe('Add your each::labs API key to reframe')

    const input = screen.getByLabelText('each::labs API key') as HTMLInputElement
    expect(input.type).toBe('password')
    fireEvent.input(input, { target: { value: env.fake.key } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(env.main.secrets.get('eachlabs')).toBe(env.fake.key))
    await screen.findByText('Saved ••••••••')
    // one message: saved, and what the host's check said
    const status = await screen.findByText('Saved on this computer. Key accepted by each::labs.')
    expect(screen.getAllByText(/saved on this computer|Key accepted/i)).toEqual([status])
    expect(document.body.textContent).not.toContain(env.fake.key)
    expect(reframeButton().textContent).toBe('Reframe')
    // checked with one free GET over HTTP, nothing started
    expect(env.fake.stats.requests.filter((r) => r.route !== 'preflight').map((r) => r.route)).toEqual(['poll'])
    expect(env.fake.stats.creates).toBe(0)

    fireEvent.click(screen.getByRole('button', { name: 'Remove each::labs API key' }))
    await waitFor(() => expect(env.main.secrets.has('eachlabs')).toBe(false))
    expect(screen.queryByText(/Key accepted by each::labs/)).toBeNull()
    await waitFor(() => expect(reframeButton().textContent).toBe('Add your each::labs API key to reframe'))
  })

  it('does not save a key the host rejects: the field stays open with the reason, the old key stays', async () => {
    const env = await mount({ settings: { provider: 'eachlabs' }, secrets: { eachlabs: env0Key } })
    select(env)
    await screen.findByText('Coffee')
    fireEvent.click(screen.getByRole('button', { name: 'Replace each::labs API key' }))
    const input = screen.getByLabelText('each::labs API key') as HTMLInputElement
    fireEvent.input(input, { target: { value: 'sk-wrong-key-98765' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText('each::labs rejected this key (401). Check it and save again.')
    expect(env.main.secrets.get('eachlabs')).toBe(env0Key)
    expect((screen.getByLabelText('each::labs API key') as HTMLInputElement).value).toBe('sk-wrong-key-98765')
    const checks = env.fake.stats.requests.filter((r) => r.route === 'poll')
    expect(checks.map((r) => r.headers.authorization)).toEqual(['Bearer sk-wrong-key-98765'])
    expect(screen.queryByText(/Key accepted/)).toBeNull()
  })

  it.each([
    ['fal', 'has no quick check', 'fal-key:0123456789', 'fal has no quick key check; a wrong key shows on the first run.'],
    ['replicate', 'cannot be reached to check it', 'r8_some-token-0123', 'Replicate could not be reached to check the key; a wrong key shows on the first run.']
  ] as const)('saves a %s key when the host %s, and says a wrong key shows on the first run', async (provider, _why, key, message) => {
    const env = await mount({ settings: { provider }, baseUrls: { replicate: await closedPortUrl() } })
    select(env)
    await screen.findByText('Coffee')
    fireEvent.input(screen.getByLabelText(`${PROVIDER_LABELS[provider]} ${describeHosted(provider).key.noun}`), { target: { value: key } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByText(`Saved on this computer. ${message}`)
    expect(env.main.secrets.get(provider)).toBe(key)
    expect(reframeButton().textContent).toBe('Reframe')
  })

  it('describes the fill that is chosen: blurred image or mirrored edge', async () => {
    await mount({ settings: { provider: 'local', localMode: 'fill', localFill: 'blur' } })
    const engineHint = () => document.getElementById('local-mode-hint')!.textContent!
    const fillHint = () => document.getElementById('local-fill-hint')!.textContent!
    await waitFor(() => expect(engineHint()).toMatch(/fills the new area with a blurred, darkened copy of the image/))
    expect(fillHint()).toMatch(/blurred/)
    expect(engineHint()).not.toMatch(/edges|mirrored/)
    fireEvent.click(screen.getByText('Mirrored edge'))
    await waitFor(() => expect(engineHint()).toMatch(/fills the new area with its own edges mirrored outwards/))
    expect(fillHint()).toMatch(/edges mirrored/)
    expect(engineHint()).not.toMatch(/blurred/)
  })

  it('with the team relay the key field gives way to the relay URL and team token', async () => {
    const env = await mount({ settings: { provider: 'fal' } })
    select(env)
    await screen.findByText('Coffee')
    expect(screen.getByLabelText('fal API key')).toBeTruthy()
    fireEvent.click(screen.getByRole('radio', { name: 'Team relay' }))
    await waitFor(() => expect(env.main.saved).toContainEqual({ connection: 'relay' }))
    expect(screen.queryByLabelText('fal API key')).toBeNull()
    expect(screen.getByLabelText('Team relay URL')).toBeTruthy()
    expect(screen.getByLabelText('Team token')).toBeTruthy()
    expect(reframeButton().textContent).toBe('Add the team relay URL to reframe')
  })

  it('runs every source × size, shows a row per job with its state, and places them all', async () => {
    const env = await mount({ settings: { provider: 'eachlabs' }, secrets: { eachlabs: 'eachlabs-test-key-5f2c9a' } })
    select(env)
    await screen.findByText('Coffee')
    fireEvent.click(reframeButton())
    await screen.findByRole('list', { name: 'Reframe jobs' })
    await waitFor(() => expect(env.main.finished).toHaveLength(1))
    const rows = within(screen.getByRole('list', { name: 'Reframe jobs' })).getAllByRole('listitem')
    expect(rows).toHaveLength(6)
    expect(rows.every((row) => row.getAttribute('data-state') === 'done')).toBe(true)
    expect(env.main.placed).toHaveLength(6)
    expect(env.fake.stats.uploads).toBe(2)
    await screen.findByText('6 placed.')
  })

  it('warns on a damaged source’s row before the run, leaves it out of the run, and keeps the others going', async () => {
    const env = await mount({ settings: { provider: 'local', sizes: ['1:1', '16:9'] } })
    const damaged = { ...selection.sources[0], name: 'coffee.jpg', damage: 'is a damaged JPEG: the file ends early' }
    select(env, { sources: [damaged, selection.sources[1]], skipped: [] })
    const warning = await screen.findByText(/coffee\.jpg is a damaged JPEG: the file ends early\./)
    expect(warning.closest('li')?.getAttribute('aria-describedby')).toBe(warning.id)
    expect(screen.getByText(/^1 image × 2 sizes/)).toBeTruthy()
    fireEvent.click(reframeButton())
    await waitFor(() => expect(env.main.finished).toHaveLength(1))
    expect(env.main.exports.map((e) => e.nodeId)).not.toContain('1:1')
    expect(env.main.placed).toHaveLength(2)
    const rows = within(screen.getByRole('list', { name: 'Reframe jobs' })).getAllByRole('listitem')
    expect(rows).toHaveLength(2)
    expect(rows.every((row) => row.textContent?.includes('Rocket'))).toBe(true)
    expect(screen.queryByRole('button', { name: /Retry failed/ })).toBeNull()
  })

  it('says why Reframe cannot run when every selected image is damaged', async () => {
    const env = await mount()
    select(env, { sources: [{ ...selection.sources[0], damage: 'is a damaged PNG: it holds no image data' }], skipped: [] })
    await screen.findByText(/Coffee is a damaged PNG: it holds no image data\./)
    const button = screen.getByRole('button', { name: 'This image is damaged' })
    expect(button.hasAttribute('disabled')).toBe(true)
  })

  it('keeps running the batch it started when the selection changes', async () => {
    const env = await mount({ settings: { provider: 'eachlabs' }, secrets: { eachlabs: 'eachlabs-test-key-5f2c9a' }, fake: { runningMs: 150 } })
    select(env)
    await screen.findByText('Coffee')
    fireEvent.click(reframeButton())
    await waitFor(() => expect(env.fake.stats.creates).toBeGreaterThan(0))
    select(env, { sources: [], skipped: [] })
    await waitFor(() => expect(env.main.finished).toHaveLength(1))
    expect(env.main.placed).toHaveLength(6)
  })

  it('shows a failure with its reason and Retry failed reruns only that job', async () => {
    const env = await mount({ settings: { provider: 'eachlabs', sizes: ['1:1', '16:9'] }, secrets: { eachlabs: 'eachlabs-test-key-5f2c9a' } })
    env.fake.faults.failJobs('Prediction failed: NSFW', 1)
    select(env, { sources: [selection.sources[0]], skipped: [] })
    await screen.findByText('Coffee')
    fireEvent.click(reframeButton())
    const retry = await screen.findByRole('button', { name: 'Retry failed (1)' })
    expect(screen.getByText(/NSFW/)).toBeTruthy()
    expect(screen.getByText('1 placed, 1 failed.')).toBeTruthy()
    fireEvent.click(retry)
    await waitFor(() => expect(env.main.finished).toHaveLength(2))
    expect(env.fake.stats.creates).toBe(3)
    expect(env.fake.stats.uploads).toBe(1)
    await screen.findByText('2 placed.')
    expect(screen.queryByRole('button', { name: /Retry failed/ })).toBeNull()
  })

  it('Retry failed downloads a result that could not be fetched before the deadline again, without a new job', async () => {
    const env = await mount({ settings: { provider: 'eachlabs', sizes: ['1:1'] }, secrets: { eachlabs: env0Key }, jobDeadlineMs: 1_500 })
    env.fake.faults.inject('download', { kind: 'cut' }, { times: Infinity })
    select(env, { sources: [selection.sources[0]], skipped: [] })
    await screen.findByText('Coffee')
    fireEvent.click(reframeButton())
    const retry = await screen.findByRole('button', { name: 'Retry failed (1)' })
    env.fake.faults.clear()
    fireEvent.click(retry)
    await screen.findByText('1 placed.')
    expect({ creates: env.fake.stats.creates, uploads: env.fake.stats.uploads, placed: env.main.placed.length }).toEqual({ creates: 1, uploads: 1, placed: 1 })
  })

  it('Enter runs and Escape cancels everything still in flight, on the host too', async () => {
    const env = await mount({ settings: { provider: 'eachlabs' }, secrets: { eachlabs: 'eachlabs-test-key-5f2c9a' }, fake: { runningMs: 20_000 } })
    select(env)
    await screen.findByText('Coffee')
    fireEvent.keyDown(document.body, { key: 'Enter' })
    await waitFor(() => expect(env.fake.stats.creates).toBe(6))
    expect(screen.getByRole('button', { name: 'Cancel (Esc)' })).toBeTruthy()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    await waitFor(() => expect(env.main.finished).toEqual([expect.objectContaining({ cancelled: true, failed: 0 })]))
    const rows = within(screen.getByRole('list', { name: 'Reframe jobs' })).getAllByRole('listitem')
    expect(rows.every((row) => row.getAttribute('data-state') === 'cancelled')).toBe(true)
    expect(env.main.placed).toHaveLength(0)
    // each job the host was running is cancelled there, once (each::labs POSTs urls.cancel)
    await env.fake.stats.until(() => env.fake.stats.cancels === 6)
    expect(new Set(env.fake.stats.requests.filter((r) => r.route === 'cancel').map((r) => r.jobId)).size).toBe(6)
  })

  it('Enter does not start a run while one is going', async () => {
    const env = await mount({ settings: { provider: 'eachlabs', sizes: ['1:1'] }, secrets: { eachlabs: env0Key }, fake: { runningMs: 20_000 } })
    select(env, { sources: [selection.sources[0]], skipped: [] })
    await screen.findByText('Coffee')
    fireEvent.click(reframeButton())
    await waitFor(() => expect(env.fake.stats.creates).toBe(1))
    fireEvent.keyDown(document.body, { key: 'Enter' })
    expect(screen.getByRole('button', { name: 'Cancel (Esc)' })).toBeTruthy()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    await waitFor(() => expect(env.main.finished).toHaveLength(1))
    expect(env.main.created).toHaveLength(1)
    expect(env.fake.stats.creates).toBe(1)
  })

  it('Enter inside the prompt types; Ctrl+Enter runs', async () => {
    const env = await mount({ settings: { provider: 'eachlabs' } as Partial<Settings>, secrets: { eachlabs: 'eachlabs-test-key-5f2c9a' } })
    select(env)
    await screen.findByText('Coffee')
    const prompt = screen.getByLabelText('Prompt (optional)')
    fireEvent.keyDown(prompt, { key: 'Enter' })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(env.main.exports).toHaveLength(0)
    fireEvent.keyDown(prompt, { key: 'Enter', ctrlKey: true })
    await waitFor(() => expect(env.main.exports.length).toBeGreaterThan(0))
    await waitFor(() => expect(env.main.finished).toHaveLength(1))
  })
})
