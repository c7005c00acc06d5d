// A file has exactly the pixels its plan exports at. A smart crop is the window's own pixels (the
// engine never enlarges it), so for a preset the window is scaled to the preset's pixels here, by the
// node backend in one pass; the pipeline's note ("upscaled 1.6x") says when that enlarged it.
import type { EncodedImage } from '../core/image-header'
import type { Size } from '../core/ratios'
import type { ImageBackend } from '../imaging/render-recipe'

export async function fitExportedAsync(image: EncodedImage, exported: Size, backend: ImageBackend): Promise<EncodedImage> {
  if (image.width === exported.width && image.height === exported.height) return image
  const picture = await backend.decode(image.bytes)
  try {
    return await backend.render(
      {
        width: exported.width,
        height: exported.height,
        layers: [{ picture: 'source', from: { x: 0, y: 0, width: picture.width, height: picture.height }, to: { x: 0, y: 0, ...exported } }],
        format: image.format === 'jpeg' ? 'jpeg' : 'png'
      },
      { source: picture }
    )
  } finally {
    backend.release?.(picture)
  }
}
