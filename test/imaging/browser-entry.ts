// Bundled by esbuild into the Chromium page of browser-codec.test.ts: the plugin UI's decode path
// (canvas codec) feeding the same engine code as Node.
import type { RatioId } from '../../src/core/ratios'
import { browserCodec } from '../../src/imaging/codec-browser'
import { prepareSource, reframeRgba } from '../../src/imaging/reframe-rgba'
import { cropWindowsOf } from './crop-windows'

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
}

async function cropWindows(base64: string, ratios: RatioId[]) {
  return cropWindowsOf(await browserCodec.decode(fromBase64(base64)), ratios)
}

async function fillPng(base64: string, ratio: RatioId) {
  const source = prepareSource(await browserCodec.decode(fromBase64(base64)))
  const out = await reframeRgba(source, ratio, { mode: 'fill', fill: 'blur' })
  const bytes = await browserCodec.encode(out, 'png')
  let text = ''
  for (const b of bytes) text += String.fromCharCode(b)
  return { width: out.width, height: out.height, png: btoa(text) }
}

async function decodeError(base64: string) {
  try {
    await browserCodec.decode(fromBase64(base64))
    return 'decoded'
  } catch (error) {
    return `${(error as { kind?: string }).kind}: ${(error as Error).message}`
  }
}

Object.assign(globalThis, { lumaTest: { cropWindows, fillPng, decodeError } })
