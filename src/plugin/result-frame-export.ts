// How a result frame exports: at exactly the pixels it is for (a preset's, or its result's own), with
// Figma's own export setting, so selecting results and pressing Export gives the handoff files. Pure
// over sizes: Figma sizes an export with one scale and rounds each side on its own.
import { readImageHeader } from '../core/image-header'
import type { Size } from '../core/ratios'
import { isPresetId, type SizeId } from '../core/sizes'

/**
 * A frame of exactly the shape of the pixels it exports at. The plan rounds each side of a frame up to
 * 1/100 unit on its own, so a WIDTH export can land a pixel short on the other side (a story frame of
 * 18.57x33 at 1080 px wide is 1919 px tall). One side grows by that rounding, never shrinks, so that
 * width / height is exactly the preset's and Figma's rounding of each side gives its pixels.
 */
export function exactShapeFrame(frame: Size, exported: Size): Size {
  if (frame.width * exported.height > frame.height * exported.width) return { width: frame.width, height: (frame.width * exported.height) / exported.width }
  return { width: (frame.height * exported.width) / exported.height, height: frame.height }
}

/**
 * The frame on whole pixels, as designers expect (600x1067, not 600x1066.67): each side rounded down
 * or up (by up to one more pixel), nearest first, the first that still exports at exactly `exported`
 * pixels. The fill is FILL
 * scaled, so a side a fraction of a pixel off crops a fraction of a pixel of the picture: invisible.
 * When no whole size exports exactly (a frame of a few units for a large preset), the frame stays as
 * planned: the exported pixels matter more than whole units.
 */
export function wholePixelFrame(frame: Size, exported: Size): Size {
  if (Number.isInteger(frame.width) && Number.isInteger(frame.height)) return { ...frame }
  const sides = (value: number) => [Math.floor(value) - 1, Math.floor(value), Math.ceil(value), Math.ceil(value) + 1].filter((side, i, all) => side >= 1 && all.indexOf(side) === i)
  const candidates = sides(frame.width).flatMap((width) => sides(frame.height).map((height) => ({ width, height })))
  const off = (size: Size) => Math.abs(size.width - frame.width) + Math.abs(size.height - frame.height)
  candidates.sort((a, b) => off(a) - off(b))
  const lands = (size: Size) => {
    const pixels = exportedPixels(size, exactConstraint(size, exported))
    return pixels.width === exported.width && pixels.height === exported.height
  }
  return candidates.find(lands) ?? { ...frame }
}

/** The frame a planned result gets, on whole pixels where it exports exactly: a preset's of exactly the preset's shape, a ratio's as planned. */
export function resultFrameSize(planned: { size: SizeId; frame: Size; exported: Size }): Size {
  return wholePixelFrame(isPresetId(planned.size) ? exactShapeFrame(planned.frame, planned.exported) : planned.frame, planned.exported)
}

/** Export pixels of a `frame` under a constraint, as Figma computes them: one scale, each side rounded on its own. */
export function exportedPixels(frame: Size, constraint: ExportSettingsConstraints): Size {
  const scale = constraint.type === 'SCALE' ? constraint.value : constraint.type === 'WIDTH' ? constraint.value / frame.width : constraint.value / frame.height
  return { width: Math.max(1, Math.round(frame.width * scale)), height: Math.max(1, Math.round(frame.height * scale)) }
}

/**
 * The constraint that exports `frame` at exactly `exported` pixels: WIDTH, else HEIGHT, else a scale
 * that lands both sides (a frame a hair off the shape, a ratio's frame around a result whose pixels
 * were rounded); WIDTH when none can, the nearest there is.
 */
export function exactConstraint(frame: Size, exported: Size): ExportSettingsConstraints {
  const lands = (constraint: ExportSettingsConstraints) => {
    const pixels = exportedPixels(frame, constraint)
    return pixels.width === exported.width && pixels.height === exported.height
  }
  const width: ExportSettingsConstraints = { type: 'WIDTH', value: exported.width }
  const height: ExportSettingsConstraints = { type: 'HEIGHT', value: exported.height }
  if (lands(width)) return width
  if (lands(height)) return height
  // the scales that round each side to its pixels, [low, high): both at once where they overlap
  const low = Math.max((exported.width - 0.5) / frame.width, (exported.height - 0.5) / frame.height)
  const high = Math.min((exported.width + 0.5) / frame.width, (exported.height + 0.5) / frame.height)
  const scale: ExportSettingsConstraints = { type: 'SCALE', value: (low + high) / 2 }
  return low < high && lands(scale) ? scale : width
}

/** The export setting that gives the file of a `frame` exactly `exported` pixels, in the result's own format. */
export function exportSettingFor(bytes: Uint8Array, exported: Size, frame: Size): ExportSettingsImage {
  const format = readImageHeader(bytes)?.format === 'jpeg' ? 'JPG' : 'PNG'
  return { format, suffix: '', constraint: exactConstraint(frame, exported) }
}
