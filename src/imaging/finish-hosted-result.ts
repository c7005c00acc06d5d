// A host's result made into the planned output: the plan's crop of the generated image (a preset cut
// from a wider or taller native one, measured on the result's real size, which no host promises), in
// a format figma.createImage takes, at most 4096 px a side, drawn by the platform's backend. A result
// that needs nothing is passed through untouched.
import { MAX_IMAGE_EDGE, type EncodedImage } from '../core/image-header'
import type { Box, Size } from '../core/ratios'
import { fitWithin, type ReframePlan } from '../core/reframe-plan'
import type { ImageBackend } from './render-recipe'

/** The plan's crop on a result of `actual` pixels (whole pixels, inside the image). */
export function cropOnResult(plan: ReframePlan, actual: Size): Box {
  const hosted = plan.hosted
  if (hosted === undefined) return { x: 0, y: 0, ...actual }
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

export async function finishHostedResult(result: EncodedImage, plan: ReframePlan, backend: ImageBackend): Promise<EncodedImage> {
  const crop = cropOnResult(plan, result)
  const whole = crop.x === 0 && crop.y === 0 && crop.width === result.width && crop.height === result.height
  const placeable = result.format === 'png' || result.format === 'jpeg'
  if (whole && placeable && Math.max(result.width, result.height) <= MAX_IMAGE_EDGE) return result
  const picture = await backend.decode(result.bytes)
  const box = cropOnResult(plan, picture)
  const out = fitWithin(box, MAX_IMAGE_EDGE)
  try {
    // JPEG stays JPEG (photos; smaller for main to hand to Figma); WebP, GIF and PNG become lossless PNG
    return await backend.render(
      { width: out.width, height: out.height, layers: [{ picture: 'result', from: box, to: { x: 0, y: 0, ...out } }], format: result.format === 'jpeg' ? 'jpeg' : 'png' },
      { result: picture }
    )
  } finally {
    backend.release?.(picture)
  }
}
