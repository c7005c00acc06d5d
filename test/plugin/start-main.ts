// Test harness: the real main thread (src/plugin/main.ts) on the fake figma, and a UI side that talks
// to it through the real channel, as the iframe would.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { vi } from 'vitest'
import { createChannel } from '../../src/protocol/channel'
import type { Selection } from '../../src/protocol/messages'
import { createFakeFigma, installFakeFigma, type FakeFigma } from '../../preview/fakes/figma/create-fake-figma'
import type { FakeFrameNode, FakeGeometryNode } from '../../preview/fakes/figma/fake-nodes'
import { renderWithSharp } from '../../preview/fakes/figma/sharp-renderer'

export const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/images')

export function loadFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURES}/${name}`))
}

/** `command`: figma.command, as a relaunch button sets it ('reframe-again'); '' from the plugins menu. */
export async function startMain(options: { delayMs?: number; command?: string } = {}) {
  const fake = createFakeFigma({ renderer: renderWithSharp, delayMs: options.delayMs ?? 1, command: options.command })
  const uninstall = installFakeFigma(fake)
  const warnings: string[] = []
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(' '))
  })
  vi.resetModules()
  await import('../../src/plugin/main')
  const uiLog: string[] = []
  const ui = createChannel({
    post: (message) => fake.deliverToMain(message),
    subscribe: (receive) => fake.onUiMessage(receive),
    log: (reason) => uiLog.push(reason),
    timeoutMs: 20_000
  })
  const selections: Selection[] = []
  ui.on('selection', (selection) => selections.push(selection))
  function nextSelection(accept: (selection: Selection) => boolean): Promise<Selection> {
    return new Promise((resolve) => {
      const off = ui.on('selection', (selection) => {
        if (!accept(selection)) return
        off()
        resolve(selection)
      })
    })
  }
  return {
    fake,
    figma: fake.api,
    ui,
    selections,
    /** console.warn lines of main (rejected messages and the like). */
    warnings,
    /** Says ready and waits for the first selection (an event, not a poll: rendering thumbnails may take a while). */
    readyAsync(): Promise<Selection> {
      const next = nextSelection((selection) => selection !== undefined)
      ui.emit('ready', {})
      return next
    },
    /** Resolves with the first selection main sends from now on that `accept`s. */
    nextSelection,
    /** Rectangles showing fixture images (see imageRect), all of them selected. */
    selectImages(...images: Array<[fixture: string, box: { x: number; y: number; width: number; height: number }]>): FakeGeometryNode[] {
      const nodes = images.map(([fixture, box]) => imageRect(fake, fixture, box))
      fake.api.currentPage.selection = nodes
      return nodes
    },
    stop() {
      fake.closeByUser()
      ui.close()
      warn.mockRestore()
      uninstall()
    }
  }
}

export type Main = Awaited<ReturnType<typeof startMain>>

/** A rectangle showing a fixture image, like a photo dropped on the canvas. */
export function imageRect(
  fake: FakeFigma,
  fixture: string,
  box: { x: number; y: number; width: number; height: number },
  paint: Partial<ImagePaint> = {},
  parent?: FakeFrameNode
): FakeGeometryNode {
  const image = fake.api.createImage(loadFixture(fixture))
  const rect = fake.api.createRectangle()
  if (parent) parent.appendChild(rect)
  rect.name = fixture.replace(/\.[a-z]+$/, '')
  rect.resize(box.width, box.height)
  rect.x = box.x
  rect.y = box.y
  rect.fills = [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL', ...paint }]
  return rect
}

/** Puts a node into `parent` (when given) at `box`: x and y relative to the parent, then its size. */
export function placeAt<T extends { x: number; y: number; resize(width: number, height: number): void }>(
  node: T,
  box: { x: number; y: number; width: number; height: number },
  parent?: { appendChild(child: NoInfer<T>): void }
): T {
  parent?.appendChild(node)
  node.x = box.x
  node.y = box.y
  node.resize(box.width, box.height)
  return node
}
