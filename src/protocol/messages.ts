// Every message between the plugin's main thread and its UI, as zod schemas. Both sides import this
// module; the TypeScript types are inferred from it. Requests carry an id and get exactly one response.
import * as z from 'zod/mini'
import { EXPORT_MAX_EDGE_LIMITS, ProviderIdSchema, SecretNameSchema, SettingsSchema, SizeIdSchema } from './settings'

import {
  BoxSchema,
  BytesSchema,
  ExportedSourceSchema,
  NodeIdSchema,
  SelectionSchema,
  SizeSchema,
  SkippedInfoSchema,
  SourceInfoSchema
} from './source-messages'

export {
  BytesSchema,
  ExportedSourceSchema,
  ImageMimeSchema,
  SelectionSchema,
  SkippedInfoSchema,
  SourceInfoSchema,
  type ExportedSource,
  type Selection,
  type SourceInfo
} from './source-messages'

/** A field of the settings as given, without its default. */
function setting<K extends keyof typeof SettingsSchema.shape>(key: K): (typeof SettingsSchema.shape)[K]['def']['innerType'] {
  return SettingsSchema.shape[key].def.innerType
}

/** An encoded PNG or JPEG with its pixel size. */
const ImageSchema = z.object({ bytes: BytesSchema, width: z.number().check(z.int(), z.positive()), height: z.number().check(z.int(), z.positive()) })

/** One frame of a batch, created at once at its final place, filled later. */
export const PlannedFrameSchema = z.object({
  /** The job it belongs to (unique in the batch). */
  key: z.string().check(z.minLength(1)),
  sourceNodeId: NodeIdSchema,
  size: SizeIdSchema,
  /** The frame on the canvas and the pixels it exports at, from the reframe plan. */
  frame: SizeSchema,
  exported: SizeSchema,
  /** The area to keep key content in (frame units), when the size has one: drawn as guides. */
  safeArea: z.optional(BoxSchema),
  /** What it shows until the result arrives (the offline engine's fill of a small export). */
  preview: ImageSchema
})
export type PlannedFrame = z.infer<typeof PlannedFrameSchema>

export const FillResultParamsSchema = z.object({
  batchId: z.string().check(z.minLength(1)),
  frameId: NodeIdSchema,
  /** Where a frame the designer deleted meanwhile is made again. */
  planned: z.omit(PlannedFrameSchema, { preview: true }),
  namePattern: setting('namePattern'),
  image: ImageSchema,
  /** Pixels the frame exports at. */
  exported: SizeSchema,
  /** Something true of this result a person should know ("upscaled 1.6x"). */
  note: z.optional(z.string().check(z.maxLength(300)))
})
export type FillResultParams = z.infer<typeof FillResultParamsSchema>

const Empty = z.strictObject({})

/**
 * How a run made its results, recorded on every frame (never a key) and given back by Reframe again:
 * the same original at the same size with these settings makes the result again.
 */
export const RunSettingsSchema = z.object({
  provider: setting('provider'),
  prompt: setting('prompt'),
  placement: setting('placement'),
  frameMode: setting('frameMode'),
  localMode: setting('localMode'),
  localFill: setting('localFill')
})
export type RunSettings = z.infer<typeof RunSettingsSchema>

/**
 * main -> UI, after the first selection, when the plugin was started by a result's "Reframe again"
 * button: the originals of the selected results, one job per result (its original at its size), and
 * the settings they were made with (a field a result did not record is absent: the window's own applies).
 */
export const RelaunchSchema = z.object({
  sources: z.array(SourceInfoSchema).check(z.minLength(1)),
  jobs: z.array(z.object({ sourceNodeId: NodeIdSchema, size: SizeIdSchema })).check(z.minLength(1)),
  settings: z.partial(RunSettingsSchema),
  /** Selected results left out of this run, with why (made with other settings). */
  left: z.array(SkippedInfoSchema)
})
export type Relaunch = z.infer<typeof RelaunchSchema>

/**
 * The plugin window, as both sides know it: opened at `initial`, then as tall as its content between
 * `minHeight` and `maxHeight` (short enough for a laptop screen beside the canvas).
 */
export const WINDOW_SIZE = { initial: { width: 360, height: 560 }, minWidth: 280, maxWidth: 900, minHeight: 240, maxHeight: 720 } as const

/**
 * Changes to settings: any subset of fields, each validated, none defaulted (zod's `z.partial()` would
 * still fill every missing field with its default and so overwrite what is stored).
 */
