// The looks of a plain image layer (no rotation, opacity, rounding, children, effects, strokes or
// other fills): the base the export-plan and visible-image tests change one fact at a time.
export const PLAIN_LAYER = {
  rotation: 0,
  opacity: 1,
  cornerRadius: 0,
  hasChildren: false,
  hasVisibleEffects: false,
  hasVisibleStrokes: false,
  otherVisiblePaints: 0
}
