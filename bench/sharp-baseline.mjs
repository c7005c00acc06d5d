// What both sharp baselines of offline-engine.bench.ts share: the command line (<out dir> <w:h,...>
// <files...>), each image decoded once (upright) to raw pixels, every image and ratio at once (as the
// CLI runs them), and each output written as the engine writes it (JPEG q92 for JPEG inputs, PNG
// otherwise). `draw` makes one output: a sharp pipeline before encoding.
import { basename, extname, join } from 'node:path'
import sharp from 'sharp'

export async function runBaseline(draw) {
  const [outDir, ratioList, ...files] = process.argv.slice(2)
  const ratios = ratioList.split(',').map((ratio) => ratio.split(':').map(Number))
  await Promise.all(
    files.map(async (file) => {
      const { data, info } = await sharp(file).rotate().raw().toBuffer({ resolveWithObject: true })
      const input = { raw: { width: info.width, height: info.height, channels: info.channels } }
      const jpeg = /\.jpe?g$/i.test(file)
      await Promise.all(
        ratios.map(async ([w, h]) => {
          const drawn = await draw({ data, info, input }, w / h)
          const encoded = jpeg ? drawn.jpeg({ quality: 92 }) : drawn.png({ compressionLevel: 6, adaptiveFiltering: false })
          await encoded.toFile(join(outDir, `${basename(file, extname(file))}.${w}x${h}.${jpeg ? 'jpg' : 'png'}`))
        })
      )
    })
  )
}
