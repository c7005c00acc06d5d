// Decoded bitmaps of the document's images, keyed by image hash, shared by the canvas view and the
// browser exportAsync renderer. Decoding is asynchronous; drawing uses only what is already decoded.

export type ImageBytesSource = (hash: string) => Promise<Uint8Array | null>

export class ImageCache {
  private readonly bitmaps = new Map<string, ImageBitmap>()
  private readonly loading = new Map<string, Promise<ImageBitmap | null>>()
  private readonly failed = new Set<string>()

  constructor(
    private readonly bytesOf: ImageBytesSource,
    private readonly onLoaded: () => void = () => {}
  ) {}

  /** The bitmap if decoded; otherwise starts decoding it and returns null (the view redraws on load). */
  get(hash: string): ImageBitmap | null {
    const bitmap = this.bitmaps.get(hash)
    if (bitmap !== undefined) return bitmap
    if (!this.failed.has(hash)) void this.loadAsync(hash)
    return null
  }

  loadAsync(hash: string): Promise<ImageBitmap | null> {
    const done = this.bitmaps.get(hash)
    if (done !== undefined) return Promise.resolve(done)
    let pending = this.loading.get(hash)
    if (pending === undefined) {
      pending = this.decodeAsync(hash)
      this.loading.set(hash, pending)
    }
    return pending
  }

  private async decodeAsync(hash: string): Promise<ImageBitmap | null> {
    try {
      const bytes = await this.bytesOf(hash)
      if (bytes === null) throw new Error('no image with this hash')
      const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]))
      this.bitmaps.set(hash, bitmap)
      this.onLoaded()
      return bitmap
    } catch (error) {
      // an undecodable image is drawn as a placeholder, like Figma's broken-image checkerboard
      this.failed.add(hash)
      console.warn(`[preview] image ${hash.slice(0, 8)} could not be decoded: ${(error as Error).message}`)
      return null
    } finally {
      this.loading.delete(hash)
    }
  }
}
