// The plugin window fits what it shows: a finished run's rows are all in view (the window grows up to
// its maximum before anything scrolls), and opening Advanced at the foot of the settings brings its
// contents into view above the sticky footer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { clickNode, openPreviewSession, pluginFrame, screenshot, type PreviewSession } from './preview-session'
import { chooseSizes, pressReframe, waitForBatchEnd } from './plugin-ui'

let session: PreviewSession

beforeAll(async () => {
  session = await openPreviewSession()
})

afterAll(async () => {
  await session?.close()
})

/** Whether the element's box lies inside the window, above the sticky footer. */
function inView(ui: Frame, selector: string): Promise<Array<{ top: number; bottom: number; footerTop: number }>> {
  return ui.evaluate((css) => {
    const footerTop = document.querySelector('.footer')!.getBoundingClientRect().top
    return [...document.querySelectorAll(css)].map((element) => {
      const { top, bottom } = element.getBoundingClientRect()
      return { top, bottom, footerTop }
    })
  }, selector)
}

describe('the plugin window fits what it shows', { timeout: 90_000 }, () => {
  it('opening Advanced scrolls its contents into view above the footer', async () => {
    const ui = await pluginFrame(session.page)
    await clickNode(session.page, 'coffee')
    await ui.getByText('Images (1)').waitFor()
    await ui.getByText('Advanced').click()
    await ui.locator('#name-pattern-text').waitFor()
    await ui.waitForFunction(() => {
      const footer = document.querySelector('.footer')!.getBoundingClientRect().top
      return document.querySelector('#name-pattern-text')!.getBoundingClientRect().bottom <= footer
    })
    await screenshot(session.page, 'window-fit-advanced')
    const [field] = await inView(ui, '#name-pattern-text')
    expect(field.top).toBeGreaterThanOrEqual(0)
    expect(field.bottom).toBeLessThanOrEqual(field.footerTop)
    await ui.getByText('Advanced').click()
  })

  it('a finished run shows every row, each with its note, without scrolling', async () => {
    const ui = await pluginFrame(session.page)
    await clickNode(session.page, 'coffee')
    await clickNode(session.page, 'chelsea', { shift: true })
    await ui.getByText('Images (2)').waitFor()
    await chooseSizes(ui, [])
    for (const name of [/^Instagram square/, /^Instagram portrait/, /^Stories/]) await ui.getByRole('checkbox', { name }).setChecked(true, { force: true })
    await pressReframe(ui)
    expect(await waitForBatchEnd(ui)).toMatch(/6 placed/)
    // the window grows to its rows (asked of main after a frame)
    await ui.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.job')]
      const footer = document.querySelector('.footer')!.getBoundingClientRect().top
      return rows.length === 6 && rows.every((row) => row.getBoundingClientRect().bottom <= footer)
    })
    await screenshot(session.page, 'window-fit-run')
    const rows = await inView(ui, '.job')
    expect(rows).toHaveLength(6)
    for (const row of rows) expect(row.bottom).toBeLessThanOrEqual(row.footerTop)
    expect(await ui.locator('.job-note').count()).toBe(6)
    expect(await ui.evaluate(() => ({ scrolled: document.scrollingElement!.scrollTop, list: document.querySelector('.progress')!.scrollHeight - document.querySelector('.progress')!.clientHeight }))).toEqual({ scrolled: 0, list: 0 })
  })
})
