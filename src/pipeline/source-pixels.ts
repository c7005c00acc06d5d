// A source's pixels for one batch: what the layer shows (exported once) and, when the layer shows part
// of a larger photo, that photo (decoded once). Each job's plan says which the engine is given: what
// the layer shows, a larger real region of the photo (drawn once per region), or nothing at all when
// the photo covers the whole frame and the output is a crop of it.
import type { EncodedImage } from '../core/image-header'
import type { Box, Placement, Size } from '../core/ratios'
import { fitWithin, planReframe, type Engine, type FrameMode, type ReframePlan } from '../core/reframe-plan'
import type { SizeId } from '../core/sizes'
import { renderRealRegion } from '../imaging/render-real-region'
import type { ImageBackend, Picture } from '../imaging/render-recipe'

/** The whole photo a layer shows part of, and where it lies in layer units (the layer at 0, 0). */
export type RealImage = { image: EncodedImage; extent: Box }

/** A source's pixels as the engine gets them, the size of the layer they came from, and the photo around it. */
export type ExportedSource = { image: EncodedImage; layer: Size; real?: RealImage }

/**
 * What a job's engine is given: `upload` (sent to the host, within the upload size) and `composite`
 * (drawn back over the host's result, at the output's density); `key` tells sources apart for the
 * upload cache ('' for what the layer shows).
 */
export type EngineSource = { key: string; upload: EncodedImage; composite: EncodedImage }

export type SourcePixelsOptions = {
  exported: ExportedSource
  engine: Engine
  placement: Placement
  frameMode: FrameMode
  /** Long edge of what is sent to a host. */
  uploadMaxEdge: number
  /** Draws real pixels; without one the photo around the layer is not used. */
  backend?: ImageBackend
}

export type SourcePixels = ReturnType<typeof sourcePixels>

export function sourcePixels(options: SourcePixelsOptions) {
  const { exported, engine, backend } = options
  // a smart crop invents nothing, so it has nothing to replace with real pixels
  const real = backend !== undefined && engine !== 'crop' ? exported.real : undefined
  let picture: Promise<Picture> | undefined
  const regions = new Map<string, Promise<EngineSource>>()
  const visible: EngineSource = { key: '', upload: exported.image, composite: exported.image }

  function photo(): Promise<Picture> {
    if (real === undefined || backend === undefined) throw new Error('Internal: no photo around this layer')
    picture ??= backend.decode(real.image.bytes)
    return picture
  }

  async function region(plan: ReframePlan & { real: NonNullable<ReframePlan['real']> }, key: string): Promise<EngineSource> {
    const decoded = await photo()
    const size = { width: plan.real.box.width, height: plan.real.box.height }
    const composite = await renderRealRegion(backend!, real!.image, decoded, plan.real.from, size)
    // a host gets it within the upload size; the offline engine draws it at the output's own density
    const fitted = engine === 'hosted' ? fitWithin(size, options.uploadMaxEdge) : size
    const upload = fitted.width === size.width && fitted.height === size.height ? composite : await renderRealRegion(backend!, real!.image, decoded, plan.real.from, fitted)
    return { key, upload, composite }
  }

  return {
    /** The job's plan: the frame around the layer, with the photo around it when there is one. */
    plan(size: SizeId): ReframePlan {
      return planReframe({
        layer: exported.layer,
        pixels: { width: exported.image.width, height: exported.image.height },
        size,
        engine,
        placement: options.placement,
        frameMode: options.frameMode,
        ...(real !== undefined ? { available: real.extent } : {})
      })
    },

    /** The whole output of a plan that needs no job, from the photo's own pixels. */
    async fromPhoto(plan: ReframePlan): Promise<EncodedImage> {
      if (plan.job !== 'none' || plan.real === undefined) throw new Error('Internal: this job is not made from the photo')
      return renderRealRegion(backend!, real!.image, await photo(), plan.real.from, plan.output)
    },

    /** What the engine of a plan that runs is given: what the layer shows, or the larger real region. */
    engineSource(plan: ReframePlan): Promise<EngineSource> {
      if (plan.real === undefined) return Promise.resolve(visible)
      const { from, box } = plan.real
      const key = `photo ${[from.x, from.y, from.width, from.height].map((v) => v.toFixed(6)).join(',')} at ${box.width}x${box.height}`
      let made = regions.get(key)
      if (made === undefined) {
        made = region({ ...plan, real: plan.real }, key)
        regions.set(key, made)
      }
      return made
    },

    /** Frees the decoded photo (the batch is done with this source). */
    async release(): Promise<void> {
      if (picture === undefined || backend?.release === undefined) return
      // a photo that could not be decoded holds no memory; its jobs already failed with the reason
      const decoded = await picture.catch(() => undefined)
      if (decoded !== undefined) backend.release(decoded)
    }
  }
}
