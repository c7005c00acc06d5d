// Content-aware crop window: smartcrop's scoring (edges, skin, saturation) run on a small RGBA copy we
// make ourselves, so the browser and Node feed it identical pixels, then moved to keep the salient subject.
// What depends only on the image (smartcrop's maps, the saliency boosts, the subject) is found once per
// analysis image and shared by every ratio.
import type { CropBoost } from 'smartcrop'
import type { Box, Size } from '../core/ratios'
import { planReframe } from '../core/reframe-plan'
import type { SizeId } from '../core/sizes'
import type { ImageBackend, Picture } from './render-recipe'
import { createRgbaImage, type RgbaImage } from './rgba-image'
import { nextTask } from './next-task'
import { salientSubjectBox } from './salient-subject'
import { scoreCrops, scoreMapOf, type ScoredCrop, type ScoreMap, type ScoreSettings } from './crop-scores'

/** A downscaled, opaque copy of a source for analysis, and its scale (analysis px per source px). */
export type AnalysisImage = { image: RgbaImage; scale: number }

/** smartcrop's own prescale target: the short side of the analysed image. */
const ANALYSIS_SHORT_SIDE = 256
/** ...and no more than this on the long side, so panoramas cost no more than a 2:1 photo. */
const ANALYSIS_LONG_SIDE_MAX = 512
/** Below this many analysis pixels on either side there is nothing meaningful to score. */
const MIN_ANALYSIS_SIDE = 16
/** smartcrop's default is 1.8; people are what a designer least wants cut, so skin counts far more. */
const SKIN_WEIGHT = 20
/** How much a 0..1 normalised score is worth against a window pushed fully to one side. */
const CENTRE_PRIOR = 0.25
/** Peak boost per saliency block; smartcrop multiplies boosts by its boostWeight (100). */
const SALIENCY_WEIGHT = 0.05
/** Room kept around a subject the window can hold, as a share of the subject's length (if there is room). */
const SUBJECT_MARGIN = 0.1

/**
 * The long edge to ask a backend's `analysis` for: short side 256 px (smartcrop's own working size),
 * long side at most 512 px, never enlarged. Backends size the copy with `fitWithin`.
 */
export function analysisMaxEdge(source: Size): number {
  const long = Math.max(source.width, source.height)
  return long * Math.min(1, ANALYSIS_SHORT_SIDE / Math.min(source.width, source.height), ANALYSIS_LONG_SIDE_MAX / long)
}

/**
 * The analysis image from a small straight-alpha copy of a `source`-sized picture, transparency
 * flattened onto white, so that the colour hidden under transparent pixels (which differs between
 * decoders) can never move the crop.
 */
export function analysisImageOf(small: RgbaImage, source: Size): AnalysisImage {
  const image = createRgbaImage(small.width, small.height)
  const src = small.data
  const dst = image.data
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3]
    const under = 255 - a
    dst[i] = (src[i] * a) / 255 + under
    dst[i + 1] = (src[i + 1] * a) / 255 + under
    dst[i + 2] = (src[i + 2] * a) / 255 + under
    dst[i + 3] = 255
  }
  return { image, scale: small.width / source.width }
}

/**
 * Each picture's analysis image from `backend`, made once however many crop windows are cut from it
 * (kept while the picture is).
 */
export function cropAnalyses(backend: Pick<ImageBackend, 'analysis'>): (picture: Picture) => Promise<AnalysisImage> {
  const made = new WeakMap<Picture, Promise<AnalysisImage>>()
  return (picture) => {
    let found = made.get(picture)
    if (found === undefined) {
      found = backend.analysis(picture, analysisMaxEdge(picture)).then((small) => analysisImageOf(small, picture))
      made.set(picture, found)
    }
    return found
  }
}

/**
 * smartcrop scores each candidate window; we add a mild preference for the centre (the strongest
 * prior in saliency research), so that content the scores barely separate is not cut off-centre.
 * Scores are normalised to 0..1 first so `weight` means the same on every image.
 */
function pickWithCentrePrior(crops: ScoredCrop[], width: number, height: number, weight: number): ScoredCrop {
  const totals = crops.map((c) => c.score.total)
  const min = Math.min(...totals)
  const range = Math.max(...totals) - min || 1
  let best = crops[0]
  let bestValue = -Infinity
  for (const crop of crops) {
    const dx = Math.abs(crop.x + crop.width / 2 - width / 2) / Math.max(1, (width - crop.width) / 2)
    const dy = Math.abs(crop.y + crop.height / 2 - height / 2) / Math.max(1, (height - crop.height) / 2)
    const value = (crop.score.total - min) / range - weight * Math.max(dx, dy)
    if (value > bestValue) {
      best = crop
      bestValue = value
    }
  }
  return best
}

/**
 * The best window of `size` inside a source of `sourceSize`, in source pixels (integers, exact size).
 * `analysis` may be given as a function: it is only asked for when the window has room to move, so a
 * window as large as the source is drawn without waiting for the analysis.
 */
