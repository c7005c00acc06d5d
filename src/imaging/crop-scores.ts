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
  importance(options: SmartcropOptions, crop: { x: number; y: number; width: number; height: number }, x: number, y: number): number
  _downSample(input: { width: number; height: number; data: Uint8ClampedArray }, factor: number): { width: number; height: number; data: Uint8ClampedArray }
  crop(image: unknown, options: Partial<SmartcropOptions> & { imageOperations: ImageOperations; debug: true }): Promise<{ debugOutput: { width: number; height: number; data: Uint8ClampedArray } }>
}

type SmartcropOptions = {
  width: number
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
  const scale = Math.min(size.width / width, size.height / height)
  const cropWidth = ~~(width * scale)
  const cropHeight = ~~(height * scale)
  const minScale = Math.min(options.maxScale, Math.max(1 / scale, options.minScale))
  const crops: ScoredCrop[] = []
  for (let s = options.maxScale; s >= minScale; s -= options.scaleStep) {
    for (let y = 0; y + cropHeight * s <= size.height; y += options.step) {
      for (let x = 0; x + cropWidth * s <= size.width; x += options.step) {
        const crop = { x, y, width: cropWidth * s, height: cropHeight * s }
        crops.push({ ...crop, score: { total: scoreOf(options, map, crop) } })
      }
    }
  }
  return crops
}

/** smartcrop's score(): importance-weighted detail, skin, saturation and boost, per window area. */
function scoreOf(options: SmartcropOptions, map: ScoreMap, crop: { x: number; y: number; width: number; height: number }): number {
  let detailSum = 0
  let skinSum = 0
  let saturationSum = 0
  let boostSum = 0
  const od = map.data
  const downSample = map.factor
  const invDownSample = 1 / downSample
  const outputHeightDownSample = map.height * downSample
  const outputWidthDownSample = map.width * downSample
  for (let y = 0; y < outputHeightDownSample; y += downSample) {
    for (let x = 0; x < outputWidthDownSample; x += downSample) {
      const p = (~~(y * invDownSample) * map.width + ~~(x * invDownSample)) * 4
      const i = library.importance(options, crop, x, y)
      const detail = od[p + 1] / 255
      skinSum += (od[p] / 255) * (detail + options.skinBias) * i
      detailSum += detail * i
      saturationSum += (od[p + 2] / 255) * (detail + options.saturationBias) * i
      boostSum += (od[p + 3] / 255) * i
    }
  }
  return (
    (detailSum * options.detailWeight + skinSum * options.skinWeight + saturationSum * options.saturationWeight + boostSum * options.boostWeight) /
    (crop.width * crop.height)
  )
}
