// @vitest-environment happy-dom
// "Reframe again" in the plugin window: main says which results to make again (after the selection);
// the window runs them at once with the settings they were made with, or, when that needs a key it
// does not have, shows those settings and what is missing, and runs them once it is there.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeBackend } from '../../src/imaging/backend-node'
import type { Relaunch, Selection } from '../../src/protocol/messages'
import { App } from '../../ui/app'
import { keyChecker, providerFactory, type ProviderOverrides } from '../../ui/provider-for-settings'
import { startFakeEachlabs, type FakeEachlabs } from '../../preview/fakes/providers'
import { FAST_TUNING } from '../providers/support'
import { exportedSource, fixture, startFakeMain, type FakeMain, type FakeMainOptions } from './fake-main'
import { closedAfterEach } from '../support/closed-after-each'

let fake: FakeEachlabs | undefined
let main: FakeMain | undefined
const open = closedAfterEach()
afterEach(cleanup)

/** The selection of two results of Coffee: it stands for Coffee. */
const selection: Selection = {
  sources: [{ nodeId: '1:1', name: 'Coffee', width: 600, height: 400, via: ['Coffee · story', 'Coffee · 16:9'] }],
  skipped: []
}

function relaunchOf(settings: Relaunch['settings'], left: Relaunch['left'] = []): Relaunch {
  return {
    sources: [{ nodeId: '1:1', name: 'Coffee', width: 600, height: 400 }],
    jobs: [
      { sourceNodeId: '1:1', size: 'story' },
      { sourceNodeId: '1:1', size: '16:9' }
    ],
    settings,
    left
  }
}

async function mount(options: FakeMainOptions = {}) {
  fake = await startFakeEachlabs({})
  open.push(fake)
  main = startFakeMain([await exportedSource('1:1', 'Coffee', fixture('coffee.png'))], { ...options, window })
  open.push(main)
  const overrides: ProviderOverrides = { baseUrls: { eachlabs: fake.url }, config: { tuning: FAST_TUNING } }
  render(<App channel={main.ui} createProvider={providerFactory(nodeBackend, overrides)} backend={nodeBackend} checkKey={keyChecker(overrides)} />)
  await waitFor(() => expect(main!.readyCount()).toBe(1))
  return { fake, main }
}

/** What main sends when a result's button started the plugin: the selection, then what to make again. */
function relaunchFromMain(env: { main: FakeMain }, relaunch: Relaunch) {
  env.main.main.emit('selection', selection)
  env.main.main.emit('relaunch', relaunch)
}

const footerButton = () => screen.getAllByRole('button').find((b) => /Reframe|to reframe/.test(b.textContent ?? ''))!

describe('Reframe again in the window', () => {
  it('runs each result again at once, at its own size, with the settings it was made with, and keeps the window’s own settings', async () => {
    const env = await mount({ settings: { sizes: ['1:1'], placement: 'center', localMode: 'fill' } })
    relaunchFromMain(env, relaunchOf({ provider: 'local', prompt: '', placement: 'end', frameMode: 'exact', localMode: 'crop', localFill: 'edge' }))
    await waitFor(() => expect(env.main.finished).toHaveLength(1))
    expect(env.main.created.map((frame) => [frame.sourceNodeId, frame.size])).toEqual([
      ['1:1', 'story'],
      ['1:1', '16:9']
    ])
    // the results' settings made the run, and are what its frames record
    expect(env.main.created.map((frame) => ({ provider: frame.provider, ...frame.run }))).toEqual([
      { provider: 'local', placement: 'end', frameMode: 'exact', localMode: 'crop', localFill: 'edge' },
      { provider: 'local', placement: 'end', frameMode: 'exact', localMode: 'crop', localFill: 'edge' }
    ])
    // exact frame mode: the story's frame is its pixels; a smart crop of 600x400 at 16:9 is 600x338
    expect(env.main.created[0].frame).toEqual({ width: 1080, height: 1920 })
    expect(env.main.placed.map((placed) => [placed.size, placed.width, placed.height])).toEqual(
      expect.arrayContaining([
        ['story', 225, 400],
        ['16:9', 600, 338]
      ])
    )
    const rows = within(screen.getByRole('list', { name: 'Reframe jobs' })).getAllByRole('listitem')
    expect(rows.every((row) => row.getAttribute('data-state') === 'done')).toBe(true)
    // for that run only: nothing of the window's settings was changed or saved
    expect(env.main.saved).toEqual([])
    expect(env.main.settings()).toMatchObject({ sizes: ['1:1'], placement: 'center', localMode: 'fill' })
  })

  it('with a key missing, shows the results’ settings and what is missing, and runs them once the key is saved', async () => {
    const env = await mount()
    const other = { nodeId: '9:1', name: 'Rocket · 1:1', reason: 'made with other settings than the first selected result: select it on its own and press Reframe again' }
    relaunchFromMain(env, relaunchOf({ provider: 'eachlabs', prompt: 'a calm sea', placement: 'start', frameMode: 'around', localMode: 'fill', localFill: 'blur' }, [other]))
    await screen.findByText(
      'These results were made with each::labs: add your each::labs API key, then press Reframe again. 1 selected result was made with other settings and left out: select it on its own and press Reframe again.'
    )
    // the window shows the settings the run needs, so the key goes where it belongs
    await waitFor(() => expect(env.main.saved).toContainEqual({ provider: 'eachlabs', placement: 'start', frameMode: 'around', localMode: 'fill', localFill: 'blur' }))
    expect((screen.getByLabelText('Prompt (optional)') as HTMLTextAreaElement).value).toBe('a calm sea')
    expect(footerButton().textContent).toBe('Add your each::labs API key to reframe')
    expect(screen.getByText('Reframe again: 2 results, about $0.010')).toBeTruthy()
    expect(env.main.created).toHaveLength(0)

    fireEvent.input(screen.getByLabelText('each::labs API key'), { target: { value: env.fake.key } })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(footerButton().textContent).toBe('Reframe again'))
    fireEvent.click(footerButton())
    await waitFor(() => expect(env.main.finished).toHaveLength(1))
    expect(env.fake.stats.creates).toBe(2)
    expect(env.main.created.map((frame) => [frame.size, frame.provider, frame.prompt, frame.run?.placement])).toEqual([
      ['story', 'eachlabs', 'a calm sea', 'start'],
      ['16:9', 'eachlabs', 'a calm sea', 'start']
    ])
    expect(env.main.placed.map((placed) => placed.exported)).toContainEqual({ width: 1080, height: 1920 })
  })

  it('drops a waiting Reframe again when the designer selects something else', async () => {
    const env = await mount()
    relaunchFromMain(env, relaunchOf({ provider: 'eachlabs', prompt: '', placement: 'center', frameMode: 'around', localMode: 'fill', localFill: 'blur' }))
    await screen.findByText('Reframe again: 2 results, about $0.010')
    env.main.main.emit('selection', { sources: [{ nodeId: '1:2', name: 'Rocket', width: 640, height: 427 }], skipped: [] })
    // back to a plain run of the selection, at the window's own sizes
    await screen.findByText('1 image × 3 sizes = 3 reframes, about $0.015')
    expect(footerButton().textContent).toBe('Add your each::labs API key to reframe')
    expect(env.main.created).toHaveLength(0)
  })
})
