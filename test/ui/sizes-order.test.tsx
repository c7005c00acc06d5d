// @vitest-environment happy-dom
// The one order of sizes: the picker lists 1:1, 9:16, 16:9 first, and a run makes the ticked sizes in
// the picker’s order, whatever order they were saved in. A set button ticks exactly its set.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeBackend } from '../../src/imaging/backend-node'
import type { Settings } from '../../src/protocol/settings'
import { App } from '../../ui/app'
import { providerFactory } from '../../ui/provider-for-settings'
import { closedAfterEach } from '../support/closed-after-each'
import { exportedSource, fixture, startFakeMain } from './fake-main'

const open = closedAfterEach()
afterEach(cleanup)

async function mount(settings: Partial<Settings>) {
  const main = startFakeMain([await exportedSource('1:1', 'Coffee', fixture('coffee.png'))], { settings, window })
  open.push(main)
  render(<App channel={main.ui} createProvider={providerFactory(nodeBackend)} backend={nodeBackend} />)
  await waitFor(() => expect(main.readyCount()).toBe(1))
  main.main.emit('selection', { sources: [{ nodeId: '1:1', name: 'Coffee', width: 600, height: 400 }], skipped: [] })
  await screen.findByText('Coffee')
  return main
}

const boxNames = () => within(screen.getByRole('region', { name: 'Sizes' })).getAllByRole('checkbox').map((box) => box.getAttribute('aria-label')!.split(/[ ,]/)[0])

describe('the order of sizes', () => {
  it('lists the defaults 1:1, 9:16, 16:9 first, in that order', async () => {
    await mount({ provider: 'local' })
    expect(boxNames().slice(0, 4)).toEqual(['1:1', '9:16', '16:9', '4:3'])
  })

  it('runs the ticked sizes in the picker’s order, and saves them in it', async () => {
    const main = await mount({ provider: 'local', sizes: ['16:9', 'story', '9:16', '1:1'] })
    fireEvent.click(screen.getByRole('checkbox', { name: /^4:3,/ }))
    await waitFor(() => expect(main.saved).toEqual([{ sizes: ['1:1', '9:16', '16:9', '4:3', 'story'] }]))
    fireEvent.click(screen.getByRole('button', { name: 'Reframe' }))
    await waitFor(() => expect(main.finished).toHaveLength(1))
    expect(main.created.map((frame) => frame.size)).toEqual(['1:1', '9:16', '16:9', '4:3', 'story'])
  })

  it('runs sizes saved out of order in the picker’s order', async () => {
    const main = await mount({ provider: 'local', sizes: ['16:9', '1:1', '9:16'] })
    fireEvent.click(screen.getByRole('button', { name: 'Reframe' }))
    await waitFor(() => expect(main.finished).toHaveLength(1))
    expect(main.created.map((frame) => frame.size)).toEqual(['1:1', '9:16', '16:9'])
  })
})

describe('size sets', () => {
  it('a set button ticks exactly its set, in place of what was ticked, and shows as pressed', async () => {
    const main = await mount({ provider: 'local' })
    const instagram = screen.getByRole('button', { name: 'Instagram' })
    expect(instagram.getAttribute('aria-pressed')).toBe('false')
    expect(instagram.getAttribute('title')).toBe('Tick exactly: Instagram square, Instagram portrait, Stories / Reels / TikTok')
    fireEvent.click(instagram)
    await waitFor(() => expect(main.saved).toEqual([{ sizes: ['ig-square', 'ig-portrait', 'story'] }]))
    await waitFor(() => expect(instagram.getAttribute('aria-pressed')).toBe('true'))
    // a second click keeps the set (it does not untick it to nothing)
    fireEvent.click(instagram)
    fireEvent.click(screen.getByRole('checkbox', { name: /^1:1 / }))
    await waitFor(() => expect(main.saved.at(-1)).toEqual({ sizes: ['1:1', 'ig-square', 'ig-portrait', 'story'] }))
    expect(instagram.getAttribute('aria-pressed')).toBe('false')
  })
})

describe('the Exact pixels hint', () => {
  it('names the pixels of the presets ticked, and no pixels when none is', async () => {
    await mount({ provider: 'local', sizes: ['story'], frameMode: 'exact' })
    const hint = () => document.getElementById('frame-mode-hint')!.textContent
    expect(hint()).toBe('A preset’s frame is its exact pixels on the canvas (1080×1920), the image fitted inside.')
    fireEvent.click(screen.getByRole('checkbox', { name: /^Instagram square/ }))
    await waitFor(() => expect(hint()).toBe('A preset’s frame is its exact pixels on the canvas (1080×1080, 1080×1920), the image fitted inside.'))
    fireEvent.click(screen.getByRole('checkbox', { name: /^1:1 / }))
    fireEvent.click(screen.getByRole('checkbox', { name: /^Instagram square/ }))
    fireEvent.click(screen.getByRole('checkbox', { name: /^Stories/ }))
    // with no preset ticked the choice is not shown at all
    await waitFor(() => expect(document.getElementById('frame-mode-hint')).toBeNull())
  })
})
