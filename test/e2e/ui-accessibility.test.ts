// Accessibility basics of the built dist/ui.html, checked in Chromium inside the preview: every control
// has an accessible name (Chromium's own computation) and every enabled control is reachable with Tab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { accessibleNames, tabOrder, tagControls, type ControlInfo } from './accessibility-audit'
import { clickNode, openPreviewSession, pluginFrame, screenshot, type PreviewSession } from './preview-session'
import { chooseProvider } from './plugin-ui'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ARTIFACTS_DIR } from './preview-session'

let session: PreviewSession
let ui: Frame

beforeAll(async () => {
  session = await openPreviewSession()
  ui = await pluginFrame(session.page)
  // a full window: two images selected, so sources, sizes and the Reframe button all show
  await clickNode(session.page, 'coffee')
  await clickNode(session.page, 'astronaut', { shift: true })
  await ui.getByText('Images (2)').waitFor()
})

afterAll(async () => {
  await session?.close()
})

async function audit(state: string) {
  const controls = await tagControls(ui)
  const names = await accessibleNames(session.page, ui)
  const order = await tabOrder(session.page, ui, controls.length + 10)
  const report = controls.map((c) => ({ ...c, accessible: names.get(c.index) ?? null, tabbed: order.includes(c.index) }))
  await writeFile(join(ARTIFACTS_DIR, `a11y-${state}.json`), JSON.stringify({ controls: report, tabOrder: order }, null, 2))
  await screenshot(session.page, `a11y-${state}`)
  return { controls, names, order }
}

function unnamed(controls: ControlInfo[], names: Map<number, { role: string; name: string }>): string[] {
  return controls.filter((c) => (names.get(c.index)?.name ?? '') === '').map((c) => c.description)
}

function unreachable(controls: ControlInfo[], order: number[]): string[] {
  const reached = new Set(order)
  const groupsReached = new Set(controls.filter((c) => reached.has(c.index) && c.radioGroup !== null).map((c) => c.radioGroup))
  return controls
    .filter((c) => !c.disabled && !reached.has(c.index))
    // one Tab stop per radio group (arrow keys move inside it)
    .filter((c) => c.radioGroup === null || !groupsReached.has(c.radioGroup))
    .map((c) => c.description)
}

describe('accessibility of the plugin window (dist/ui.html in Chromium)', { timeout: 90_000 }, () => {
  it('names every control and reaches every enabled one with Tab, with the offline engine', async () => {
    const { controls, names, order } = await audit('offline')
    expect(controls.length).toBeGreaterThan(10)
    expect(unnamed(controls, names)).toEqual([])
    expect(unreachable(controls, order)).toEqual([])
  })

  it('names every control and reaches every enabled one with Tab, with each::labs and its key field', async () => {
    await chooseProvider(ui, /each::labs/i)
    await ui.getByLabel(/each::labs API key/i).waitFor()
    const { controls, names, order } = await audit('eachlabs')
    expect(controls.some((c) => c.description.includes('type=password'))).toBe(true)
    expect(unnamed(controls, names)).toEqual([])
    expect(unreachable(controls, order)).toEqual([])
  })
})
