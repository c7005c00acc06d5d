// What happened to each file and each size: the summary table and --json are both built from this.
// `ratio` holds the size id (a ratio or a preset id); the key keeps its name from before presets.
import type { SizeId } from '../core/sizes'
import type { ReframeErrorKind } from '../core/reframe-error'

export type Failure = { kind: ReframeErrorKind | 'io' | 'unexpected' | (string & {}); message: string }

export type Outcome =
  | { input: string; ratio: SizeId; ok: true; output: string; width: number; height: number; note?: string }
  /** `ratio` is absent when the whole file failed (unreadable, upload refused). */
  | { input: string; ratio?: SizeId; ok: false; error: Failure }
