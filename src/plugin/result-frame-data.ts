// What a result frame records about itself in plugin data (never a key): where it came from, how it
// was made, and whether it is still waiting for its result. Reading it back is how a selected result
// is known to be one.

export const RESULT_DATA_KEYS = ['sourceNodeId', 'size', 'provider', 'prompt', 'createdAt', 'batchId', 'state', 'reason', 'note'] as const
export type ResultData = Partial<Record<(typeof RESULT_DATA_KEYS)[number], string>>

export function writeResultData(node: BaseNode, data: ResultData): void {
  for (const [key, value] of Object.entries(data)) node.setPluginData(key, value ?? '')
}

/** The original a result frame was made from, or null for any other node. */
export function resultSourceId(node: BaseNode): string | null {
  const id = node.getPluginData('sourceNodeId')
  return id === '' ? null : id
}

/** Names say a frame is unfinished too, so it never looks like a result when it is not. */
export const PENDING_SUFFIX = ' (pending)'
export const FAILED_SUFFIX = ' (failed)'
