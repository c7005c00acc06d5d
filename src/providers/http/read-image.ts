// A result download read safely: the content type must be an image's, the body is streamed under a
// size cap (a runaway answer is hung up on, not read to the end), and the format is sniffed from the bytes.
// A page in place of the image (a captive portal, a CDN's error page sent with 200) may be gone next
// time, so it is a transient failure: the result URL is asked again until the job's deadline.
import { encodedImageOf, type EncodedImage } from '../../core/image-header'
import { ReframeError } from '../../core/reframe-error'
import { RequestFailure } from './request-failure'

function tooLarge(host: string, cap: number): ReframeError {
  return new ReframeError('not-image', `${host} returned a result larger than ${Math.round(cap / 1024 / 1024)} MB.`)
}

async function readCapped(response: Response, cap: number, host: string): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer())
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > cap) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(host, cap)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** The image in a successful download answer, or a 'not-image' error saying what came instead. */
export async function readImage(response: Response, cap: number, host: string): Promise<EncodedImage> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  const acceptable = type === '' || type.startsWith('image/') || type === 'application/octet-stream' || type === 'binary/octet-stream'
  if (!acceptable) {
    await response.body?.cancel().catch(() => undefined)
    const error = new ReframeError('not-image', `${host} returned ${type} instead of an image.`)
    if (type.startsWith('text/')) throw new RequestFailure(error, 'accepted', true)
    throw error
  }
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (declared > cap) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge(host, cap)
  }
  const bytes = await readCapped(response, cap, host)
  const image = encodedImageOf(bytes)
  if (image === null) throw new ReframeError('not-image', `${host} returned a file that is not a PNG, JPEG, WebP or GIF image.`)
  return image
}
