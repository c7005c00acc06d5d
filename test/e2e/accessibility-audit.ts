// Accessibility basics of a document, asked of the browser itself: every control's accessible name
// from Chromium's accessibility tree (CDP), and which controls the Tab key reaches.
import type { CDPSession, Frame, Page } from 'playwright-core'

export type ControlInfo = {
  /** Index we tagged the element with (data-audit-id). */
  index: number
  /** A short description for failure messages: tag, type, role, text. */
  description: string
  disabled: boolean
  /** Radio buttons of one group share one Tab stop: its name, if any. */
  radioGroup: string | null
}

const CONTROL_SELECTOR = [
  'button',
  'input:not([type="hidden"])',
  'select',
  'textarea',
  'summary',
  'a[href]',
  '[contenteditable="true"]',
  '[role="button"]',
  '[role="checkbox"]',
  '[role="radio"]',
  '[role="switch"]',
  '[role="combobox"]',
  '[role="textbox"]',
  '[role="slider"]',
  '[role="tab"]',
  '[role="menuitem"]'
].join(',')

/** Tags every visible control with data-audit-id and describes it. */
export function tagControls(frame: Frame): Promise<ControlInfo[]> {
  return frame.evaluate((selector) => {
    const out: ControlInfo[] = []
    const elements = [...document.querySelectorAll<HTMLElement>(selector)]
    for (const element of elements) {
      // a visually hidden native input (custom checkbox) still counts: its label box is what shows
      const box = element.closest('label') ?? element
      if (!box.checkVisibility({ visibilityProperty: true })) continue
      const index = out.length
      element.dataset.auditId = String(index)
      const input = element as HTMLInputElement
      out.push({
        index,
        description: `<${element.tagName.toLowerCase()}${input.type ? ` type=${input.type}` : ''}${element.getAttribute('role') ? ` role=${element.getAttribute('role')}` : ''}> "${(element.textContent ?? '').trim().slice(0, 40)}"`,
        disabled: input.disabled === true || element.getAttribute('aria-disabled') === 'true',
        radioGroup:
          input.type === 'radio' ? input.name || null : element.getAttribute('role') === 'radio' ? (element.closest('[role="radiogroup"]')?.id ?? 'radiogroup') : null
      })
    }
    return out
  }, CONTROL_SELECTOR) as Promise<ControlInfo[]>
}

type AXNode = { ignored: boolean; role?: { value: string }; name?: { value: string }; backendDOMNodeId?: number }

async function frameSession(page: Page, frame: Frame): Promise<{ session: CDPSession; frameId?: string }> {
  try {
    // an out-of-process frame (sandboxed, opaque origin) has its own target
    return { session: await page.context().newCDPSession(frame) }
  } catch {
    const session = await page.context().newCDPSession(page)
    const { frameTree } = (await session.send('Page.getFrameTree')) as {
      frameTree: { frame: { id: string; name?: string }; childFrames?: unknown[] }
    }
    type Tree = { frame: { id: string; name?: string }; childFrames?: Tree[] }
    const find = (tree: Tree): string | undefined =>
      tree.frame.name === frame.name() ? tree.frame.id : (tree.childFrames ?? []).map(find).find(Boolean)
    return { session, frameId: find(frameTree as Tree) }
  }
}

/** The accessible name Chromium computed for each tagged control (index -> name; missing when not in the tree). */
export async function accessibleNames(page: Page, frame: Frame): Promise<Map<number, { role: string; name: string }>> {
  const { session, frameId } = await frameSession(page, frame)
  try {
    await session.send('DOM.enable')
    await session.send('Accessibility.enable')
    const { nodes } = (await session.send('Accessibility.getFullAXTree', frameId ? { frameId } : {})) as { nodes: AXNode[] }
    const names = new Map<number, { role: string; name: string }>()
    for (const node of nodes) {
      if (node.backendDOMNodeId === undefined) continue
      const { node: dom } = (await session.send('DOM.describeNode', { backendNodeId: node.backendDOMNodeId })) as {
        node: { attributes?: string[] }
      }
      const attributes = dom.attributes ?? []
      const at = attributes.indexOf('data-audit-id')
      if (at < 0) continue
      names.set(Number(attributes[at + 1]), { role: node.role?.value ?? '', name: (node.name?.value ?? '').trim() })
    }
    return names
  } finally {
    await session.detach()
  }
}

/** Presses Tab from the top of the frame's document and records the audit id of each focused control. */
export async function tabOrder(page: Page, frame: Frame, presses: number): Promise<number[]> {
  await frame.evaluate(() => {
    ;(document.activeElement as HTMLElement | null)?.blur()
    window.focus()
  })
  const reached: number[] = []
  for (let i = 0; i < presses; i += 1) {
    await page.keyboard.press('Tab')
    const id = await frame.evaluate(() => {
      const active = document.activeElement as HTMLElement | null
      return document.hasFocus() && active?.dataset.auditId !== undefined ? Number(active.dataset.auditId) : -1
    })
    reached.push(id)
  }
  return reached
}
