// What main refuses: requests named after Object.prototype members, export sizes past Figma's 4096 px,
// and exports of layers the designer did not pick (only the selection and a running batch's sources).
import { afterEach, describe, expect, it } from 'vitest'
import type { FakeGeometryNode } from '../../preview/fakes/figma/fake-nodes'
import { imageRect, startMain, type Main } from './start-main'

let main: Main
afterEach(() => main?.stop())

const NOT_SELECTED = 'That layer is not selected any more; select it and run again.'

async function exportAsync(nodeId: string, maxEdge = 1024) {
  return main.ui.request('export-source', { nodeId, maxEdge })
}

/** Changes the selection and waits until main has told the UI about it. */
async function selectAsync(nodes: FakeGeometryNode[]) {
  const ids = JSON.stringify(nodes.map((node) => node.id))
  const sent = main.nextSelection((selection) => JSON.stringify(selection.sources.map((s) => s.nodeId)) === ids)
  main.figma.currentPage.selection = nodes
  await sent
}

describe('requests main refuses', () => {
  it('answers requests named constructor, toString, hasOwnProperty or __proto__ with an error, and keeps working', async () => {
    main = await startMain()
    await main.readyAsync()
    for (const method of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      await expect(main.ui.request(method as never, {} as never)).rejects.toThrow(`Unknown request "${method}"`)
    }
    main.fake.deliverToMain({ kind: 'event', name: 'constructor', payload: {} })
    // messages reach main in order: once this is answered, the event was handled
    expect((await main.ui.request('load-settings', {})).settings).toBeDefined()
    expect(main.warnings).toContainEqual(expect.stringMatching(/rejected event "constructor": unknown event/))
  })

  it('refuses an export-source maxEdge above 4096 px', async () => {
    main = await startMain()
    const photo = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    main.figma.currentPage.selection = [photo]
    await main.readyAsync()
    await expect(exportAsync(photo.id, 1e9)).rejects.toThrow(/Invalid request "export-source": maxEdge/)
    await expect(exportAsync(photo.id, 4097)).rejects.toThrow(/Invalid request "export-source": maxEdge/)
    expect(await exportAsync(photo.id, 4096)).toMatchObject({ width: 600, height: 400 })
  })
})

describe('export-source reads only layers the designer picked', () => {
  it('refuses a layer that is neither selected nor a source of the running batch, and says why', async () => {
    main = await startMain()
    const picked = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const other = imageRect(main.fake, 'rocket.jpg', { x: 0, y: 600, width: 640, height: 427 })
    main.figma.currentPage.selection = [picked]
    await main.readyAsync()
    const bytesRead = main.fake.hooks.getBytesCalls
    await expect(exportAsync(other.id)).rejects.toThrow(NOT_SELECTED)
    // refused before any pixel of it was read
    expect(main.fake.hooks.getBytesCalls).toBe(bytesRead)
    expect(main.fake.hooks.exports.filter((e) => e.nodeId === other.id)).toEqual([])
    expect(await exportAsync(picked.id)).toMatchObject({ nodeId: picked.id })
  })

  it('keeps exporting a running batch\'s sources after the selection changes, until the batch finishes', async () => {
    main = await startMain()
    const a = imageRect(main.fake, 'coffee.png', { x: 0, y: 0, width: 600, height: 400 })
    const b = imageRect(main.fake, 'rocket.jpg', { x: 0, y: 600, width: 640, height: 427 })
    const c = imageRect(main.fake, 'chelsea.png', { x: 0, y: 1200, width: 451, height: 300 })
    main.figma.currentPage.selection = [a, b]
    await main.readyAsync()
    // the batch starts with a; the designer then selects something else while it runs
    expect(await exportAsync(a.id)).toMatchObject({ nodeId: a.id })
    await selectAsync([c])
    expect(await exportAsync(b.id)).toMatchObject({ nodeId: b.id })
    expect(await exportAsync(c.id)).toMatchObject({ nodeId: c.id })
    await main.ui.request('finish-batch', { batchId: 'batch-1', failed: 0, cancelled: false })
    // the batch is over: only the selection counts again
    await expect(exportAsync(a.id)).rejects.toThrow(NOT_SELECTED)
    await expect(exportAsync(b.id)).rejects.toThrow(NOT_SELECTED)
    expect(await exportAsync(c.id)).toMatchObject({ nodeId: c.id })
  })
})
