// @vitest-environment happy-dom
// The Advanced section: number entries that save whole numbers within the limits main accepts, and
// put back the saved value when the entry is not a number.
import { cleanup, fireEvent, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, EXPORT_MAX_EDGE_LIMITS, type Settings } from '../../src/protocol/settings'
import { AdvancedSettings } from '../../ui/components/advanced-settings'

afterEach(cleanup)

function mount(settings: Settings = { ...DEFAULT_SETTINGS, provider: 'eachlabs', exportMaxEdge: 2048, concurrency: 6 }) {
  const patches: Array<Partial<Settings>> = []
  render(<AdvancedSettings settings={settings} onSettings={(patch) => patches.push(patch)} />)
  fireEvent.click(screen.getByText('Advanced'))
  return patches
}

function enter(label: string, text: string): HTMLInputElement {
  const input = screen.getByLabelText(label) as HTMLInputElement
  input.value = text
  fireEvent.change(input)
  return input
}

describe('advanced settings', () => {
  it('saves the upload size, clamped to the limits main accepts', () => {
    const patches = mount()
    enter('Upload size (long edge, px)', '3000')
    enter('Upload size (long edge, px)', '99999')
    enter('Upload size (long edge, px)', '12')
    expect(patches).toEqual([
      { exportMaxEdge: 3000 },
      { exportMaxEdge: EXPORT_MAX_EDGE_LIMITS.max },
      { exportMaxEdge: EXPORT_MAX_EDGE_LIMITS.min }
    ])
  })

  it('saves jobs at once as a whole number from 1 to 10', () => {
    const patches = mount()
    enter('Jobs at once', '3')
    enter('Jobs at once', '25')
    enter('Jobs at once', '0')
    enter('Jobs at once', '4.7')
    expect(patches).toEqual([{ concurrency: 3 }, { concurrency: 10 }, { concurrency: 1 }, { concurrency: 4 }])
  })

  it('says when an entry was out of range and what it was set to', () => {
    mount()
    const input = enter('Upload size (long edge, px)', '99999')
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe('99999 is out of range: set to 4096, the most Figma takes.')
    enter('Upload size (long edge, px)', '1024')
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toMatch(/never enlarged/)
  })

  it('has no jobs-at-once entry on the offline engine, which runs on this computer, and speaks of no upload', () => {
    const patches = mount({ ...DEFAULT_SETTINGS, provider: 'local' })
    expect(screen.queryByLabelText('Jobs at once')).toBeNull()
    expect(screen.queryByLabelText(/Upload/)).toBeNull()
    expect(document.getElementById('export-max-edge-hint')!.textContent).toMatch(/^The offline engine works on the image at most this large/)
    enter('Working size (long edge, px)', '1024')
    expect(patches).toEqual([{ exportMaxEdge: 1024 }])
  })

  it('names frames readably or for export, and keeps a pattern typed in', () => {
    const patches = mount()
    fireEvent.click(screen.getByText('For export'))
    enter('Name pattern', '  {name} - {preset}  ')
    expect(patches).toEqual([{ namePattern: '{name}_{preset}_{width}x{height}' }, { namePattern: '{name} - {preset}' }])
  })

  it('puts the saved value back when the entry is not a number, saving nothing', () => {
    const patches = mount()
    expect(enter('Upload size (long edge, px)', 'big').value).toBe('2048')
    expect(enter('Jobs at once', '').value).toBe('6')
    expect(patches).toEqual([])
  })

  it('offers the limits to the browser and describes each entry with its hint', () => {
    mount()
    const size = screen.getByLabelText('Upload size (long edge, px)') as HTMLInputElement
    expect([size.type, size.min, size.max, size.step]).toEqual(['number', '256', '4096', '256'])
    expect(document.getElementById(size.getAttribute('aria-describedby')!)?.textContent).toMatch(/never enlarged/)
    const jobs = screen.getByLabelText('Jobs at once') as HTMLInputElement
    expect([jobs.type, jobs.min, jobs.max, jobs.step]).toEqual(['number', '1', '10', ''])
    expect(document.getElementById(jobs.getAttribute('aria-describedby')!)?.textContent).toMatch(/each::labs works on at once/)
  })
})
