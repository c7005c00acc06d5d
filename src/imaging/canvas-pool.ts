// Output canvases kept for the next output of the same size. A browser takes about 100 ms to create
// a 1920x3413 canvas (26 MB it maps and clears) and under 2 ms to clear one it has, so the outputs of
// a batch whose images share a size, a Retry, and a second run with another fill reuse their canvases
// instead of paying that again. Kept within a pixel budget (the least recently used go first) and
// let go once no output has been drawn for a while, so a window left open holds none.
import { context2d, createCanvas, type AnyCanvas, type Context2d } from './canvas-layers'

export type PooledCanvas = { canvas: AnyCanvas; context: Context2d }

export type CanvasPool = {
  /** A cleared canvas of exactly this size, with its context in its initial state. */
  take(width: number, height: number): PooledCanvas
  /** Hands a canvas back once nothing reads it any more (its encode is done). */
  give(canvas: PooledCanvas): void
}

/** Pixels kept at most: four 1920x1920 outputs, or one 3840x3840 and a little more (4 bytes each). */
const DEFAULT_BUDGET = 16 * 1024 * 1024
/** With no output drawn for this long, the kept canvases are let go. */
const DEFAULT_IDLE_MS = 20_000

export function createCanvasPool(budget = DEFAULT_BUDGET, idleMs = DEFAULT_IDLE_MS): CanvasPool {
  // least recently used first
  const idle: PooledCanvas[] = []
  let timer: ReturnType<typeof setTimeout> | undefined

  const pixels = (entry: PooledCanvas) => entry.canvas.width * entry.canvas.height

  return {
    take(width, height) {
      const index = idle.findIndex((entry) => entry.canvas.width === width && entry.canvas.height === height)
      if (index < 0) {
        const canvas = createCanvas(width, height)
        return { canvas, context: context2d(canvas) }
      }
      const [entry] = idle.splice(index, 1)
      resetContext(entry.context, width, height)
      return entry
    },

    give(entry) {
      if (pixels(entry) > budget) return
      idle.push(entry)
      let total = idle.reduce((sum, kept) => sum + pixels(kept), 0)
      while (total > budget) total -= pixels(idle.shift()!)
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(() => {
        idle.length = 0
        timer = undefined
      }, idleMs)
    }
  }
}

/** The context as a new canvas has it: no transform, clip, alpha, compositing, filter or shadow; every pixel transparent. */
function resetContext(context: Context2d, width: number, height: number): void {
  if ('reset' in context && typeof context.reset === 'function') {
    context.reset()
    return
  }
  // browsers without reset(): restore whatever a drawing left saved, then each setting by hand
  for (let i = 0; i < 64; i++) context.restore()
  context.setTransform(1, 0, 0, 1, 0, 0)
  context.globalAlpha = 1
  context.globalCompositeOperation = 'source-over'
  context.filter = 'none'
  context.imageSmoothingEnabled = true
  context.imageSmoothingQuality = 'low'
  context.shadowBlur = 0
  context.shadowColor = 'rgba(0, 0, 0, 0)'
  context.fillStyle = '#000000'
  context.strokeStyle = '#000000'
  context.clearRect(0, 0, width, height)
}
