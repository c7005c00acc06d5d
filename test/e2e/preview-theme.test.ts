// The preview shows Figma's dark theme as well as its light one: it follows the system colour scheme,
// its header switches theme, and the plugin iframe gets the chosen theme's tokens and class, as Figma
// gives them to a UI shown with themeColors (changed in place while the plugin is open).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame, Page } from 'playwright-core'
import { openPreviewSession, pluginFrame, screenshot, type PreviewSession } from './preview-session'

let session: PreviewSession

beforeAll(async () => {
  session = await openPreviewSession()
})

afterAll(async () => {
  await session?.close()
})

/** The theme class on the iframe's <html> and the token values the plugin's body sees. */
function iframeTheme(ui: Frame) {
  return ui.evaluate(() => {
    const style = getComputedStyle(document.body)
    return {
      htmlClass: document.documentElement.className,
      bodyClass: document.body.className,
      bg: style.getPropertyValue('--figma-color-bg').trim(),
      text: style.getPropertyValue('--figma-color-text').trim(),
      background: style.backgroundColor
    }
  })
}

async function openPage(colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await session.browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme })
  await page.goto(session.preview.url)
  await page.waitForFunction(() => (window as unknown as { __preview?: { ready: boolean } }).__preview?.ready === true)
  return page
}

describe('the preview in light and dark', { timeout: 90_000 }, () => {
  it('opens the plugin in the dark theme when the system is dark, with the dark tokens', async () => {
    const page = await openPage('dark')
    try {
      const ui = await pluginFrame(page)
      await ui.getByRole('button', { name: /Reframe|Select/ }).first().waitFor()
      const theme = await iframeTheme(ui)
      expect(theme.htmlClass).toContain('figma-dark')
      expect(theme.bodyClass).toContain('figma-dark')
      // Figma's dark token values, not the light ones
      expect(theme.bg).toBe('#2c2c2c')
      expect(theme.text).toBe('rgba(255, 255, 255, 1)')
      expect(theme.background).toBe('rgb(44, 44, 44)')
      await screenshot(page, 'preview-dark')
    } finally {
      await page.close()
    }
  })

  it('switches the open plugin window between light and dark from the header', async () => {
    const page = session.page
    const ui = await pluginFrame(page)
    await ui.getByRole('button', { name: /Reframe|Select/ }).first().waitFor()
    await page.getByLabel('Theme').selectOption('dark')
    await ui.waitForFunction(() => document.documentElement.classList.contains('figma-dark'))
    const dark = await iframeTheme(ui)
    expect(dark).toMatchObject({ bg: '#2c2c2c', background: 'rgb(44, 44, 44)' })
    expect(dark.bodyClass).toContain('figma-dark')
    await page.getByLabel('Theme').selectOption('light')
    await ui.waitForFunction(() => document.documentElement.classList.contains('figma-light'))
    const light = await iframeTheme(ui)
    expect(light.htmlClass).not.toContain('figma-dark')
    expect(light).toMatchObject({ bg: 'rgba(255, 255, 255, 1)', background: 'rgb(255, 255, 255)' })
  })
})
