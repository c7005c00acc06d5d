// The offline provider (id 'local'): smart crop or blur/edge fill, no key, no network. Each source is
// decoded once by the platform's ImageBackend (canvas in the plugin, sharp in Node); a crop is chosen on
// a small analysis copy; then every size is one recipe, laid out by its reframe plan, that the backend
// draws natively in one pass.
import type { RatioId } from '../core/ratios'
import { planReframe, type ReframePlan } from '../core/reframe-plan'
import type { SizeId } from '../core/sizes'
import { cropRecipe } from '../imaging/crop-recipe'
import { fillRecipeAt, type FillStyle } from '../imaging/fill-recipe'
import { nextTask } from '../imaging/next-task'
import { drawsFileAsItIs, type ImageBackend, type Picture } from '../imaging/render-recipe'
import { cropAnalyses, smartCropBox, type AnalysisImage } from '../imaging/smart-crop'
import { ReframeError } from '../core/reframe-error'
import type { Settings } from '../protocol/settings'
import type { ReframeOptions, ReframeProvider, UploadedSource, UploadOptions } from './provider'
import { readImageHeader, type EncodedImage, type ImageHeader } from '../core/image-header'

export type LocalMode = Settings['localMode']
export type LocalFill = FillStyle

export type LocalProviderConfig = {
  backend: ImageBackend
  mode?: LocalMode
  fill?: LocalFill
}

/** A decoded source and its file's header (read once, for every ratio). */
type PreparedSource = { picture: Promise<Picture>; header: ImageHeader | null }

export function createLocalProvider(config: LocalProviderConfig): ReframeProvider {
  const { backend } = config
  const mode = config.mode ?? 'fill'
  const fill = config.fill ?? 'blur'
  // decoded pictures live as long as the caller keeps the UploadedSource
  const prepared = new WeakMap<UploadedSource, PreparedSource>()

  const prepare = (source: EncodedImage): PreparedSource => ({ picture: backend.decode(source.bytes), header: readImageHeader(source.bytes) })

  const analysisOfPicture = cropAnalyses(backend)

  async function analysisOf(source: PreparedSource): Promise<AnalysisImage> {
    const picture = await source.picture
    await nextTask()
    return analysisOfPicture(picture)
  }

  return {
    id: 'local',

    supportsRatio: (_ratio: RatioId) => true,

    async upload(source: EncodedImage, options: UploadOptions = {}): Promise<UploadedSource> {
      throwIfCancelled(options.signal)
      options.onProgress?.({ state: 'uploading' })
      const ready = prepare(source)
      await ready.picture
      const uploaded: UploadedSource = { provider: 'local', url: '', source }
      prepared.set(uploaded, ready)
      return uploaded
    },

    async reframe(uploaded: UploadedSource, size: SizeId, options: ReframeOptions = {}): Promise<EncodedImage> {
      throwIfCancelled(options.signal)
      options.onProgress?.({ state: 'running' })
      let source = prepared.get(uploaded)
      if (source === undefined) {
        source = prepare(uploaded.source)
        prepared.set(uploaded, source)
      }
      const picture = await source.picture
      // a cancelled run starts no analysis (JavaScript on this thread: Ctrl+C would wait for it)
      throwIfCancelled(options.signal)
      // the batch's plan, or (called on its own) the plan of this picture as a layer of its own size
      const plan: ReframePlan =
        options.plan ?? planReframe({ layer: picture, pixels: picture, size, engine: mode, placement: options.placement ?? 'center', frameMode: 'around' })
      // JPEG in, JPEG out (smaller, and a photo stays a photo); anything that may carry alpha stays PNG
      const format = uploaded.source.format === 'jpeg' ? 'jpeg' : 'png'
      let recipe
      if (mode === 'crop') {
        // a window as large as the picture needs no analysis: it is drawn at once, while others wait for it
        const analysed = source
        const box = backend.cropWindow
          ? await backend.cropWindow(picture, size)
          : await smartCropBox(async () => {
              const analysis = await analysisOf(analysed)
              await nextTask()
              throwIfCancelled(options.signal)
              return analysis
            }, picture, size)
        recipe = cropRecipe(box, plan.output, format)
      } else {
        recipe = fillRecipeAt(picture, plan.output, plan.sourceBox, { style: fill, format })
      }
      throwIfCancelled(options.signal)
      const { header } = source
      const image =
        header !== null && drawsFileAsItIs(recipe, picture, header)
          ? { bytes: uploaded.source.bytes, format: header.format, width: header.width, height: header.height }
          : await backend.render(recipe, { source: picture })
      throwIfCancelled(options.signal)
      options.onProgress?.({ state: 'done' })
      return image
    }
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ReframeError('cancelled', 'Cancelled.')
}
