// The one reframe plan: for a source (its layer size on the canvas and its exported pixels) and a
// size (a ratio or a platform preset), everything the rest of the product reads: the frame on the
// canvas, the pixels of the image that fills it and of its export, where the source's own pixels sit,
// and for hosted engines which native ratio to ask for, the box to send and the crop of the result.
// The size picker, the cost line, the pipeline, the CLI, result preparation and placement all read it.
// When the layer shows part of a larger photo, real pixels come first: a frame inside the photo needs
// no job at all, and a job is given the larger real region so that only what is missing is generated.
import { MAX_IMAGE_EDGE } from './image-header'
import { planRealRegion, type RealPixels } from './real-region'
import { NATIVE_OUTPUT_SIZES, nativeRatioForAspect, type Box, type NativeRatio, type Placement, type Size } from './ratios'
import { safeFractions, sizeAspect, sizePixels, type SafeInsets, type SizeId } from './sizes'


/** Outpaint with a hosted model, fill the new area offline, or crop the best window offline. */
export type Engine = 'hosted' | 'fill' | 'crop'

/** The frame around the original at its canvas scale, or the frame at its exact output pixels. */
export type FrameMode = 'around' | 'exact'

export type PlanInput = {
  /** The source layer's size on the canvas. */
  layer: Size
  /** The exported source's pixels (what the engine and the host receive). */
  pixels: Size
  size: SizeId
  engine: Engine
  placement: Placement
  frameMode: FrameMode
  /**
   * The whole image the layer shows part of, in layer units with the layer at (0, 0, width, height)
   * (core/visible-image.ts): real pixels around the layer. The frame is still planned around the layer.
   */
  available?: Box
}

export type HostedPlan = {
  /** The ratio the model is asked for. */
  native: NativeRatio
  /** The image it is expected to generate (reported sizes; the real result is measured, never assumed). */
  generated: Size
  /** Where the source should sit in the generated image (x_start, x_end, y_start, y_end), its pixels. */
  sourceBox: Box
  /** The region of the generated image that becomes the frame (the rest is generated margin only). */
  crop: Box
}

export type ReframePlan = {
  size: SizeId
  /** Width / height of the size. */
  aspect: number
  /** The frame on the canvas (canvas units): around the source, or a preset's exact pixels when asked. */
  frame: Size
  /** Pixels of the image that fills the frame. */
  output: Size
  /** Pixels the frame exports at: a preset's exact pixels, otherwise the output's. */
  exported: Size
  /**
   * Fill and hosted: where the source's own pixels go in the output (output pixels). Crop: the
   * window's size in the source's pixels (where it sits is chosen by the picture's content).
   */
  sourceBox: Box
  /** The area of the output to keep key content in (output pixels); the whole output when the size has none. */
  safeArea: Box
  /** Output pixels per source pixel in the source's region (above 1: the source is enlarged). */
  upscale: number
  /**
   * `run`: the engine makes the output. `none`: the real image covers the whole frame, the output is a
   * crop of it (`real`), and no engine, upload or host is involved.
   */
  job: 'run' | 'none'
  /**
   * Where real pixels around the layer go: the whole output (`job: 'none'`), or the larger real region
   * the engine is given as its source (then `sourceBox` is that region). Absent when there are none.
   */
  real?: RealPixels
  /** Present for the hosted engine when a job runs. */
  hosted?: HostedPlan
}

function checkedSize(what: string, size: Size): void {
  if (!(size.width > 0 && size.height > 0 && Number.isFinite(size.width) && Number.isFinite(size.height))) {
    throw new RangeError(`${what} must have a size to be reframed (got ${size.width}×${size.height})`)
  }
}

/** Offset of something `free` units smaller than its container, at `placement`. */
function alignAlong(free: number, placement: Placement): number {
  if (placement === 'start') return 0
  if (placement === 'end') return free
  return free / 2
}

/** Rounded up to 1/100 unit so a frame is never a hair smaller than what it must hold. */
function ceilHundredth(value: number): number {
  return Math.ceil(value * 100 - 1e-6) / 100
}

/** `size` scaled so neither side exceeds `maxEdge` (both shrink together); never enlarged. */
export function fitWithin(size: Size, maxEdge: number): Size {
  const scale = Math.min(1, maxEdge / Math.max(size.width, size.height))
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) }
}

/** The largest box of `aspect` inside `outer` (contain). */
function containedSize(outer: Size, aspect: number): Size {
  return outer.width / outer.height > aspect
    ? { width: outer.height * aspect, height: outer.height }
    : { width: outer.width, height: outer.width / aspect }
}

/** The smallest frame of `aspect` whose safe area (insets as fractions of the frame) holds `inner` whole. */
function frameHolding(inner: Size, aspect: number, safe: SafeInsets): Size {
  const height = Math.max(inner.height / (1 - safe.top - safe.bottom), inner.width / ((1 - safe.left - safe.right) * aspect))
  return { width: height * aspect, height }
}

function safeBox(frame: Size, safe: SafeInsets): Box {
  return {
    x: frame.width * safe.left,
    y: frame.height * safe.top,
    width: frame.width * (1 - safe.left - safe.right),
    height: frame.height * (1 - safe.top - safe.bottom)
  }
}

function scaleBox(box: Box, k: number): Box {
  return { x: box.x * k, y: box.y * k, width: box.width * k, height: box.height * k }
}

/** The box a source of `aspect` occupies when fitted inside `frame` (contain) at `placement`. */
export function fitBox(frame: Size, aspect: number, placement: Placement = 'center'): Box {
  return placeIn({ x: 0, y: 0, ...frame }, containedSize(frame, aspect), placement)
}

