// The stroke properties of the fake's geometry nodes, checked as Figma checks them: a weight is a
// finite number >= 0, a dash pattern a list of finite lengths >= 0, an alignment one of three.
import type { RenderStroke } from './render-job'

export type StrokeState = { weight: number; align: 'CENTER' | 'INSIDE' | 'OUTSIDE'; dashPattern: readonly number[] }

/** What Figma gives a new frame or shape: weight 1, inside, solid. */
export function defaultStrokeState(): StrokeState {
  return { weight: 1, align: 'INSIDE', dashPattern: Object.freeze([]) }
}

export function checkStrokeWeight(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error('in set_strokeWeight: Expected a number >= 0')
  return value
}

export function checkStrokeAlign(value: unknown): StrokeState['align'] {
  if (value !== 'CENTER' && value !== 'INSIDE' && value !== 'OUTSIDE') throw new Error(`in set_strokeAlign: Invalid enum value "${String(value)}"`)
  return value
}

export function checkDashPattern(value: unknown): readonly number[] {
  if (!Array.isArray(value)) throw new Error('in set_dashPattern: Expected an array')
  for (const length of value as unknown[]) {
    if (typeof length !== 'number' || !Number.isFinite(length) || length < 0) throw new Error('in set_dashPattern: Expected numbers >= 0')
  }
  return Object.freeze([...(value as number[])])
}

/** The visible solid strokes of a node, for a render at `scale`; other stroke paints are not drawn. */
export function renderStrokes(paints: readonly Paint[], state: StrokeState, scale: number): RenderStroke[] {
  if (state.weight <= 0) return []
  return paints.flatMap((paint) =>
    paint.visible === false || paint.type !== 'SOLID'
      ? []
      : [{ color: { ...paint.color }, opacity: paint.opacity ?? 1, weight: state.weight * scale, align: state.align, dashPattern: state.dashPattern.map((length) => length * scale) }]
  )
}
