// What each frame shows the moment a run starts: the offline engine's fill of a small export of its
// source, made in a fraction of a second, so every frame of the batch appears at once in its place.
import type { Size } from '../../src/core/ratios'
import { planReframe, type FrameMode, type ReframePlan } from '../../src/core/reframe-plan'
import type { ImageBackend } from '../../src/imaging/render-recipe'
import type { BatchJob } from '../../src/pipeline/run-batch'
import type { Channel } from '../../src/protocol/channel'
import type { PlannedFrame } from '../../src/protocol/messages'
import type { Settings } from '../../src/protocol/settings'
import { createLocalProvider } from '../../src/providers/local'

/** Long edge of the export a preview is made from. */
export const PREVIEW_EDGE = 256

export type FramePlanInput = { jobs: readonly BatchJob[]; layers: ReadonlyMap<string, Size>; settings: Pick<Settings, 'provider' | 'localMode' | 'placement' | 'exportMaxEdge'>; frameMode: FrameMode }

/** The plan of a job's frame from its layer's size alone (the frame's place and size never depend on the export). */
export function frameOnlyPlan(job: BatchJob, layer: Size, input: Omit<FramePlanInput, 'jobs' | 'layers'>): ReframePlan {
  const engine = input.settings.provider === 'local' ? input.settings.localMode : 'hosted'
  return planReframe({ layer, pixels: layer, size: job.size, engine, placement: input.settings.placement, frameMode: input.frameMode })
}

export async function planFramesAsync(main: Pick<Channel, 'request'>, backend: ImageBackend, input: FramePlanInput): Promise<PlannedFrame[]> {
  const engine = createLocalProvider({ backend, mode: 'fill', fill: 'blur' })
  const uploads = new Map<string, ReturnType<typeof engine.upload>>()
  const uploadOf = (sourceId: string) => {
    let uploaded = uploads.get(sourceId)
    if (uploaded === undefined) {
      uploaded = main.request('export-source', { nodeId: sourceId, maxEdge: PREVIEW_EDGE }).then((small) =>
        engine.upload({ bytes: small.bytes, width: small.width, height: small.height, format: small.mime === 'image/png' ? 'png' : 'jpeg' })
      )
      uploads.set(sourceId, uploaded)
    }
    return uploaded
  }
  return Promise.all(
    input.jobs.map(async (job) => {
      const layer = input.layers.get(job.sourceId) ?? { width: 100, height: 100 }
      const plan = frameOnlyPlan(job, layer, input)
      const preview = await engine.reframe(await uploadOf(job.sourceId), job.size, { placement: input.settings.placement })
      const scale = plan.frame.width / plan.output.width
      const hasSafeArea = plan.safeArea.width < plan.output.width || plan.safeArea.height < plan.output.height
      return {
        key: job.key,
        sourceNodeId: job.sourceId,
        size: job.size,
        frame: plan.frame,
        exported: plan.exported,
        ...(hasSafeArea ? { safeArea: { x: plan.safeArea.x * scale, y: plan.safeArea.y * scale, width: plan.safeArea.width * scale, height: plan.safeArea.height * scale } } : {}),
        preview: { bytes: preview.bytes, width: preview.width, height: preview.height }
      }
    })
  )
}
