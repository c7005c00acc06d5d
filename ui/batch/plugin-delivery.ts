// How the plugin window's batches reach Figma: main exports each source and places each result as a
// frame beside it. The pipeline takes these as its injected ends; the hook only keeps the state.
import { sizePixels } from '../../src/core/sizes'
import type { ImageCodec } from '../../src/imaging/codec'
import { finishHostedResult } from '../../src/imaging/finish-hosted-result'
import type { BatchDeps } from '../../src/pipeline/run-batch'
import type { Channel } from '../../src/protocol/channel'
import type { ProviderId } from '../../src/protocol/settings'

export type PluginDelivery = Pick<BatchDeps, 'exportSource' | 'finish' | 'deliver'>

export function pluginDelivery(options: {
  main: Pick<Channel, 'request'>
  codec: ImageCodec
  batchId: string
  provider: ProviderId
  prompt: string
  exportMaxEdge: number
}): PluginDelivery {
  const { main, codec, batchId, provider, prompt, exportMaxEdge } = options
  return {
    async exportSource(sourceId) {
      const exported = await main.request('export-source', { nodeId: sourceId, maxEdge: exportMaxEdge })
      const format = exported.mime === 'image/png' ? 'png' : 'jpeg'
      return { image: { bytes: exported.bytes, width: exported.width, height: exported.height, format }, layer: exported.layer }
    },
    finish: async (result, _source, plan) => ({ image: await finishHostedResult(result, plan, codec) }),
    async deliver(job, result, plan) {
      const placed = await main.request('place-result', {
        batchId,
        sourceNodeId: job.sourceId,
        size: job.size,
        provider,
        prompt,
        bytes: result.image.bytes,
        width: result.image.width,
        height: result.image.height,
        frame: plan.frame,
        // a preset exports at its exact pixels; a ratio at the pixels its image really has
        exported: sizePixels(job.size) ?? { width: result.image.width, height: result.image.height }
      })
      return { name: placed.name }
    }
  }
}
