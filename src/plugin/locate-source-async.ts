// Where a source is now, or where it was last seen when it was deleted meanwhile (its results still
// land where it stood), and on which page.
import { pageOf, type KnownSource, type SourceMemory } from './source-memory'

export type LocatedSource = { source: KnownSource; page: PageNode; node: SceneNode | null }

export async function locateSourceAsync(sourceNodeId: string, memory: SourceMemory): Promise<LocatedSource> {
  const node = await figma.getNodeByIdAsync(sourceNodeId)
  const scene = node !== null && 'absoluteBoundingBox' in node ? (node as SceneNode) : null
  const current = scene !== null ? memory.see(scene) : null
  const source = current ?? memory.get(sourceNodeId)
  if (source === undefined) throw new Error('The source layer is gone and was never seen, so there is no place for its result')
  const livePage = node !== null ? pageOf(node) : null
  const knownPage = source.pageId !== null ? await figma.getNodeByIdAsync(source.pageId) : null
  const page = livePage ?? (knownPage?.type === 'PAGE' ? knownPage : figma.currentPage)
  return { source, page, node: scene }
}
