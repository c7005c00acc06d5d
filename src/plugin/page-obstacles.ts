// Everything at the top of a page as something results must not cover, with whom it belongs to:
// a source's earlier results and the frame a nested source sits in belong to that source.
import type { Obstacle } from '../core/layout'
import { pageBox } from './source-memory'
import { resultSourceId } from './result-frame-data'

/** The page-level node a node sits in (itself when it is at the top). */
export function topLevelOf(node: BaseNode): BaseNode {
  let current = node
  while (current.parent !== null && current.parent.type !== 'PAGE') current = current.parent
  return current
}

export function pageObstacles(page: PageNode, sources: ReadonlyMap<string, BaseNode | null>): Obstacle[] {
  const containers = new Map<string, string>()
  for (const [id, node] of sources) if (node !== null) containers.set(topLevelOf(node).id, id)
  return page.children.flatMap((child) => {
    const box = pageBox(child)
    if (box === null) return []
    const holder = containers.get(child.id)
    const owner = holder ?? resultSourceId(child) ?? undefined
    return [{ ...box, owner, isSource: holder !== undefined }]
  })
}
