// What both backends draw for one layer, in whole pixels: the region read, the box it lands in, the
// part of that box inside the output, and the reduced copy a blur works on. One plan, so that canvas
// and sharp draw the same boxes and blur the same small copies.
import type { Size } from '../core/ratios'
import type { Edge, Layer } from './render-recipe'

/** A rectangle in whole pixels. */
export type PixelBox = { x: number; y: number; width: number; height: number }

/** A blur done on a copy reduced to `width` x `height`, with `sigma` in that copy's pixels. */
export type BlurPlan = { width: number; height: number; sigma: number }

export type LayerPlan = {
  layer: Layer
  /** `from`, snapped and clamped to the picture (at least 1 px). */
  source: PixelBox
  /** `to`, snapped (at least 1 px); may reach outside the output. */
  target: PixelBox
  /** The part of `target` inside the output, in output pixels. */
  visible: PixelBox
  blur?: BlurPlan
  brightness: number
}

/** Blur sigma, in pixels of the reduced copy: a few pixels per sigma is plenty for a copy scaled up again. */
const REDUCED_SIGMA = 3

/** The plan of `layer` drawn from a `picture`-sized input into an `output`-sized image; null when nothing shows. */
export function planLayer(layer: Layer, picture: Size, output: Size): LayerPlan | null {
  const source = clampBox(snapBox(layer.from), picture)
  const target = snapBox(layer.to)
  const x0 = Math.max(0, target.x)
  const y0 = Math.max(0, target.y)
  const x1 = Math.min(output.width, target.x + target.width)
  const y1 = Math.min(output.height, target.y + target.height)
  if (source === null || x1 <= x0 || y1 <= y0) return null
  const plan: LayerPlan = {
    layer,
    source,
    target,
    visible: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 },
    brightness: Math.max(0, Math.min(1, layer.brightness ?? 1))
  }
  if (layer.blur !== undefined && layer.blur > 0) plan.blur = planBlur(layer.blur, target)
  return plan
}

/** The reduced copy for a blur of `sigma` output pixels over `target`: full size for small blurs. */
export function planBlur(sigma: number, target: Size): BlurPlan {
  if (sigma <= REDUCED_SIGMA) return { width: target.width, height: target.height, sigma }
  const scale = REDUCED_SIGMA / sigma
  const width = Math.max(1, Math.round(target.width * scale))
  const height = Math.max(1, Math.round(target.height * scale))
  // the sigma in the copy's own pixels, along its more reduced axis
  return { width, height, sigma: sigma * Math.min(width / target.width, height / target.height) }
}

/** Feather alpha 0..1 at output pixel (x, y) of a layer landing in `target`: the product of the edge ramps. */
export function featherRamps(layer: Layer, target: PixelBox, visible: PixelBox): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(visible.width).fill(1)
  const y = new Float32Array(visible.height).fill(1)
  const feather = layer.feather
  if (feather === undefined || feather.width <= 0) return { x, y }
  for (const edge of feather.edges) {
    const w = featherWidth(feather, edge)
    const ramp = edge === 'left' || edge === 'right' ? x : y
    const start = edge === 'left' || edge === 'right' ? visible.x : visible.y
    for (let i = 0; i < ramp.length; i++) {
      const centre = start + i + 0.5
      const distance =
        edge === 'left'
          ? centre - target.x
          : edge === 'right'
            ? target.x + target.width - centre
            : edge === 'top'
              ? centre - target.y
              : target.y + target.height - centre
      ramp[i] *= Math.max(0, Math.min(1, distance / w))
    }
  }
  return { x, y }
}

/** The ramp's width at `edge`: `height` for the top and bottom edges when the layer gives one. */
export function featherWidth(feather: NonNullable<Layer['feather']>, edge: Edge): number {
  return edge === 'top' || edge === 'bottom' ? (feather.height ?? feather.width) : feather.width
}

function snapBox(box: { x: number; y: number; width: number; height: number }): PixelBox {
  const x = Math.round(box.x)
  const y = Math.round(box.y)
  return {
    x,
    y,
    width: Math.max(1, Math.round(box.x + box.width) - x),
    height: Math.max(1, Math.round(box.y + box.height) - y)
  }
}

function clampBox(box: PixelBox, size: Size): PixelBox | null {
  const x0 = Math.max(0, Math.min(size.width - 1, box.x))
  const y0 = Math.max(0, Math.min(size.height - 1, box.y))
  const x1 = Math.max(x0 + 1, Math.min(size.width, box.x + box.width))
  const y1 = Math.max(y0 + 1, Math.min(size.height, box.y + box.height))
  if (size.width < 1 || size.height < 1) return null
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}
