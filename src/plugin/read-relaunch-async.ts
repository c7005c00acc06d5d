// Started by a result's "Reframe again" button: what to run. Each selected result stands for its
// original at its own size; the run takes the settings the first result was made with, and a result
// made with other settings is left out with why, never made with settings it was not made with.
// Results whose original is gone or no longer an image are left to the selection, which says why.
import type { Relaunch, RunSettings, SourceInfo } from '../protocol/messages'
import { SizeIdSchema } from '../protocol/settings'
import { findSourcePaint } from './find-source-paint'
import { readRunSettings, resultSourceId, RUN_SETTING_KEYS } from './result-frame-data'
import type { SourceMemory } from './source-memory'

export const OTHER_SETTINGS = 'made with other settings than the first selected result: select it on its own and press Reframe again'

export async function readRelaunchAsync(nodes: readonly SceneNode[], memory: SourceMemory): Promise<Relaunch | null> {
  const sources = new Map<string, SourceInfo>()
  const jobs: Relaunch['jobs'] = []
  const left: Relaunch['left'] = []
  let first: { settings: Partial<RunSettings>; key: string } | undefined
  for (const node of nodes) {
    const originalId = resultSourceId(node)
    const size = SizeIdSchema.safeParse(node.getPluginData('size'))
    if (originalId === null || !size.success) continue
    const original = await figma.getNodeByIdAsync(originalId)
    if (original === null || original.removed || !('absoluteBoundingBox' in original) || !findSourcePaint(original).ok) continue
    const settings = readRunSettings(node)
    const key = JSON.stringify(RUN_SETTING_KEYS.map((field) => settings[field] ?? null))
    first ??= { settings, key }
    if (key !== first.key) {
      left.push({ nodeId: node.id, name: node.name, reason: OTHER_SETTINGS })
      continue
    }
    const known = memory.see(original)
    if (!sources.has(original.id)) {
      sources.set(original.id, { nodeId: original.id, name: original.name, width: known?.box.width ?? original.width, height: known?.box.height ?? original.height })
    }
    if (!jobs.some((job) => job.sourceNodeId === original.id && job.size === size.data)) jobs.push({ sourceNodeId: original.id, size: size.data })
  }
  if (first === undefined || jobs.length === 0) return null
  return { sources: [...sources.values()], jobs, settings: first.settings, left }
}
