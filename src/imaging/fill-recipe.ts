// Fill as a recipe: the whole source, untouched, in the smallest frame of the ratio, and the new area
// made to look designed rather than padded:
// - blur: a blurred, darkened cover of the photo behind it, and a soft bleed at each seam (the photo's
//   edge reflected outwards, slightly blurred, fading into the backdrop), so the two meet without a step;
// - edge: the photo's edges reflected outwards, sharp at the seam and ever softer and darker with distance,
//   over a backdrop like blur's: the picture seems to continue, with no streaks at extreme ratios.
import type { Box, Placement, Size } from '../core/ratios'
import type { Settings } from '../protocol/settings'
import { planReframe } from '../core/reframe-plan'
import type { SizeId } from '../core/sizes'
import type { Edge, Layer, RenderRecipe } from './render-recipe'

export type FillStyle = Settings['localFill']

export type FillOptions = {
  style: FillStyle
  placement: Placement
  format: RenderRecipe['format']
}

/** Backdrop blur, as a share of the frame's long edge (a Gaussian sigma): the photo as colour, not detail. */
const BACKDROP_BLUR = 0.035
const BACKDROP_BRIGHTNESS = 0.7
/**
 * Blur mode: depth of the bleed band beyond each seam, as a share of the frame's long edge. The band is
 * an unblurred reflection: continuous with the photo at the seam (a blurred one already steps there).
 */
const BLEED_DEPTH = 0.03
/**
 * Edge mode: a sharp reflection fading out within this share of the frame's long edge, over a blurred
 * one (this blur) fading out over the whole margin: the further from the seam, the softer.
 */
const MIRROR_NEAR_DEPTH = 0.1
const MIRROR_FAR_BLUR = 0.02
const MIRROR_FAR_BRIGHTNESS = 0.85
const EDGE_BACKDROP_BRIGHTNESS = 0.75

/** Where the source lands in a fill frame of `size`, by the reframe plan (whole pixels when kept 1:1). */
export function fillPlacement(source: Size, size: SizeId, placement: Placement): { frame: Size; placed: Box } {
  const plan = planReframe({ layer: source, pixels: source, size, engine: 'fill', placement, frameMode: 'around' })
  return { frame: plan.output, placed: plan.sourceBox }
}

/** What a fill needs to know of its source: its size, and whether it can be transparent anywhere. */
export type FillSource = Size & { hasAlpha?: boolean }

/** The fill of `size` for a source, laid out as the reframe plan says. */
export function fillRecipe(source: FillSource, size: SizeId, options: FillOptions): RenderRecipe {
  const { frame, placed } = fillPlacement(source, size, options.placement)
  return fillRecipeAt(source, frame, placed, options)
}

/** The fill with the source at `placed` in an output of `frame` pixels (both from a reframe plan). */
export function fillRecipeAt(source: FillSource, frame: Size, placed: Box, options: Pick<FillOptions, 'style' | 'format'>): RenderRecipe {
  const whole: Box = { x: 0, y: 0, width: source.width, height: source.height }
  const long = Math.max(frame.width, frame.height)
  const margins = marginsOf(frame, placed)
  const layers: Layer[] = []
  if (margins.length > 0) {
    const edge = options.style === 'edge'
    const brightness = edge ? EDGE_BACKDROP_BRIGHTNESS : BACKDROP_BRIGHTNESS
    // behind a photo that may be transparent, the backdrop stays in the margins: the photo's own pixels,
    // transparent ones included, are what the frame holds where it sits
    const areas = source.hasAlpha === true ? margins.map((margin) => marginBox(frame, placed, margin)) : [{ x: 0, y: 0, ...frame }]
    for (const area of areas) layers.push(backdrop(source, frame, area, long, brightness))
    // under: (edge) a softer, darker reflection over the whole margin; over it, a nearly sharp one; both
    // fade out towards the border. (blur) one short sharp bleed. Where two margins meet (a frame wider and
    // taller than the photo: exact pixels), a corner piece mirrored both ways joins their strips.
    const looks: ReflectionLook[] = edge
      ? [
          { depth: (m) => m.depth, blur: MIRROR_FAR_BLUR * long, brightness: MIRROR_FAR_BRIGHTNESS },
          { depth: (m) => Math.min(m.depth, Math.max(1, Math.round(MIRROR_NEAR_DEPTH * long))), blur: 0, brightness: 1 }
        ]
      : [{ depth: (m) => Math.min(m.depth, Math.max(1, Math.round(BLEED_DEPTH * long))), blur: 0, brightness: 1 }]
    for (const look of looks) {
      for (const margin of margins) layers.push(reflection(source, placed, margin, { depth: look.depth(margin), blur: look.blur, brightness: look.brightness }))
      for (const across of margins.filter((m) => m.side === 'top' || m.side === 'bottom')) {
        for (const along of margins.filter((m) => m.side === 'left' || m.side === 'right')) {
          layers.push(cornerReflection(source, placed, { side: along.side, depth: look.depth(along) }, { side: across.side, depth: look.depth(across) }, look))
        }
      }
    }
  }
  layers.push({ picture: 'source', from: whole, to: placed })
  return { width: frame.width, height: frame.height, layers, format: options.format }
}

