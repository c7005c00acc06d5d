// Baseline of offline-engine.bench.ts: smart crop as a plain sharp script does it. Each image is decoded
// once (upright), then every ratio is sharp's attention crop (resize fit 'cover', position 'attention')
// to the largest window of that ratio, capped at 4096 px, written as the engine writes it (JPEG q92 for
// JPEG inputs, PNG otherwise). Images and ratios run concurrently, as the CLI runs them.
// usage: node bench/sharp-attention-crop.mjs <out dir> <w:h,...> <files...>
import sharp from 'sharp'
import { runBaseline } from './sharp-baseline.mjs'

await runBaseline(({ data, info, input }, t) => {
  const wide = info.width / info.height > t
  const window = wide ? [Math.round(info.height * t), info.height] : [info.width, Math.round(info.width / t)]
  const scale = Math.min(1, 4096 / Math.max(...window))
  return sharp(data, input).resize({
    width: Math.round(window[0] * scale),
    height: Math.round(window[1] * scale),
    fit: 'cover',
    position: 'attention'
  })
})
