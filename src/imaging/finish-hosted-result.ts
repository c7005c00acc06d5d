// A host's result made into the planned output, with the original's own pixels in it: the source is
// located in the result (the host may have ignored or moved the box it was sent), then drawn over that
// place with a feathered seam at the plan's output size, the source's own density (or a preset's exact
// pixels), the generated surround scaled to match. When the model changed the content so much that the
// source is not there, the result is kept as it came and the note says so. Drawn by the platform's
// backend (canvas in the plugin, sharp in Node); never more than 4096 px a side.
import type { EncodedImage, ImageFormat } from '../core/image-header'
import type { Box, Size } from '../core/ratios'
import type { ReframePlan } from '../core/reframe-plan'
import { compositeRecipe, resultOnlyRecipe } from './composite-recipe'
import { judgeMatch, locateAnalysisEdges, locateSource, scaleBox } from './locate-source'
import type { ImageBackend, Picture } from './render-recipe'
import type { RgbaImage } from './rgba-image'

/** The source's copy to locate on, at a long edge (a finisher keeps them: every size of a source asks for one). */
export type SourceAnalysis = (maxEdge: number) => Promise<RgbaImage>

/** The plan's crop on a result of `actual` pixels (whole pixels, inside the image): a host's real size is measured, never assumed. */
export function cropOnResult(plan: ReframePlan, actual: Size): Box {
  const hosted = plan.hosted
  if (hosted === undefined) return { x: 0, y: 0, width: actual.width, height: actual.height }
  const kx = actual.width / hosted.generated.width
  const ky = actual.height / hosted.generated.height
  const x = Math.max(0, Math.round(hosted.crop.x * kx))
  const y = Math.max(0, Math.round(hosted.crop.y * ky))
  return {
    x,
    y,
    width: Math.max(1, Math.min(actual.width - x, Math.round(hosted.crop.width * kx))),
    height: Math.max(1, Math.min(actual.height - y, Math.round(hosted.crop.height * ky)))
  }
}

/**
 * What finishing found: the image, whether the original went in (and where, in output pixels: the
 * place the model drew it, found by locateSource), and how well it matched.
 */
export type FinishedHostedResult = { image: EncodedImage; composited: boolean; score: number; located?: Box; note?: string }

export const NOT_COMPOSITED_NOTE = 'the model changed the picture: kept as it came, without the original pasted in'

export type FinishOptions = {
  /** The source's copies to locate on (default: made from `source` on each call by `locateCopy`). */
  sourceAnalysis?: SourceAnalysis
  /**
   * The source file's format. A PNG source gives a PNG result: a JPEG re-encode would change every
   * pixel of the original it just put back (SSIM ~0.98 at q92 on the PNG fixtures). Default 'jpeg'.
   */
  sourceFormat?: ImageFormat
}

/** PNG for a lossless or transparent source or a PNG result; JPEG when both came as JPEG. */
export function finishedFormat(result: ImageFormat, source: Picture, sourceFormat: ImageFormat = 'jpeg'): 'jpeg' | 'png' {
  return result === 'jpeg' && source.hasAlpha !== true && sourceFormat === 'jpeg' ? 'jpeg' : 'png'
}

export async function finishHostedResult(
  result: EncodedImage,
  source: Picture,
  plan: ReframePlan,
  backend: ImageBackend,
  options: FinishOptions = {}
): Promise<FinishedHostedResult> {
  const sourceAnalysis = options.sourceAnalysis ?? ((maxEdge: number) => backend.locateCopy(source, maxEdge))
  const picture = await backend.decode(result.bytes)
  try {
    const crop = cropOnResult(plan, picture)
    const format = finishedFormat(result.format, source, options.sourceFormat)
    // where the host was asked to put the source, in this result's pixels
    const generated = plan.hosted?.generated ?? picture
    const expected = scaleBox(plan.hosted?.sourceBox ?? { x: 0, y: 0, ...generated }, generated, picture)
    const edges = locateAnalysisEdges(picture, source, expected)
    const [small, smallSource] = await Promise.all([backend.locateCopy(picture, edges.result), sourceAnalysis(edges.source)])
    const match = locateSource(small, smallSource, scaleBox(expected, picture, small), { fullSize: { source, result: picture } })
    const verdict = judgeMatch(match)
    if (!verdict.matched) {
      const image = await backend.render(resultOnlyRecipe({ output: plan.output, result: picture, crop, format }), { result: picture })
      return { image, composited: false, score: match.detail, note: NOT_COMPOSITED_NOTE }
    }
    const located = scaleBox(match.box, small, picture)
    const recipe = compositeRecipe({ output: plan.output, result: picture, crop, located, source, planned: plan.sourceBox, format })
    const image = await backend.render(recipe, { result: picture, source })
    const drawn = recipe.layers.find((layer) => layer.picture === 'source')?.to
    return { image, composited: true, score: match.detail, ...(drawn !== undefined ? { located: drawn } : {}) }
  } finally {
    backend.release?.(picture)
  }
}

/**
 * finishHostedResult with each source decoded once, and its copies to locate on made once, however many of
 * its sizes come back (kept while the caller keeps the source).
 */
export function hostedFinisher(backend: ImageBackend) {
  const decoded = new WeakMap<EncodedImage, { picture: Promise<Picture>; analyses: Map<number, Promise<RgbaImage>> }>()
  return (result: EncodedImage, source: EncodedImage, plan: ReframePlan): Promise<FinishedHostedResult> => {
    let entry = decoded.get(source)
    if (entry === undefined) {
      entry = { picture: backend.decode(source.bytes), analyses: new Map() }
      decoded.set(source, entry)
    }
    const { analyses } = entry
    return entry.picture.then((picture) => {
      const analysisOf: SourceAnalysis = (maxEdge) => {
        let copy = analyses.get(maxEdge)
        if (copy === undefined) {
          copy = backend.locateCopy(picture, maxEdge)
          analyses.set(maxEdge, copy)
        }
        return copy
      }
      return finishHostedResult(result, picture, plan, backend, { sourceAnalysis: analysisOf, sourceFormat: source.format })
    })
  }
}
