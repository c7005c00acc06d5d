// What the fake hands its renderer for node.exportAsync: a flat description of the node's own look
// at the export scale. Renderers are injected so the fake stays free of Node-only imports.

export type RenderPaint =
  | { type: 'SOLID'; color: { r: number; g: number; b: number }; opacity: number }
  | {
      type: 'IMAGE'
      bytes: Uint8Array
      scaleMode: 'FILL' | 'FIT' | 'CROP' | 'TILE'
      imageTransform?: Transform
      scalingFactor?: number
      rotation: number
      opacity: number
    }

/** A solid stroke at the export scale; dashes are on/off lengths along the edge, [] for a solid line. */
export type RenderStroke = {
  color: { r: number; g: number; b: number }
  opacity: number
  weight: number
  align: 'CENTER' | 'INSIDE' | 'OUTSIDE'
  dashPattern: number[]
}

export type RenderJob = {
  format: 'PNG' | 'JPG'
  /** Output pixels: the node's page box at the export scale. */
  width: number
  height: number
  /** Output px per layer px. */
  scale: number
  /** The node's own box (before rotation) at the export scale. */
  layer: { width: number; height: number }
  /** Degrees, counter-clockwise as in Figma. */
  rotation: number
  opacity: number
  cornerRadius: number
  /** Visible paints, bottom first. Children are not drawn by the fake. */
  paints: RenderPaint[]
  /** Visible solid strokes, drawn over the paints. */
  strokes: RenderStroke[]
}

export type Renderer = (job: RenderJob) => Promise<Uint8Array>
