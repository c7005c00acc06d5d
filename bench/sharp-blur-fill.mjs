// Baseline of offline-engine.bench.ts: blur fill as a plain sharp script does it. Each image is decoded
// once (upright); for every ratio the frame is the smallest of that ratio holding the whole image (capped
// at 4096 px), its backdrop the image covering the frame, blurred (sigma 3.5% of the frame's long edge,
// on a copy scaled to 1/8 so that it takes seconds, not minutes) and darkened to 70%, then scaled up,
// with the image composited in the middle; written as the engine writes it (JPEG q92 for JPEG inputs,
// PNG otherwise). Images and ratios run concurrently, as the CLI runs them.
// usage: node bench/sharp-blur-fill.mjs <out dir> <w:h,...> <files...>
import sharp from 'sharp'
import { runBaseline } from './sharp-baseline.mjs'

const SHRINK = 8

await runBaseline(async ({ data, info, input }, t) => {
  const taller = info.width / info.height >= t
  const full = taller ? [info.width, Math.round(info.width / t)] : [Math.round(info.height * t), info.height]
  const scale = Math.min(1, 4096 / Math.max(...full))
  const [width, height] = full.map((side) => Math.round(side * scale))
  const placed = [Math.min(width, Math.round(info.width * scale)), Math.min(height, Math.round(info.height * scale))]
  const sigma = 0.035 * Math.max(width, height)
  const small = await sharp(data, input)
    .resize(Math.max(1, Math.round(width / SHRINK)), Math.max(1, Math.round(height / SHRINK)), { fit: 'cover' })
    .blur(Math.max(0.3, sigma / SHRINK))
    .linear(0.7, 0)
    .raw()
    .toBuffer({ resolveWithObject: true })
  const photo = scale === 1 ? { input: data, ...input } : await resizedRaw(data, input, placed)
  return sharp(small.data, { raw: { width: small.info.width, height: small.info.height, channels: small.info.channels } })
    .resize(width, height, { fit: 'fill' })
    .composite([{ ...photo, left: Math.floor((width - placed[0]) / 2), top: Math.floor((height - placed[1]) / 2) }])
})

async function resizedRaw(data, input, [width, height]) {
  const resized = await sharp(data, input).resize(width, height).raw().toBuffer({ resolveWithObject: true })
  return { input: resized.data, raw: { width: resized.info.width, height: resized.info.height, channels: resized.info.channels } }
}
