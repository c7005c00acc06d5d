// Timing of finishing one hosted result, whole and step by step, on any backend: shared by the Node side
// of fidelity.bench.ts and its Chromium page. The steps are finishHostedResult's own, called one by one.
import type { EncodedImage } from '../src/core/image-header'
import type { ReframePlan } from '../src/core/reframe-plan'
import { compositeRecipe } from '../src/imaging/composite-recipe'
import { cropOnResult, hostedFinisher } from '../src/imaging/finish-hosted-result'
import { locateAnalysisEdges, locateSource, scaleBox } from '../src/imaging/locate-source'
import type { ImageBackend } from '../src/imaging/render-recipe'

export type FinishTiming = {
  medianMs: number
  minMs: number
  composited: boolean
  output: string
  /** Median ms of each step: decode the result, the small copies to locate on, locate, render + encode the composite. */
  steps: Record<'decode' | 'copies' | 'locate' | 'composite', number>
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * The result finished `runs` times after `warmUp` untimed runs, as the pipeline does it (one finisher:
 * the source decoded and its copy to locate on made once); then the steps timed apart the same way.
 */
export async function timeFinish(backend: ImageBackend, result: EncodedImage, source: EncodedImage, plan: ReframePlan, runs: number, warmUp: number): Promise<FinishTiming> {
  const finish = hostedFinisher(backend)
  let last = await finish(result, source, plan)
  for (let i = 1; i < warmUp; i++) await finish(result, source, plan)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    last = await finish(result, source, plan)
    times.push(performance.now() - started)
  }
  const steps = { decode: [] as number[], copies: [] as number[], locate: [] as number[], composite: [] as number[] }
  const sourcePicture = await backend.decode(source.bytes)
  for (let i = 0; i < runs; i++) {
    let started = performance.now()
    const picture = await backend.decode(result.bytes)
    steps.decode.push(performance.now() - started)
    started = performance.now()
    const expected = scaleBox(plan.hosted!.sourceBox, plan.hosted!.generated, picture)
    const edges = locateAnalysisEdges(picture, sourcePicture, expected)
    const small = await backend.locateCopy(picture, edges.result)
    const smallSource = await backend.locateCopy(sourcePicture, edges.source)
    steps.copies.push(performance.now() - started)
    started = performance.now()
    const match = locateSource(small, smallSource, scaleBox(expected, picture, small), { fullSize: { source: sourcePicture, result: picture } })
    steps.locate.push(performance.now() - started)
    started = performance.now()
    const located = scaleBox(match.box, small, picture)
    const recipe = compositeRecipe({ output: plan.output, result: picture, crop: cropOnResult(plan, picture), located, source: sourcePicture, planned: plan.sourceBox, format: 'jpeg' })
    await backend.render(recipe, { result: picture, source: sourcePicture })
    steps.composite.push(performance.now() - started)
    backend.release?.(picture)
  }
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    composited: last.composited,
    output: `${last.image.width}x${last.image.height} ${last.image.format}`,
    steps: { decode: median(steps.decode), copies: median(steps.copies), locate: median(steps.locate), composite: median(steps.composite) }
  }
}

export function describeTiming(timing: FinishTiming, target: number): string {
  const steps = Object.entries(timing.steps)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
    .join(', ')
  return `median ${timing.medianMs.toFixed(0)} ms, min ${timing.minMs.toFixed(0)} ms (${timing.medianMs < target ? 'ok' : 'OVER'} ${target}) -> ${timing.output}, composited ${timing.composited}; steps, median ms: ${steps}`
}
