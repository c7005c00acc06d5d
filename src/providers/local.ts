// The offline provider (id 'local'): smart crop or blur/edge fill, no key, no network. The codec is
// injected so the same engine runs in the plugin UI (canvas) and in Node (sharp).
import { isRatioId, type RatioId } from '../core/ratios'
import { sizeName, type SizeId } from '../core/sizes'
import type { ImageCodec } from '../imaging/codec'
import { prepareSource, reframeRgba, type LocalFill, type LocalMode, type PreparedSource } from '../imaging/reframe-rgba'
import { isOpaque } from '../imaging/rgba-image'
import { ReframeError } from '../core/reframe-error'
import type { ReframeOptions, ReframeProvider, UploadedSource, UploadOptions } from './provider'
import type { EncodedImage } from '../core/image-header'

export type LocalProviderConfig = {
  codec: ImageCodec
  mode?: LocalMode
  fill?: LocalFill
  /** Output long-edge cap in px (default 4096). */
  maxEdge?: number
}

export function createLocalProvider(config: LocalProviderConfig): ReframeProvider {
  const { codec } = config
  const mode = config.mode ?? 'fill'
  const fill = config.fill ?? 'blur'
  // decoded pixels live as long as the caller keeps the UploadedSource
  const prepared = new WeakMap<UploadedSource, Promise<PreparedSource>>()

  const prepare = async (source: EncodedImage): Promise<PreparedSource> => prepareSource(await codec.decode(source.bytes))

  return {
    id: 'local',

    supportsRatio: (_ratio: RatioId) => true,

    async upload(source: EncodedImage, options: UploadOptions = {}): Promise<UploadedSource> {
      throwIfCancelled(options.signal)
      options.onProgress?.({ state: 'uploading' })
      const pixels = prepare(source)
      await pixels
      const uploaded: UploadedSource = { provider: 'local', url: '', source }
      prepared.set(uploaded, pixels)
      return uploaded
    },

    async reframe(uploaded: UploadedSource, size: SizeId, options: ReframeOptions = {}): Promise<EncodedImage> {
      throwIfCancelled(options.signal)
      if (!isRatioId(size)) throw new ReframeError('invalid-input', `The offline engine cannot make ${sizeName(size)} yet.`)
      const ratio = size
      options.onProgress?.({ state: 'running' })
      const source = await (prepared.get(uploaded) ?? prepare(uploaded.source))
      throwIfCancelled(options.signal)
      const pixels = await reframeRgba(source, ratio, { mode, fill, placement: options.placement, maxEdge: config.maxEdge })
      throwIfCancelled(options.signal)
      // JPEG in, JPEG out (smaller, and a photo stays a photo); anything that may carry alpha stays PNG
      const format = uploaded.source.format === 'jpeg' && isOpaque(pixels) ? 'jpeg' : 'png'
      const bytes = await codec.encode(pixels, format)
      options.onProgress?.({ state: 'done' })
      return { bytes, width: pixels.width, height: pixels.height, format }
    }
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ReframeError('cancelled', 'Cancelled.')
}
