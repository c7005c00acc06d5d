// The preview plays Figma's relaunch buttons: a result frame carries "Reframe again" (manifest.json's
// relaunchButtons); selected, the button shows over the canvas, and pressing it starts the plugin with
// figma.command 'reframe-again', which reframes that frame's original again with the frame's settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PreviewHooks } from '../../preview/page/test-hooks'
import { clickNode, openPreviewSession, pluginFrame, screenshot, type PreviewSession } from './preview-session'
import { chooseSizes, placedFrames, pressReframe, waitForBatchEnd, waitForPlaced } from './plugin-ui'

let session: PreviewSession

beforeAll(async () => {
  session = await openPreviewSession()
})

afterAll(async () => {
  await session?.close()
})

describe('relaunch buttons in the preview', { timeout: 120_000 }, () => {
  it('offers Reframe again on a selected result frame, and pressing it reframes its original again', async () => {
    const { page } = session
    const relaunch = page.locator('#relaunch').getByRole('button', { name: 'Reframe again' })
    let ui = await pluginFrame(page)
    await clickNode(page, 'coffee')
    await ui.getByText('Images (1)').waitFor()
    expect(await relaunch.count(), 'an original has no relaunch button').toBe(0)
    await chooseSizes(ui, [])
    await ui.getByRole('checkbox', { name: /Stories/ }).setChecked(true, { force: true })
    await pressReframe(ui)
    const [story] = await waitForPlaced(page, 1)
    expect(story.name).toMatch(/^coffee · story/)
    await waitForBatchEnd(ui)
    // the batch's frames are selected when it ends
    await relaunch.waitFor()
    await screenshot(page, 'preview-relaunch-button')

    await relaunch.click()
    // the plugin starts again, from the button, and runs at once with the frame's settings
    ui = await pluginFrame(page)
    await waitForPlaced(page, 2)
    await waitForBatchEnd(ui)
    const stories = (await placedFrames(page)).filter((frame) => frame.name.startsWith('coffee · story'))
    expect(stories).toHaveLength(2)
    expect(await page.evaluate(() => (window as unknown as { __preview: PreviewHooks }).__preview.figmaCommand())).toBe('reframe-again')
  })
})
