// Remembers where each source was last seen, so a source deleted mid-batch still gets its results
// placed where it stood.

import type { Box } from '../core/ratios'

export type KnownSource = { name: string; box: Box; pageId: string | null }

export function pageOf(node: BaseNode): PageNode | null {
  for (let p: BaseNode | null = node; p !== null; p = p.parent) if (p.type === 'PAGE') return p
  return null
}

/** The node's box in page coordinates (absoluteBoundingBox), null when Figma has none. */
export function pageBox(node: SceneNode): Box | null {
  const box = node.absoluteBoundingBox
  return box === null ? null : { x: box.x, y: box.y, width: box.width, height: box.height }
}

export function createSourceMemory() {
  const known = new Map<string, KnownSource>()
  return {
    /** Records the node's current name, box and page; returns them (null without a box). */
    see(node: SceneNode): KnownSource | null {
      const box = pageBox(node)
      if (box === null) return null
      const entry = { name: node.name, box, pageId: pageOf(node)?.id ?? null }
      known.set(node.id, entry)
      return entry
    },
    get(nodeId: string): KnownSource | undefined {
      return known.get(nodeId)
    }
  }
}

export type SourceMemory = ReturnType<typeof createSourceMemory>
