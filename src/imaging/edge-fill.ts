// Edge-colour gradient: each margin continues the colour of the source's nearest edge (smoothed so
// single pixels do not streak) and fades to that edge's average colour at the frame's border.
import type { Box } from '../core/ratios'
import { boxBlur } from './box-blur'
import type { Margin } from './margins'
import type { RgbaImage } from './rgba-image'

/** Fills `margins` of `frame`, reading the edges of the source already pasted at `placed`. */
export function drawEdgeGradient(frame: RgbaImage, placed: Box, margins: Margin[]): void {
  for (const margin of margins) {
    const horizontal = margin.side === 'top' || margin.side === 'bottom'
    const line = edgeLine(frame, placed, margin)
    boxBlur({ width: line.length / 4, height: 1, data: line }, Math.max(1, Math.round(line.length / 4 / 16)))
    const mean = meanColour(line)
    const data = frame.data
    for (let y = margin.y; y < margin.y + margin.height; y++) {
      for (let x = margin.x; x < margin.x + margin.width; x++) {
        const along = horizontal ? x - placed.x : y - placed.y
        const i = Math.max(0, Math.min(line.length / 4 - 1, along)) * 4
        const t = fadeFraction(margin, placed, x, y)
        const a = line[i + 3] * (1 - t) + mean[3] * t
        const o = (y * frame.width + x) * 4
        if (a <= 0) {
          data[o] = data[o + 1] = data[o + 2] = data[o + 3] = 0
          continue
        }
        data[o] = (line[i] * (1 - t) + mean[0] * t) * (255 / a)
        data[o + 1] = (line[i + 1] * (1 - t) + mean[1] * t) * (255 / a)
        data[o + 2] = (line[i + 2] * (1 - t) + mean[2] * t) * (255 / a)
        data[o + 3] = a
      }
    }
  }
}

/** 0 next to the source, 1 at the frame's border. */
function fadeFraction(margin: Margin, placed: Box, x: number, y: number): number {
  switch (margin.side) {
    case 'top':
      return (placed.y - y) / margin.height
    case 'bottom':
      return (y - (placed.y + placed.height) + 1) / margin.height
    case 'left':
      return (placed.x - x) / margin.width
    case 'right':
      return (x - (placed.x + placed.width) + 1) / margin.width
  }
}

/** The source's outermost row or column on the margin's side, premultiplied floats. */
function edgeLine(frame: RgbaImage, placed: Box, margin: Margin): Float32Array {
  const horizontal = margin.side === 'top' || margin.side === 'bottom'
  const length = horizontal ? placed.width : placed.height
  const line = new Float32Array(length * 4)
  for (let k = 0; k < length; k++) {
    const x = horizontal ? placed.x + k : margin.side === 'left' ? placed.x : placed.x + placed.width - 1
    const y = horizontal ? (margin.side === 'top' ? placed.y : placed.y + placed.height - 1) : placed.y + k
    const p = (y * frame.width + x) * 4
    const alpha = frame.data[p + 3] / 255
    line[k * 4] = frame.data[p] * alpha
    line[k * 4 + 1] = frame.data[p + 1] * alpha
    line[k * 4 + 2] = frame.data[p + 2] * alpha
    line[k * 4 + 3] = frame.data[p + 3]
  }
  return line
}

function meanColour(line: Float32Array): [number, number, number, number] {
  const mean: [number, number, number, number] = [0, 0, 0, 0]
  const length = line.length / 4
  for (let i = 0; i < line.length; i += 4) for (let c = 0; c < 4; c++) mean[c] += line[i + c] / length
  return mean
}
