// Baseline of offline-engine.bench.ts: smart crop as a plain sharp script does it. Each image is decoded
// once (upright), then every ratio is sharp's attention crop (resize fit 'cover', position 'attention')
// to the largest window of that ratio, capped at 4096 px, written as the engine writes it (JPEG q92 for
// JPEG inputs, PNG otherwise). Images and ratios run concurrently, as the CLI runs them.
// usage: node bench/sharp-attention-crop.mjs <out dir> <w:h,...> <files...>
import { basename, extname, join } from 'node:path'
import sharp from 'sharp'

const [outDir, ratioList, ...files] = process.argv.slice(2)
const ratios = ratioList.split(',').map((ratio) => ratio.split(':').map(Number))

await Promise.all(
  files.map(async (file) => {
    const { data, info } = await sharp(file).rotate().raw().toBuffer({ resolveWithObject: true })
    const input = { raw: { width: info.width, height: info.height, channels: info.channels } }
    const jpeg = /\.jpe?g$/i.test(file)
    await Promise.all(
      ratios.map(async ([w, h]) => {
        const t = w / h
        const wide = info.width / info.height > t
        const window = wide ? [Math.round(info.height * t), info.height] : [info.width, Math.round(info.width / t)]
        const scale = Math.min(1, 4096 / Math.max(...window))
        const resized = sharp(data, input).resize({
          width: Math.round(window[0] * scale),
          height: Math.round(window[1] * scale),
          fit: 'cover',
          position: 'attention'
        })
        const encoded = jpeg ? resized.jpeg({ quality: 92 }) : resized.png({ compressionLevel: 6, adaptiveFiltering: false })
        await encoded.toFile(join(outDir, `${basename(file, extname(file))}.${w}x${h}.${jpeg ? 'jpg' : 'png'}`))
      })
    )
  })
)
