// One input file through one provider: read, (for hosts) normalise to upright PNG/JPEG, upload once,
// every ratio in parallel under the shared limiter, presets cropped from generated margin, write.
import { readFile } from 'node:fs/promises'
import { fitWithin, prepareResult } from '../imaging/prepare-result'
import { nativeRatioFor, type RatioId } from '../core/ratios'
import type { ImageCodec } from '../imaging/codec'
import { MAX_OUTPUT_EDGE } from '../imaging/frame-geometry'
import { resampleArea } from '../imaging/resample'
import { ReframeError } from '../core/reframe-error'
import { encodedImageOf, type EncodedImage } from '../core/image-header'
import type { ProgressEvent, ReframeProvider } from '../providers/provider'
import type { Limiter } from '../providers/run-with-concurrency'
import type { CliOptions } from './cli-options'
import { toFailure, type Outcome } from './outcome'
import type { ProgressReporter } from './progress-reporter'
import { writeOutput } from './write-output'

export type FileJob = {
  input: string
  provider: ReframeProvider
  codec: ImageCodec
  options: CliOptions
  jobs: Limiter
  reporter: ProgressReporter
  inputs: ReadonlySet<string>
  signal: AbortSignal
}

export async function reframeFile(job: FileJob): Promise<Outcome[]> {
  const { input, provider, options, reporter, signal } = job
  reporter.fileStarted(input)
  let source: EncodedImage
  let uploaded
  try {
    source = await readSource(job)
    uploaded = await job.jobs.run(() => provider.upload(source, { signal }))
  } catch (error) {
    const failure = toFailure(error)
    reporter.fileFailed(input, failure.message)
    return [{ input, ok: false, error: failure }]
  }
  const sourceAspect = source.width / source.height
  return Promise.all(
    options.ratios.map((ratio) =>
      job.jobs.run(async (): Promise<Outcome> => {
        try {
          const requested = provider.supportsRatio(ratio) ? ratio : nativeRatioFor(ratio, sourceAspect)
          // the provider's own 'done' means "bytes received"; done for a person is the file written
          const onProgress = (event: ProgressEvent) => {
            if (event.state !== 'done') reporter.job(input, ratio, event.state, event.detail)
          }
          reporter.job(input, ratio, 'queued')
          const generated = await provider.reframe(uploaded, requested, {
            prompt: options.prompt || undefined,
            placement: options.placement,
            signal,
            onProgress
          })
          reporter.job(input, ratio, 'writing')
          const image = await prepareResult(generated, { target: ratio, requested, sourceAspect, placement: options.placement }, job.codec)
          const output = await writeOutput({ input, outDir: options.out, overwrite: options.overwrite, inputs: job.inputs }, ratio, image)
          reporter.jobWritten(input, ratio, output, image.width, image.height)
          return { input, ratio, ok: true, output, width: image.width, height: image.height }
        } catch (error) {
          const failure = toFailure(error)
          reporter.jobFailed(input, ratio, failure.message)
          return { input, ratio, ok: false, error: failure }
        }
      })
    )
  )
}

/**
 * The file's bytes as an EncodedImage. The offline engine gets them untouched. Hosts get an upright,
 * 8-bit sRGB PNG (JPEG for JPEG inputs) of at most 4096 px, so EXIF rotation, CMYK or 16-bit input
 * mean the same to every host as they do to the designer.
 */
async function readSource(job: FileJob): Promise<EncodedImage> {
  const bytes = new Uint8Array(await readFile(job.input))
  const original = encodedImageOf(bytes)
  if (original === null) throw new ReframeError('decode', 'This file is not a readable image (no PNG, JPEG, WebP or GIF header).')
  if (job.provider.id === 'local') return original
  let pixels = await job.codec.decode(bytes)
  const size = fitWithin(pixels.width, pixels.height, MAX_OUTPUT_EDGE)
  if (size.width !== pixels.width || size.height !== pixels.height) pixels = resampleArea(pixels, size.width, size.height)
  const format = original.format === 'jpeg' ? 'jpeg' : 'png'
  return { bytes: await job.codec.encode(pixels, format), width: pixels.width, height: pixels.height, format }
}
