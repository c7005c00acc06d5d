// What a result frame records about itself in plugin data (never a key): where it came from, how it
// was made (the run's settings, which Reframe again gives back), and whether it is still waiting for
// its result. Reading it back is how a selected result is known to be one.
import { RunSettingsSchema, type RunSettings } from '../protocol/messages'
import type { Batch } from './result-batches'

export const RUN_SETTING_KEYS = ['provider', 'prompt', 'placement', 'frameMode', 'localMode', 'localFill'] as const satisfies ReadonlyArray<keyof RunSettings>

export const RESULT_DATA_KEYS = ['sourceNodeId', 'size', ...RUN_SETTING_KEYS, 'createdAt', 'batchId', 'state', 'reason', 'note'] as const
export type ResultData = Partial<Record<(typeof RESULT_DATA_KEYS)[number], string>>

export function writeResultData(node: BaseNode, data: ResultData): void {
  for (const [key, value] of Object.entries(data)) node.setPluginData(key, value ?? '')
}

/** The original a result frame was made from, or null for any other node. */
export function resultSourceId(node: BaseNode): string | null {
  const id = node.getPluginData('sourceNodeId')
  return id === '' ? null : id
}

/**
 * The settings a result was made with, each field as recorded; a field it did not record (a frame
 * from before it was) or that is no longer valid is absent. An empty prompt is stored as no entry.
 */
export function readRunSettings(node: BaseNode): Partial<RunSettings> {
  const settings: Partial<Record<keyof RunSettings, unknown>> = {}
  for (const key of RUN_SETTING_KEYS) {
    const stored = node.getPluginData(key)
    if (stored === '' && key !== 'prompt') continue
    const parsed = RunSettingsSchema.shape[key].safeParse(stored)
    if (parsed.success) settings[key] = parsed.data
  }
  return settings as Partial<RunSettings>
}

/** What every frame of a running batch records about its run, so a frame made again carries it too. */
const runOfBatch = new WeakMap<Batch, ResultData>()

export function rememberRun(batch: Batch, data: ResultData): void {
  runOfBatch.set(batch, data)
}

export function runOf(batch: Batch): ResultData {
  return runOfBatch.get(batch) ?? {}
}

/** Names say a frame is unfinished too, so it never looks like a result when it is not. */
export const PENDING_SUFFIX = ' (pending)'
export const FAILED_SUFFIX = ' (failed)'
