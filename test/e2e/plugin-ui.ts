// What a designer does in the plugin window, through its accessible names (the same words a screen
// reader announces), so the tests break when the UI stops being operable that way.
import type { Frame, Page } from 'playwright-core'
import { documentNodes } from './preview-session'
import type { NodeSummary } from '../../preview/page/test-hooks'

export const RATIOS = ['1:1', '9:16', '16:9'] as const

export async function chooseProvider(ui: Frame, label: RegExp) {
  const picker = ui.getByRole('combobox', { name: /provider/i })
  const options = await picker.locator('option').allTextContents()
  const choice = options.find((text) => label.test(text))
  if (choice === undefined) throw new Error(`No provider option matches ${label}: ${options.join(', ')}`)
  await picker.selectOption({ label: choice })
}

/** Types a key into the provider's masked field (each::labs unless told) and saves it; returns the field's status line. */
export async function saveKey(ui: Frame, key: string, provider = 'each::labs'): Promise<string> {
  const field = ui.getByLabel(new RegExp(`^${provider} API (key|token)`, 'i'))
  await field.fill(key)
  await ui.getByRole('button', { name: 'Save', exact: true }).click()
  const status = ui.locator('[id$="-status"][role="status"]').first()
  await ui.waitForFunction(
    () => [...document.querySelectorAll('[id$="-status"][role="status"]')].some((el) => (el.textContent ?? '').trim() !== '')
  )
  return (await status.textContent()) ?? ''
}

/** Exactly these sizes checked, every other unchecked. */
export async function chooseSizes(ui: Frame, ratios: readonly string[]) {
  const boxes = ui.getByRole('checkbox')
  const count = await boxes.count()
  for (let i = 0; i < count; i += 1) {
    const box = boxes.nth(i)
    const name = (await box.getAttribute('aria-label')) ?? ''
    const ratio = name.split(/[ ,]/)[0]
    if (!/^\d/.test(ratio)) continue
    const want = ratios.includes(ratio)
    if ((await box.isChecked()) !== want) await box.setChecked(want, { force: true })
  }
}

export async function pressReframe(ui: Frame) {
  const button = ui.getByRole('button', { name: /^Reframe$/ })
  await button.waitFor()
  await ui.waitForFunction(() =>
    [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Reframe' && !b.disabled)
  )
  await button.click()
}

/** Frames of the plugin's runs in any state: made at once when a run starts, filled as results arrive. */
export async function resultFrames(page: Page): Promise<NodeSummary[]> {
  return (await documentNodes(page)).filter((node) => node.type === 'FRAME' && node.state !== '')
}

/** Frames a result has filled (named "<source> · <size>"). */
export async function placedFrames(page: Page): Promise<NodeSummary[]> {
  return (await documentNodes(page)).filter((node) => node.type === 'FRAME' && node.state === 'done')
}

export async function waitForPlaced(page: Page, count: number, timeoutMs = 40_000): Promise<NodeSummary[]> {
  await page.waitForFunction(
    (n) => {
      const hooks = (window as unknown as { __preview: { nodes(): Array<{ type: string; state: string }> } }).__preview
      return hooks.nodes().filter((node) => node.type === 'FRAME' && node.state === 'done').length >= n
    },
    count,
    { timeout: timeoutMs, polling: 100 }
  )
  return placedFrames(page)
}

/** Waits until the batch is over (no Cancel button) and returns the window's visible text. */
export async function waitForBatchEnd(ui: Frame, timeoutMs = 40_000): Promise<string> {
  await ui.waitForFunction(() => ![...document.querySelectorAll('button')].some((b) => /^Cancel/.test(b.textContent?.trim() ?? '')), undefined, {
    timeout: timeoutMs,
    polling: 100
  })
  return ui.locator('body').innerText()
}

export async function waitForRunning(ui: Frame) {
  await ui.getByRole('button', { name: /^Cancel/ }).waitFor({ timeout: 20_000 })
}