export async function smartCropBox(analysis: AnalysisImage | (() => Promise<AnalysisImage>), sourceSize: Size, size: SizeId): Promise<Box> {
  // the window's size is the reframe plan's: the largest box of the size's shape inside the source
  const plan = planReframe({ layer: sourceSize, pixels: sourceSize, size, engine: 'crop', placement: 'center', frameMode: 'around' })
  const window = { width: plan.sourceBox.width, height: plan.sourceBox.height }
  const freeX = sourceSize.width - window.width
  const freeY = sourceSize.height - window.height
  const centred = { x: Math.floor(freeX / 2), y: Math.floor(freeY / 2), ...window }
  if (freeX === 0 && freeY === 0) return centred
  const analysed = typeof analysis === 'function' ? await analysis() : analysis
  const { image, scale } = analysed
  const cropWidth = Math.min(image.width, window.width * scale)
  const cropHeight = Math.min(image.height, window.height * scale)
  if (Math.min(image.width, image.height) < MIN_ANALYSIS_SIDE || cropWidth < 1 || cropHeight < 1) return centred
  const { map, settings } = await scoresOf(analysed)
  await nextTask()
  const topCrop = pickWithCentrePrior(scoreCrops(map, image, cropWidth, cropHeight, settings), image.width, image.height, CENTRE_PRIOR)
  // map the analysis window's centre back; the size stays the exact one computed above
  const x = Math.round((topCrop.x + topCrop.width / 2) / scale - window.width / 2)
  const y = Math.round((topCrop.y + topCrop.height / 2) / scale - window.height / 2)
  await nextTask()
  const subject = subjectOf(analysed)
  return {
    x: Math.max(0, Math.min(freeX, keepSubject(x, window.width, subject.x / scale, (subject.x + subject.width) / scale))),
    y: Math.max(0, Math.min(freeY, keepSubject(y, window.height, subject.y / scale, (subject.y + subject.height) / scale))),
    ...window
  }
}

/**
 * smartcrop judges windows by the mean interest inside them with a strong penalty near their edges;
 * on a busy subject (a cat's furry face) that mean barely changes when the window slides across an eye,
 * so its pick could cut one off. The salient-subject box settles that one question, along one axis:
 * - a window at least as long as the subject holds all of it (with a margin when there is room), at
 *   the offset nearest smartcrop's pick, so smartcrop still composes whatever room is left;
 * - a shorter window lies inside the subject (nearest smartcrop's pick), never half on the background.
 * A clamp, not a new score: where smartcrop already keeps the subject nothing moves.
 */
function keepSubject(offset: number, length: number, start: number, end: number): number {
  const size = end - start
  if (length < size) return Math.round(Math.max(start, Math.min(end - length, offset)))
  const margin = Math.min(SUBJECT_MARGIN * size, (length - size) / 2)
  return Math.round(Math.max(end + margin - length, Math.min(start - margin, offset)))
}

/** smartcrop's maps of one analysis image, with the settings they were made with (the same for every ratio). */
type Scores = { map: ScoreMap; settings: ScoreSettings }

const scores = new WeakMap<AnalysisImage, Promise<Scores>>()

function scoresOf(analysis: AnalysisImage): Promise<Scores> {
  let found = scores.get(analysis)
  if (found === undefined) {
    const settings: ScoreSettings = { skinWeight: SKIN_WEIGHT, boost: saliencyBoosts(analysis.image, SALIENCY_WEIGHT) }
    found = nextTask()
      .then(() => scoreMapOf(analysis.image, settings))
      .then((map) => ({ map, settings }))
    scores.set(analysis, found)
  }
  return found
}

/** The subject is the same for every ratio of one source: found once per analysis image. */
const subjects = new WeakMap<AnalysisImage, Box>()

function subjectOf(analysis: AnalysisImage): Box {
  let subject = subjects.get(analysis)
  if (!subject) {
    subject = salientSubjectBox(analysis.image)
    subjects.set(analysis, subject)
  }
  return subject
}

/**
 * Frequency-tuned saliency (Achanta et al. 2009) as smartcrop boosts: how far each block's blurred
 * colour is from the image's mean colour. Fine texture (fur, grass) averages out; distinct features
 * (eyes, a nose, a logo) stand out.
 */
function saliencyBoosts(image: RgbaImage, weight: number): CropBoost[] {
  const block = 8
  const { width, height, data } = image
  const count = width * height
  let meanR = 0
  let meanG = 0
  let meanB = 0
  for (let i = 0; i < data.length; i += 4) {
    meanR += data[i] / count
    meanG += data[i + 1] / count
    meanB += data[i + 2] / count
  }
  const boxes: Box[] = []
  const values: number[] = []
  for (let by = 0; by < height; by += block) {
    const bottom = Math.min(height, by + block)
    for (let bx = 0; bx < width; bx += block) {
      const right = Math.min(width, bx + block)
      // whole numbers: the sums are exact in any order
      let r = 0
      let g = 0
      let b = 0
      for (let y = by; y < bottom; y++) {
        for (let p = (y * width + bx) * 4, end = (y * width + right) * 4; p < end; p += 4) {
          r += data[p]
          g += data[p + 1]
          b += data[p + 2]
        }
      }
      const n = (right - bx) * (bottom - by)
      values.push(Math.hypot(r / n - meanR, g / n - meanG, b / n - meanB))
      boxes.push({ x: bx, y: by, width: right - bx, height: bottom - by })
    }
  }
  let max = 0
  for (const value of values) max = Math.max(max, value)
  max = max || 1
  return boxes.map((box, i) => ({ ...box, weight: (values[i] / max) * weight }))
}