export const SettingsPatchSchema = z.object({
  provider: z.optional(setting('provider')),
  sizes: z.optional(setting('sizes')),
  frameMode: z.optional(setting('frameMode')),
  namePattern: z.optional(setting('namePattern')),
  prompt: z.optional(setting('prompt')),
  placement: z.optional(setting('placement')),
  exportMaxEdge: z.optional(setting('exportMaxEdge')),
  localMode: z.optional(setting('localMode')),
  localFill: z.optional(setting('localFill')),
  connection: z.optional(setting('connection')),
  relayUrl: z.optional(setting('relayUrl')),
  concurrency: z.optional(setting('concurrency'))
} satisfies { [K in keyof typeof SettingsSchema.shape]: z.ZodMiniType })
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>

/** method -> { params, result } for requests the UI sends to main. */
export const Requests = {
  'load-settings': {
    params: Empty,
    result: z.object({
      settings: SettingsSchema,
      /** Which secrets are stored (never their values). */
      secrets: z.record(SecretNameSchema, z.boolean())
    })
  },
  'save-settings': {
    params: z.object({ settings: SettingsPatchSchema }),
    result: z.object({ settings: SettingsSchema })
  },
  'get-secret': {
    params: z.object({ name: SecretNameSchema }),
    result: z.object({ value: z.nullable(z.string()) })
  },
  'set-secret': {
    params: z.object({ name: SecretNameSchema, value: z.nullable(z.string().check(z.minLength(1), z.maxLength(500))) }),
    result: Empty
  },
  'export-source': {
    // no upload is larger than Figma's own 4096 px: a bigger cap would only let a render run away
    params: z.object({
      nodeId: NodeIdSchema,
      maxEdge: z.number().check(z.int(), z.positive(), z.maximum(EXPORT_MAX_EDGE_LIMITS.max)),
      /** Also send the whole image around what the layer shows, when there is more of it (`real`). */
      real: z.optional(z.boolean())
    }),
    result: ExportedSourceSchema
  },
  'create-frames': {
    params: z.object({
      batchId: z.string().check(z.minLength(1)),
      provider: ProviderIdSchema,
      prompt: z.string(),
      namePattern: setting('namePattern'),
      frames: z.array(PlannedFrameSchema).check(z.minLength(1), z.maxLength(500)),
      /** The rest of the run's settings, recorded on each frame for Reframe again. */
      run: z.optional(z.omit(RunSettingsSchema, { provider: true, prompt: true }))
    }),
    result: z.object({ frames: z.array(z.object({ key: z.string(), frameId: z.string(), name: z.string() })) })
  },
  'fill-result': {
    params: FillResultParamsSchema,
    result: z.object({ frameId: z.string(), name: z.string() })
  },
  'mark-failed': {
    params: z.object({ batchId: z.string().check(z.minLength(1)), frameId: NodeIdSchema, reason: z.string().check(z.maxLength(500)) }),
    result: Empty
  },
  'finish-batch': {
    params: z.object({
      batchId: z.string().check(z.minLength(1)),
      failed: z.number().check(z.int(), z.minimum(0)),
      cancelled: z.boolean()
    }),
    result: z.object({ placed: z.number().check(z.int(), z.minimum(0)), removed: z.number().check(z.int(), z.minimum(0)) })
  },
  'resize-ui': {
    params: z.object({ width: z.number().check(z.positive()), height: z.number().check(z.positive()) }),
    result: Empty
  }
} as const

/** name -> payload for events (fire and forget, no reply). */
export const Events = {
  /** UI -> main: the UI listens now; main sends nothing before this. */
  ready: Empty,
  /** main -> UI: the current sources, sent on ready and on every selection change. */
  selection: SelectionSchema,
  /** main -> UI: started by "Reframe again" on selected results: run them again (see RelaunchSchema). */
  relaunch: RelaunchSchema
} as const

export type RequestMethod = keyof typeof Requests
export type RequestParams<M extends RequestMethod> = z.infer<(typeof Requests)[M]['params']>
export type RequestResult<M extends RequestMethod> = z.infer<(typeof Requests)[M]['result']>
export type EventName = keyof typeof Events
export type EventPayload<E extends EventName> = z.infer<(typeof Events)[E]>

export const EnvelopeSchema = z.union([
  z.object({ kind: z.literal('request'), id: z.string().check(z.minLength(1)), method: z.string(), params: z.unknown() }),
  z.object({ kind: z.literal('response'), id: z.string().check(z.minLength(1)), ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal('response'), id: z.string().check(z.minLength(1)), ok: z.literal(false), error: z.string() }),
  z.object({ kind: z.literal('event'), name: z.string(), payload: z.unknown() })
])
export type Envelope = z.infer<typeof EnvelopeSchema>