type Margin = { side: Edge; depth: number }
type ReflectionLook = { depth: (margin: Margin) => number; blur: number; brightness: number }

/** The sides of the frame the placed source does not reach, and how deep each margin is. */
function marginsOf(frame: Size, placed: Box): Margin[] {
  const margins: Margin[] = [
    { side: 'top', depth: placed.y },
    { side: 'bottom', depth: frame.height - placed.y - placed.height },
    { side: 'left', depth: placed.x },
    { side: 'right', depth: frame.width - placed.x - placed.width }
  ]
  return margins.filter((m) => m.depth > 0)
}

/** The box of the frame a margin covers: top and bottom span the frame, left and right the photo's rows. */
function marginBox(frame: Size, placed: Box, margin: Margin): Box {
  switch (margin.side) {
    case 'top':
      return { x: 0, y: 0, width: frame.width, height: placed.y }
    case 'bottom':
      return { x: 0, y: placed.y + placed.height, width: frame.width, height: margin.depth }
    case 'left':
      return { x: 0, y: placed.y, width: placed.x, height: placed.height }
    case 'right':
      return { x: placed.x + placed.width, y: placed.y, width: margin.depth, height: placed.height }
  }
}

/**
 * `area` of the photo covering the whole frame (centred, cropped to the frame's shape), blurred hard
 * and darkened.
 */
function backdrop(source: Size, frame: Size, area: Box, long: number, brightness: number): Layer {
  const scale = Math.max(frame.width / source.width, frame.height / source.height)
  const x0 = (source.width - frame.width / scale) / 2
  const y0 = (source.height - frame.height / scale) / 2
  return {
    picture: 'source',
    from: { x: x0 + area.x / scale, y: y0 + area.y / scale, width: area.width / scale, height: area.height / scale },
    to: area,
    blur: BACKDROP_BLUR * long,
    brightness
  }
}

/**
 * The band of the source along `margin`'s side, mirrored across the seam into a strip `depth` deep
 * (stretched when the source is shallower than that), fading from opaque at the seam to transparent
 * at the strip's far edge.
 */
function reflection(source: Size, placed: Box, margin: Margin, look: { depth: number; blur: number; brightness: number }): Layer {
  const { depth } = look
  const vertical = margin.side === 'top' || margin.side === 'bottom'
  const scale = vertical ? placed.height / source.height : placed.width / source.width
  const band = Math.min(vertical ? source.height : source.width, depth / scale)
  const from: Box = vertical
    ? { x: 0, y: margin.side === 'top' ? 0 : source.height - band, width: source.width, height: band }
    : { x: margin.side === 'left' ? 0 : source.width - band, y: 0, width: band, height: source.height }
  const to: Box = vertical
    ? { x: placed.x, y: margin.side === 'top' ? placed.y - depth : placed.y + placed.height, width: placed.width, height: depth }
    : { x: margin.side === 'left' ? placed.x - depth : placed.x + placed.width, y: placed.y, width: depth, height: placed.height }
  return {
    picture: 'source',
    from,
    to,
    flip: vertical ? { y: true } : { x: true },
    ...(look.blur > 0 ? { blur: look.blur } : {}),
    ...(look.brightness !== 1 ? { brightness: look.brightness } : {}),
    // the far edge is the strip's edge on the margin's own side
    feather: { width: depth, edges: [margin.side] }
  }
}

/**
 * The corner where a left or right strip (`along`, its depth) meets a top or bottom one (`across`): the
 * source's corner block mirrored across both seams, fading out towards both outer edges, so the strips
 * join without a notch of backdrop between them.
 */
function cornerReflection(source: Size, placed: Box, along: Margin, across: Margin, look: { blur: number; brightness: number }): Layer {
  const scaleX = placed.width / source.width
  const scaleY = placed.height / source.height
  const bandX = Math.min(source.width, along.depth / scaleX)
  const bandY = Math.min(source.height, across.depth / scaleY)
  const left = along.side === 'left'
  const top = across.side === 'top'
  return {
    picture: 'source',
    from: { x: left ? 0 : source.width - bandX, y: top ? 0 : source.height - bandY, width: bandX, height: bandY },
    to: { x: left ? placed.x - along.depth : placed.x + placed.width, y: top ? placed.y - across.depth : placed.y + placed.height, width: along.depth, height: across.depth },
    flip: { x: true, y: true },
    ...(look.blur > 0 ? { blur: look.blur } : {}),
    ...(look.brightness !== 1 ? { brightness: look.brightness } : {}),
    feather: { width: along.depth, height: across.depth, edges: [along.side, across.side] }
  }
}
