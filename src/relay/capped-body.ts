// Streams a request body through while counting bytes, and fails the stream once it passes the cap,
// so an oversize upload without (or lying about) Content-Length is stopped without buffering it.

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than the limit of ${limit} bytes.`)
    this.name = 'BodyTooLargeError'
  }
}

export function capBody(body: ReadableStream<Uint8Array>, limit: number, onTooLarge: (error: BodyTooLargeError) => void): ReadableStream<Uint8Array> {
  let seen = 0
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength
        if (seen > limit) {
          const error = new BodyTooLargeError(limit)
          onTooLarge(error)
          controller.error(error)
          return
        }
        controller.enqueue(chunk)
      }
    })
  )
}