/**
 * `inner` placed inside `area` at `placement` on both axes (only one has room when nothing else is
 * asked); on whole units when `snap`.
 */
function placeIn(area: Box, inner: Size, placement: Placement, snap = false): Box {
  const x = area.x + alignAlong(area.width - inner.width, placement)
  const y = area.y + alignAlong(area.height - inner.height, placement)
  return { x: snap ? Math.floor(x + 1e-6) : x, y: snap ? Math.floor(y + 1e-6) : y, width: inner.width, height: inner.height }
}

export function planReframe(input: PlanInput): ReframePlan {
  const { layer, pixels, size, placement } = input
  checkedSize('A source layer', layer)
  checkedSize('A source image', pixels)
  const aspect = sizeAspect(size)
  const exact = sizePixels(size)
  const density = pixels.width / layer.width
  const safe = safeFractions(size)

  if (input.engine === 'crop') return planCrop(input, aspect)

  // the frame around the source at its canvas scale, the source whole inside its safe area
  const around = frameHolding(layer, aspect, safe)
  const atDensity = { width: around.width * density, height: around.height * density }
  const cap = Math.min(1, MAX_IMAGE_EDGE / Math.max(atDensity.width, atDensity.height))
  // a ratio keeps the source at its own pixels (whole ones, copied, never resampled) unless the
  // 4096 px limit shrinks everything; a preset has its exact pixels and the source is fitted in
  const keepsPixels = exact === undefined && cap === 1
  const output =
    exact ??
    (keepsPixels
      ? { width: Math.max(pixels.width, Math.round(atDensity.width)), height: Math.max(pixels.height, Math.round(atDensity.height)) }
      : fitWithin({ width: Math.round(atDensity.width), height: Math.round(atDensity.height) }, MAX_IMAGE_EDGE))
  // only a preset has exact pixels to give the frame; a ratio's frame always sits around the source
  const frame = input.frameMode === 'exact' && exact !== undefined ? { ...exact } : { width: ceilHundredth(around.width), height: ceilHundredth(around.height) }

  // in output pixels: the safe area, and the source placed in it
  const safeArea = safeBox(output, safe)
  const sourceSize = keepsPixels
    ? pixels
    : exact === undefined
      ? { width: pixels.width * cap, height: pixels.height * cap }
      : containedSize(safeArea, layer.width / layer.height)
  const visible = placeIn(safeArea, sourceSize, placement, keepsPixels)
  const base = { size, aspect, frame, output, exported: { ...output }, safeArea, upscale: visible.width / pixels.width }

  if (input.available !== undefined) checkedSize('The image around a layer', input.available)
  const real = input.available === undefined ? undefined : planRealRegion(input.available, layer, output, visible)
  if (real?.whole) return { ...base, sourceBox: real.box, job: 'none', real: { box: real.box, from: real.from } }
  // the engine's source: the larger real region when there is one, otherwise what the layer shows
  const sourceBox = real?.box ?? visible
  return {
    ...base,
    sourceBox,
    job: 'run',
    ...(real !== undefined ? { real: { box: real.box, from: real.from } } : {}),
    ...(input.engine === 'hosted' ? { hosted: planHosted(output, sourceBox, aspect, placement) } : {})
  }
}

/**
 * The native image that holds the whole frame: the smallest box of the native ratio around it, the
 * frame placed in it like the source in the frame. Cropping the frame back out removes generated
 * margin only, because the source lies inside the frame.
 */
function planHosted(output: Size, sourceBox: Box, aspect: number, placement: Placement): HostedPlan {
  const native = nativeRatioForAspect(aspect, sourceBox.width / sourceBox.height)
  const generated = NATIVE_OUTPUT_SIZES[native]
  const nativeAspect = generated.width / generated.height
  const frame = output
  const holder = nativeAspect >= frame.width / frame.height ? { width: frame.height * nativeAspect, height: frame.height } : { width: frame.width, height: frame.width / nativeAspect }
  const frameInHolder = placeIn({ x: 0, y: 0, ...holder }, frame, placement)
  const k = generated.width / holder.width
  const crop = scaleBox(frameInHolder, k)
  return {
    native,
    generated: { ...generated },
    sourceBox: scaleBox({ ...sourceBox, x: sourceBox.x + frameInHolder.x, y: sourceBox.y + frameInHolder.y }, k),
    crop: { x: crop.x, y: crop.y, width: Math.min(crop.width, generated.width - crop.x), height: Math.min(crop.height, generated.height - crop.y) }
  }
}

/**
 * Smart crop: the largest window of the size inside the source, at the source's own pixels (never
 * enlarged, at most 4096 px a side). A preset still exports at its exact pixels; when the window is
 * smaller, `upscale` says by how much. The image around the layer is not used: a crop invents nothing.
 */
function planCrop(input: PlanInput, aspect: number): ReframePlan {
  const { layer, pixels, size } = input
  const window = containedSize(pixels, aspect)
  const windowPixels = { width: Math.max(1, Math.round(window.width)), height: Math.max(1, Math.round(window.height)) }
  const output = fitWithin(windowPixels, MAX_IMAGE_EDGE)
  const exported = sizePixels(size) ?? output
  const canvasWindow = containedSize(layer, aspect)
  const frame =
    input.frameMode === 'exact' && sizePixels(size) !== undefined
      ? { ...exported }
      : { width: ceilHundredth(canvasWindow.width), height: ceilHundredth(canvasWindow.height) }
  return {
    size,
    aspect,
    frame,
    output,
    exported,
    sourceBox: { x: 0, y: 0, ...windowPixels },
    safeArea: safeBox(output, safeFractions(size)),
    upscale: exported.width / windowPixels.width,
    job: 'run'
  }
}
