// What main says about the layers a run would reframe: the selection as sources (with the image around
// a cropped layer, damage found in the file) and skipped layers, and a source's exported pixels. Part of
// the main<->UI messages (messages.ts re-exports them).
import * as z from 'zod/mini'

/** Uint8Array from any realm (structured clones arrive in the receiver's realm; the preview crosses iframes). */
export const BytesSchema = z.custom<Uint8Array>(
  (value) => Object.prototype.toString.call(value) === '[object Uint8Array]',
  { message: 'expected bytes (Uint8Array)' }
)

export const ImageMimeSchema = z.enum(['image/png', 'image/jpeg'])

export const NodeIdSchema = z.string().check(z.minLength(1))

export const SizeSchema = z.object({ width: z.number().check(z.positive()), height: z.number().check(z.positive()) })
export const BoxSchema = z.object({ x: z.number(), y: z.number(), width: z.number().check(z.positive()), height: z.number().check(z.positive()) })

export const SourceInfoSchema = z.object({
  nodeId: NodeIdSchema,
  name: z.string(),
  /** The layer's box on the canvas (px at 100 %). */
  width: z.number().check(z.positive()),
  height: z.number().check(z.positive()),
  /** Small PNG preview of what the layer shows. Absent when it could not be rendered. */
  thumbnail: z.optional(BytesSchema),
  /** Selected results that stand for this original (a result is never reframed itself). */
  via: z.optional(z.array(z.string())),
  /**
   * The whole image the layer shows part of (a FILL of another shape, a CROP), in layer units with the
   * layer at (0, 0, width, height): real pixels a reframe uses before generating any (core/visible-image).
   * Absent when the layer shows all of its image or is not a plain crop of it.
   */
  available: z.optional(BoxSchema),
  /**
   * What is wrong with the layer's image file when it is damaged, after its name: "is a damaged JPEG:
   * the file ends early" (core/image-damage). A damaged source is listed with this warning and left out
   * of every run: no retry can mend the file.
   */
  damage: z.optional(z.string().check(z.maxLength(200)))
})
export type SourceInfo = z.infer<typeof SourceInfoSchema>

export const SkippedInfoSchema = z.object({
  nodeId: NodeIdSchema,
  name: z.string(),
  reason: z.string()
})

export const SelectionSchema = z.object({
  sources: z.array(SourceInfoSchema),
  skipped: z.array(SkippedInfoSchema)
})
export type Selection = z.infer<typeof SelectionSchema>

export const ExportedSourceSchema = z.object({
  nodeId: NodeIdSchema,
  name: z.string(),
  bytes: BytesSchema,
  mime: ImageMimeSchema,
  /** Pixel size of `bytes`. */
  width: z.number().check(z.int(), z.positive()),
  height: z.number().check(z.int(), z.positive()),
  /** The size on the canvas those pixels show (the layer's page box). */
  layer: z.object({ width: z.number().check(z.positive()), height: z.number().check(z.positive()) }),
  /**
   * Asked for with `real`: the whole image file the layer shows part of, untouched (getBytesAsync), and
   * `box`, where it lies in layer units with the layer at (0, 0, width, height). Only when it is plainly
   * the same picture with more around it (no filters, turns, opacity...: core/visible-image).
   */
  real: z.optional(
    z.object({
      bytes: BytesSchema,
      mime: z.enum(['image/png', 'image/jpeg', 'image/gif']),
      width: z.number().check(z.int(), z.positive()),
      height: z.number().check(z.int(), z.positive()),
      box: BoxSchema
    })
  )
})
export type ExportedSource = z.infer<typeof ExportedSourceSchema>
