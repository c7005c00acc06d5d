// Settings and secrets through main, UI housekeeping requests, and how main treats bad messages.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_SETTINGS } from '../../src/protocol/settings'
import { imageRect, startMain, type Main } from './start-main'

let main: Main
afterEach(() => main?.stop())

const KEY = 'sk-live-9f8e7d6c5b4a'

describe('settings', () => {
  it('loads defaults, saves partial changes, and keeps them across a restart', async () => {
    main = await startMain()
    await main.readyAsync()
    const first = await main.ui.request('load-settings', {})
    expect(first.settings).toEqual(DEFAULT_SETTINGS)
    expect(first.secrets).toEqual({ eachlabs: false, fal: false, replicate: false, relayToken: false })
    const saved = await main.ui.request('save-settings', { settings: { provider: 'fal', sizes: ['4:5', 'ig-portrait', '1:1'], exportMaxEdge: 1024 } })
    expect(saved.settings).toMatchObject({ provider: 'fal', sizes: ['4:5', 'ig-portrait', '1:1'], exportMaxEdge: 1024, prompt: '' })
    await main.ui.request('save-settings', { settings: { prompt: 'beach at dusk' } })
    const again = await main.ui.request('load-settings', {})
    expect(again.settings).toMatchObject({ provider: 'fal', sizes: ['4:5', 'ig-portrait', '1:1'], exportMaxEdge: 1024, prompt: 'beach at dusk' })
  })

  it('reads the sizes of settings saved before presets, when they were called ratios', async () => {
    main = await startMain()
    await main.fake.api.clientStorage.setAsync('settings', { provider: 'eachlabs', ratios: ['4:5', '21:9'] })
    await main.readyAsync()
    const { settings } = await main.ui.request('load-settings', {})
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, provider: 'eachlabs', sizes: ['4:5', '21:9'] })
  })

  it('keeps the valid fields of damaged storage', async () => {
    main = await startMain()
    await main.fake.api.clientStorage.setAsync('settings', { provider: 'replicate', ratios: ['7:3'], exportMaxEdge: 'big' })
    await main.readyAsync()
    const { settings } = await main.ui.request('load-settings', {})
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, provider: 'replicate' })
  })

  it('rejects invalid settings and keeps what was stored', async () => {
    main = await startMain()
    await main.readyAsync()
    await main.ui.request('save-settings', { settings: { exportMaxEdge: 1024 } })
    await expect(
      main.ui.request('save-settings', { settings: { exportMaxEdge: 10 } } as never)
    ).rejects.toThrow(/Invalid request "save-settings": settings.exportMaxEdge/)
    expect((await main.ui.request('load-settings', {})).settings.exportMaxEdge).toBe(1024)
  })

  it('stores each secret under its own key, tells load-settings only whether it exists, and removes it', async () => {
    main = await startMain()
    await main.readyAsync()
    await main.ui.request('set-secret', { name: 'eachlabs', value: KEY })
    const loaded = await main.ui.request('load-settings', {})
    expect(loaded.secrets).toEqual({ eachlabs: true, fal: false, replicate: false, relayToken: false })
    expect(JSON.stringify(loaded)).not.toContain(KEY)
    expect(await main.ui.request('get-secret', { name: 'eachlabs' })).toEqual({ value: KEY })
    expect(await main.ui.request('get-secret', { name: 'fal' })).toEqual({ value: null })
    // not inside the settings object
    expect(JSON.stringify(main.fake.api.clientStorage.peek('settings') ?? {})).not.toContain(KEY)
    await main.ui.request('set-secret', { name: 'eachlabs', value: null })
    expect(await main.ui.request('get-secret', { name: 'eachlabs' })).toEqual({ value: null })
    expect((await main.ui.request('load-settings', {})).secrets.eachlabs).toBe(false)
  })

  it('never puts a key into a log, an error or a notification', async () => {
    main = await startMain()
    await main.readyAsync()
    await main.ui.request('set-secret', { name: 'fal', value: KEY })
    // a key that is too long is refused without being echoed
    const refused = await main.ui.request('set-secret', { name: 'fal', value: `${KEY}${'x'.repeat(600)}` }).catch((e: Error) => e)
    expect(refused).toBeInstanceOf(Error)
    expect(String(refused)).toMatch(/Invalid request "set-secret": value/)
    expect(String(refused)).not.toContain(KEY)
    const errors = main.fake.hooks.posted.filter((m) => (m as { ok?: boolean }).ok === false)
    expect(errors.length).toBeGreaterThan(0)
    expect(JSON.stringify(errors)).not.toContain(KEY)
    expect(main.warnings.join('\n')).not.toContain(KEY)
    expect(JSON.stringify(main.fake.hooks.notifications)).not.toContain(KEY)
  })
})

describe('UI housekeeping', () => {
  it('resizes the UI within limits', async () => {
    main = await startMain()
    await main.readyAsync()
    await main.ui.request('resize-ui', { width: 420.4, height: 610 })
    await main.ui.request('resize-ui', { width: 5000, height: 10 })
    expect(main.fake.hooks.resizes).toEqual([
      { width: 420, height: 610 },
      { width: 900, height: 240 }
    ])
  })
})

describe('message validation in main', () => {
  it('rejects malformed messages with a logged reason and does not act on them', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    await main.readyAsync()
    const children = main.figma.currentPage.children.length
    const postedBefore = main.fake.hooks.posted.length

    main.fake.deliverToMain({ hello: 'world' })
    main.fake.deliverToMain({ kind: 'event', name: 'ready', payload: { extra: 1 } })
    main.fake.deliverToMain({
      kind: 'request',
      id: 'r1',
      method: 'create-frames',
      params: { batchId: 'b', provider: 'local', prompt: '', namePattern: '{name}', frames: [{ key: 'k', sourceNodeId: photo.id, size: '5:1', frame: { width: 1, height: 1 }, exported: { width: 1, height: 1 }, preview: { bytes: [1, 2], width: 1, height: 1 } }] }
    })
    main.fake.deliverToMain({ kind: 'request', id: 'r2', method: 'delete-everything', params: {} })
    await vi.waitFor(() => expect(main.warnings.length).toBeGreaterThanOrEqual(4), { timeout: 60_000 })

    expect(main.warnings.some((w) => /rejected message/.test(w))).toBe(true)
    expect(main.warnings.some((w) => /rejected event "ready"/.test(w))).toBe(true)
    expect(main.warnings.some((w) => /rejected request "create-frames": frames\.0\.size: .*; frames\.0\.preview\.bytes: expected bytes/.test(w))).toBe(true)
    expect(main.warnings.some((w) => /unknown method/.test(w))).toBe(true)
    // nothing placed, and each request still got exactly one error reply
    expect(main.figma.currentPage.children.length).toBe(children)
    const replies = main.fake.hooks.posted.slice(postedBefore) as Array<{ kind: string; id?: string; ok?: boolean }>
    expect(replies.filter((r) => r.kind === 'response').map((r) => [r.id, r.ok])).toEqual([
      ['r1', false],
      ['r2', false]
    ])
    // the rejected ready did not trigger a selection
    expect(replies.some((r) => r.kind === 'event')).toBe(false)
  })
})
