// What each platform supplies to the engine: bytes to upright RGBA, and RGBA to PNG or JPEG bytes.
// Node uses sharp (codec-node.ts), the plugin UI uses canvas (codec-browser.ts).
import type { RgbaImage } from './rgba-image'

export type OutputFormat = 'png' | 'jpeg'

export interface ImageCodec {
  /**
   * Decodes PNG, JPEG, WebP or GIF (first frame) to upright 8-bit RGBA (EXIF orientation applied).
   * Rejects with a ReframeError of kind 'decode' when the bytes are not a readable image.
   */
  decode(bytes: Uint8Array): Promise<RgbaImage>
  encode(image: RgbaImage, format: OutputFormat): Promise<Uint8Array>
}

/** JPEG quality for every encoder, so both platforms give comparable files. */
export const JPEG_QUALITY = 0.92
