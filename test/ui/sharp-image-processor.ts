// ImageProcessor for Node (tests and the benchmark): the same crop / scale / encode as the canvas one, via sharp.
import sharp from 'sharp'
import type { EncodedImage } from '../../src/providers/provider'
import { fitWithin, type ImageProcessor, type ProcessOptions } from '../../ui/runner/image-processor'

export function createSharpImageProcessor(): ImageProcessor {
  return {
    async process(image: EncodedImage, options: ProcessOptions): Promise<EncodedImage> {
      let pipeline = sharp(image.bytes)
      const crop = options.crop ?? { x: 0, y: 0, width: image.width, height: image.height }
      if (options.crop !== undefined) {
        pipeline = pipeline.extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height })
      }
      const out = fitWithin(crop.width, crop.height, options.maxEdge)
      if (out.width !== crop.width || out.height !== crop.height) pipeline = pipeline.resize(out.width, out.height, { fit: 'fill' })
      pipeline = options.format === 'jpeg' ? pipeline.jpeg({ quality: 92 }) : pipeline.png()
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
      return { bytes: new Uint8Array(data), width: info.width, height: info.height, format: options.format }
    }
  }
}
