// Bundled by esbuild into the Chromium page of offline-engine.bench.ts: the offline engine as the plugin
// runs it (browser backend), timed inside the page. Bytes arrive as base64.
import type { EncodedImage } from '../src/core/image-header'
import type { RatioId } from '../src/core/ratios'
import { browserBackend } from '../src/imaging/backend-browser'
import { createLocalProvider } from '../src/providers/local'

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * Decodes once, then draws each ratio: once on a fresh output canvas (`firstMs`, what a size costs the
 * first time it is drawn: the page is new for every image and mode, so no canvas is kept yet), then
 * `runs` times more with the canvas the backend kept (`againMs`, median: a batch of same-size images,
 * a Retry, a second run). A crop's analysis (once per image) is timed apart, on a 21:9 window, a size
 * not measured here.
 */
async function timeOutputs(base64: string, format: 'png' | 'jpeg', mode: 'crop' | 'fill', fill: 'blur' | 'edge', ratios: RatioId[], runs: number) {
  const provider = createLocalProvider({ backend: browserBackend, mode, fill })
  const bytes = fromBase64(base64)
  const started = performance.now()
  const uploaded = await provider.upload({ bytes, width: 0, height: 0, format })
  const decodeMs = performance.now() - started
  const analysisStarted = performance.now()
  if (mode === 'crop') await provider.reframe(uploaded, '21:9')
  const analysisMs = performance.now() - analysisStarted
  const outputs = []
  for (const ratio of ratios) {
    const firstStarted = performance.now()
    let last: EncodedImage = await provider.reframe(uploaded, ratio)
    const firstMs = performance.now() - firstStarted
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      last = await provider.reframe(uploaded, ratio)
      times.push(performance.now() - start)
    }
    const size = `${last.width}x${last.height} ${last.format}`
    const unchanged = last.bytes.length === bytes.length && last.bytes.every((byte, i) => byte === bytes[i])
    outputs.push({ ratio, size, unchanged, firstMs, againMs: median(times), encodeMs: await encodeAloneMs(bytes, last, runs) })
  }
  return { decodeMs, analysisMs, outputs }
}

/**
 * The floor no engine goes under: the browser's own encoder on a canvas of the output's size holding
 * the picture (drawn once, outside the timing).
 */
async function encodeAloneMs(bytes: Uint8Array, output: EncodedImage, runs: number): Promise<number> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]))
  const canvas = new OffscreenCanvas(output.width, output.height)
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, output.width, output.height)
  bitmap.close()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await canvas.convertToBlob({ type: output.format === 'jpeg' ? 'image/jpeg' : 'image/png', quality: 0.92 })
    times.push(performance.now() - start)
  }
  return median(times)
}

Object.assign(globalThis, { offlineEngine: { timeOutputs } })
