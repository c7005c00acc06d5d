// The offline engine on pixels: smart crop, or fill (blur pad / edge gradient) around the untouched
// source. Platform-free: codecs decode to and encode from the RgbaImage this returns.
import type { Box, Placement, RatioId } from '../core/ratios'
import type { Settings } from '../protocol/settings'
import { drawBlurBackdrop } from './blur-fill'
import { drawEdgeGradient } from './edge-fill'
import { alignOffset, capLongEdge, fillFrameSize, MAX_OUTPUT_EDGE } from './frame-geometry'
import { marginBoxes } from './margins'
import { toRgba } from './premultiplied-image'
import { resampleArea, shrinkToPremultiplied } from './resample'
import { createRgbaImage, cropRgba, pasteRgba, type RgbaImage } from './rgba-image'
import { createAnalysisImage, smartCropBox, type AnalysisImage } from './smart-crop'

export type LocalMode = Settings['localMode']
export type LocalFill = Settings['localFill']

export type ReframeRgbaOptions = {
  mode: LocalMode
  fill: LocalFill
  /** Where the source sits along the extended axis (fill mode). */
  placement?: Placement
  /** Output long-edge cap in px. */
  maxEdge?: number
}

/** A decoded source plus what every ratio reuses: its analysis copy (crop) and small copy (blur). */
export type PreparedSource = {
  image: RgbaImage
  analysis: AnalysisImage
  /** Downscaled, straight alpha, transparency kept: what the blur backdrop is made from. */
  small: RgbaImage
}

export function prepareSource(image: RgbaImage): PreparedSource {
  const analysis = createAnalysisImage(image)
  const small =
    analysis.scale === 1
      ? image
      : toRgba(
          shrinkToPremultiplied(image, { x: 0, y: 0, width: image.width, height: image.height }, analysis.image.width, analysis.image.height)
        )
  return { image, analysis, small }
}

/** One output of `ratio` (exact within 1 px, long edge at most `maxEdge`). */
export async function reframeRgba(source: PreparedSource, ratio: RatioId, options: ReframeRgbaOptions): Promise<RgbaImage> {
  const maxEdge = options.maxEdge ?? MAX_OUTPUT_EDGE
  if (options.mode === 'crop') {
    const box = await smartCropBox(source.analysis, source.image, ratio)
    return cropToSize(source.image, box, capLongEdge(box, ratio, maxEdge))
  }
  return fillFrame(source, ratio, options.fill, options.placement ?? 'center', maxEdge)
}

/** `box` of `image` at `size` (the same size, or smaller when capped; crop mode never upscales). */
function cropToSize(image: RgbaImage, box: Box, size: { width: number; height: number }): RgbaImage {
  if (size.width === box.width && size.height === box.height) return cropRgba(image, box)
  return toRgba(shrinkToPremultiplied(image, box, size.width, size.height))
}

function fillFrame(source: PreparedSource, ratio: RatioId, fill: LocalFill, placement: Placement, maxEdge: number): RgbaImage {
  const { image } = source
  const fullFrame = fillFrameSize(image, ratio)
  const frameSize = capLongEdge(fullFrame, ratio, maxEdge)
  const scale = frameSize.width >= frameSize.height ? frameSize.width / fullFrame.width : frameSize.height / fullFrame.height
  const placedWidth = Math.max(1, Math.min(frameSize.width, Math.round(image.width * scale)))
  const placedHeight = Math.max(1, Math.min(frameSize.height, Math.round(image.height * scale)))
  const placedImage = scale === 1 ? image : resampleArea(image, placedWidth, placedHeight)
  const placed: Box = {
    x: alignOffset(frameSize.width - placedWidth, placement),
    y: alignOffset(frameSize.height - placedHeight, placement),
    width: placedWidth,
    height: placedHeight
  }
  const frame = createRgbaImage(frameSize.width, frameSize.height)
  pasteRgba(frame, placedImage, placed.x, placed.y)
  const margins = marginBoxes(frame, placed)
  if (fill === 'edge') drawEdgeGradient(frame, placed, margins)
  else drawBlurBackdrop(frame, source.small, image, fullFrame, margins)
  return frame
}
