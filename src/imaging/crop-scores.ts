// smartcrop's judgement split in two: the per-pixel maps (detail, skin, saturation, boosts), made once
// per analysis image by smartcrop itself, and then, for each window size a source is cut to, every
// window scored on those maps exactly as smartcrop 2.0's crop() scores them. Every ratio of a source
// reuses the maps, which are most of the work.
import smartcrop, { type CropBoost } from 'smartcrop'
import type { RgbaImage } from './rgba-image'

/** smartcrop's per-pixel maps, reduced as it reduces them for scoring (one pixel per 8 x 8). */
export type ScoreMap = { width: number; height: number; data: Uint8ClampedArray; factor: number }

/** A candidate window, in analysis pixels, and its score (smartcrop's shape). */
export type ScoredCrop = { x: number; y: number; width: number; height: number; score: { total: number } }

export type ScoreSettings = { skinWeight: number; boost: CropBoost[] }

type ImageOperations = {
  open: (image: RgbaImage) => Promise<RgbaImage>
  resample: (image: RgbaImage, width: number, height: number) => Promise<RgbaImage>
  getData: (image: RgbaImage) => Promise<RgbaImage>
}

/** The parts of smartcrop 2.0 its type declarations leave out. */
type SmartcropInternals = {
  DEFAULTS: SmartcropOptions
  _downSample(input: { width: number; height: number; data: Uint8ClampedArray }, factor: number): { width: number; height: number; data: Uint8ClampedArray }
  crop(image: unknown, options: Partial<SmartcropOptions> & { imageOperations: ImageOperations; debug: true }): Promise<{ debugOutput: { width: number; height: number; data: Uint8ClampedArray } }>
}

type SmartcropOptions = {
  width: number
  edgeRadius: number
  edgeWeight: number
  outsideImportance: number
  height: number
  minScale: number
  maxScale: number
  scaleStep: number
  step: number
  scoreDownSample: number
  detailWeight: number
  skinWeight: number
  skinBias: number
  saturationWeight: number
  saturationBias: number
  boostWeight: number
  ruleOfThirds: boolean
  prescale: boolean
  boost?: CropBoost[]
}

const library = smartcrop as unknown as SmartcropInternals

// The images are already small: smartcrop must neither open a canvas nor resample.
const bufferOperations: ImageOperations = {
  open: (image) => Promise.resolve(image),
  resample: () => Promise.reject(new Error('smartcrop resample is disabled: analysis images are prepared already')),
  getData: (image) => Promise.resolve(image)
}

function optionsFor(settings: ScoreSettings): SmartcropOptions {
  return { ...library.DEFAULTS, minScale: 1, prescale: false, skinWeight: settings.skinWeight, boost: settings.boost, ruleOfThirds: false }
}

/** smartcrop's maps of `image`: one smartcrop run over a single window (the whole image), kept for scoring. */
export async function scoreMapOf(image: RgbaImage, settings: ScoreSettings): Promise<ScoreMap> {
  const options = optionsFor(settings)
  const result = await library.crop(image, { ...options, width: image.width, height: image.height, imageOperations: bufferOperations, debug: true })
  const reduced = library._downSample(result.debugOutput, options.scoreDownSample)
  return { ...reduced, factor: options.scoreDownSample }
}

/**
 * Every window smartcrop would try for a `width` x `height` crop of a `size`-sized image, each with
 * smartcrop's score (its generateCrops and score, step for step, so the numbers are its own).
 */
export function scoreCrops(map: ScoreMap, size: { width: number; height: number }, width: number, height: number, settings: ScoreSettings): ScoredCrop[] {
  const options = optionsFor(settings)
  const terms = termsOf(map, options)
  const scale = Math.min(size.width / width, size.height / height)
  const cropWidth = ~~(width * scale)
  const cropHeight = ~~(height * scale)
  const minScale = Math.min(options.maxScale, Math.max(1 / scale, options.minScale))
  const crops: ScoredCrop[] = []
  for (let s = options.maxScale; s >= minScale; s -= options.scaleStep) {
    for (let y = 0; y + cropHeight * s <= size.height; y += options.step) {
      for (let x = 0; x + cropWidth * s <= size.width; x += options.step) {
        const crop = { x, y, width: cropWidth * s, height: cropHeight * s }
        crops.push({ ...crop, score: { total: scoreOf(options, terms, crop) } })
      }
    }
  }
  return crops
}

/**
 * What smartcrop's score() multiplies by each cell's importance, worked out once per map instead of
 * once per window (the same operations in the same order, so the same numbers): the cells' detail,
 * skin, saturation and boost terms, and the position (in analysis pixels) each cell is judged at.
 */
type ScoreTerms = { xs: Float64Array; ys: Float64Array; detail: Float64Array; skin: Float64Array; saturation: Float64Array; boost: Float64Array }

function termsOf(map: ScoreMap, options: SmartcropOptions): ScoreTerms {
  const count = map.width * map.height
  const terms: ScoreTerms = {
    xs: new Float64Array(count),
    ys: new Float64Array(count),
    detail: new Float64Array(count),
    skin: new Float64Array(count),
    saturation: new Float64Array(count),
    boost: new Float64Array(count)
  }
  const od = map.data
  for (let cell = 0, p = 0; cell < count; cell++, p += 4) {
    const detail = od[p + 1] / 255
    terms.xs[cell] = (cell % map.width) * map.factor
    terms.ys[cell] = Math.floor(cell / map.width) * map.factor
    terms.detail[cell] = detail
    terms.skin[cell] = (od[p] / 255) * (detail + options.skinBias)
    terms.saturation[cell] = (od[p + 2] / 255) * (detail + options.saturationBias)
    terms.boost[cell] = od[p + 3] / 255
  }
  return terms
}

/**
 * smartcrop's score(): importance-weighted detail, skin, saturation and boost, per window area, with
 * its importance() written out in the loop (rule of thirds off, as optionsFor sets it).
 */
function scoreOf(options: SmartcropOptions, terms: ScoreTerms, crop: { x: number; y: number; width: number; height: number }): number {
  const { xs, ys, detail, skin, saturation, boost } = terms
  const { x: left, y: top, width, height } = crop
  const right = left + width
  const bottom = top + height
  const { outsideImportance, edgeRadius, edgeWeight } = options
  let detailSum = 0
  let skinSum = 0
  let saturationSum = 0
  let boostSum = 0
  for (let cell = 0; cell < xs.length; cell++) {
    const x = xs[cell]
    const y = ys[cell]
    let i = outsideImportance
    if (!(left > x || x >= right || top > y || y >= bottom)) {
      const px = Math.abs(0.5 - (x - left) / width) * 2
      const py = Math.abs(0.5 - (y - top) / height) * 2
      const dx = Math.max(px - 1.0 + edgeRadius, 0)
      const dy = Math.max(py - 1.0 + edgeRadius, 0)
      const d = (dx * dx + dy * dy) * edgeWeight
      const s = 1.41 - Math.sqrt(px * px + py * py)
      i = s + d
    }
    skinSum += skin[cell] * i
    detailSum += detail[cell] * i
    saturationSum += saturation[cell] * i
    boostSum += boost[cell] * i
  }
  return (
    (detailSum * options.detailWeight + skinSum * options.skinWeight + saturationSum * options.saturationWeight + boostSum * options.boostWeight) /
    (crop.width * crop.height)
  )
}
