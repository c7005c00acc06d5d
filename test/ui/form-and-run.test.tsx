// @vitest-environment happy-dom
// The window's form and its run view with the offline engine: an empty size choice is a state of the
// form, never a failed save; a failed save is said until a later one succeeds; when a run ends Done
// has the focus and Enter means Done, never a second batch.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeBackend } from '../../src/imaging/backend-node'
import { App } from '../../ui/app'
import { providerFactory } from '../../ui/provider-for-settings'
import { closedAfterEach } from '../support/closed-after-each'
import { exportedSource, fixture, startFakeMain, type FakeMain, type FakeMainOptions } from './fake-main'

const open = closedAfterEach()
afterEach(cleanup)

async function mountLocal(options: FakeMainOptions) {
  const main: FakeMain = startFakeMain([await exportedSource('1:1', 'Coffee', fixture('coffee.png'))], { ...options, window })
  open.push(main)
  render(<App channel={main.ui} createProvider={providerFactory(nodeBackend)} backend={nodeBackend} />)
  await waitFor(() => expect(main.readyCount()).toBe(1))
  return { main }
}

function select(env: { main: FakeMain }) {
  env.main.main.emit('selection', { sources: [{ nodeId: '1:1', name: 'Coffee', width: 600, height: 400 }], skipped: [] })
}

const reframeButton = () => screen.getAllByRole('button').find((b) => b.textContent === 'Reframe' || /to reframe|Select one|Pick at least/.test(b.textContent ?? ''))!

describe('the form and the run view', () => {
  it('no size ticked is a state of the form, not a failed save: nothing invalid is sent, no banner', async () => {
    const env = await mountLocal({ settings: { provider: 'local', sizes: ['1:1', '16:9'] } })
    select(env)
    await screen.findByText('Coffee')
    fireEvent.click(screen.getByRole('checkbox', { name: /^1:1 / }))
    fireEvent.click(screen.getByRole('checkbox', { name: /^16:9 / }))
    await waitFor(() => expect(reframeButton().textContent).toBe('Pick at least one size'))
    fireEvent.click(screen.getByRole('checkbox', { name: /^4:3,/ }))
    await waitFor(() => expect(env.main.saved.at(-1)).toEqual({ sizes: ['4:3'] }))
    expect(env.main.saved).toEqual([{ sizes: ['16:9'] }, { sizes: ['4:3'] }])
    expect(screen.queryByText(/Settings were not saved/)).toBeNull()
  })

  it('says a failed save until a later save succeeds', async () => {
    let refuse = true
    const env = await mountLocal({
      settings: { provider: 'local' },
      handlers: {
        'save-settings'() {
          if (refuse) throw new Error('the file is read-only')
          return { settings: env.main.settings() }
        }
      }
    })
    select(env)
    await screen.findByText('Coffee')
    fireEvent.click(screen.getByRole('checkbox', { name: /^4:3,/ }))
    await screen.findByText(/Settings were not saved: .*read-only/)
    refuse = false
    fireEvent.click(screen.getByRole('checkbox', { name: /^3:4,/ }))
    await waitFor(() => expect(screen.queryByText(/Settings were not saved/)).toBeNull())
  })

  it('when a run ends Done has the focus, and Enter anywhere in the run view means Done, never a second batch', async () => {
    const env = await mountLocal({ settings: { provider: 'local', sizes: ['1:1', '16:9'] } })
    select(env)
    await screen.findByText('Coffee')
    fireEvent.keyDown(document.body, { key: 'Enter' })
    await screen.findByText('2 placed.')
    const done = screen.getByRole('button', { name: 'Done' })
    await waitFor(() => expect(document.activeElement).toBe(done))
    // the page body, as when the designer clicked outside the button: still Done, not Reframe
    fireEvent.keyDown(document.body, { key: 'Enter' })
    await waitFor(() => expect(reframeButton().textContent).toBe('Reframe'))
    expect(screen.queryByRole('list', { name: 'Reframe jobs' })).toBeNull()
    expect(env.main.finished).toHaveLength(1)
    expect(env.main.created).toHaveLength(2)
  })
})
