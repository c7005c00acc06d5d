// Bundled by esbuild into the Chromium page of the browser tests: the plugin UI's decode and draw paths
// (the canvas backend) feeding the same engine code as Node. Bytes cross as base64.
import type { ImageFormat } from '../../src/core/image-header'
import type { Box, RatioId } from '../../src/core/ratios'
import type { ReframePlan } from '../../src/core/reframe-plan'
import { browserBackend } from '../../src/imaging/backend-browser'
import { fillRecipe } from '../../src/imaging/fill-recipe'
import { hostedFinisher } from '../../src/imaging/finish-hosted-result'
import { locateAnalysisEdges, locateSource, scaleBox } from '../../src/imaging/locate-source'
import type { Picture, PictureId, RenderRecipe } from '../../src/imaging/render-recipe'
import { createLocalProvider } from '../../src/providers/local'
import { backendCropWindows } from './crop-windows'

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
}

function toBase64(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

function describeError(error: unknown): string {
  return `${(error as { kind?: string }).kind}: ${(error as Error).message}`
}

async function engineCropWindows(base64: string, ratios: RatioId[]) {
  return backendCropWindows(browserBackend, fromBase64(base64), ratios)
}

async function fillPng(base64: string, ratio: RatioId) {
  const picture = await browserBackend.decode(fromBase64(base64))
  const out = await browserBackend.render(fillRecipe(picture, ratio, { style: 'blur', placement: 'center', format: 'png' }), { source: picture })
  return { width: out.width, height: out.height, png: toBase64(out.bytes) }
}

async function backendDecodeError(base64: string) {
  try {
    const picture = await browserBackend.decode(fromBase64(base64))
    return `decoded ${picture.width}x${picture.height}`
  } catch (error) {
    return describeError(error)
  }
}

/** Each recipe drawn from the given pictures; outputs as base64. */
async function renderRecipes(inputs: Partial<Record<PictureId, string>>, recipes: RenderRecipe[]) {
  const pictures: Partial<Record<PictureId, Picture>> = {}
  for (const [id, base64] of Object.entries(inputs)) pictures[id as PictureId] = await browserBackend.decode(fromBase64(base64!))
  const outputs: string[] = []
  for (const recipe of recipes) outputs.push(toBase64((await browserBackend.render(recipe, pictures)).bytes))
  return outputs
}

/** The offline provider as the plugin runs it, one output per ratio. */
async function reframe(base64: string, format: 'png' | 'jpeg', mode: 'crop' | 'fill', fill: 'blur' | 'edge', ratios: RatioId[]) {
  const provider = createLocalProvider({ backend: browserBackend, mode, fill })
  const uploaded = await provider.upload({ bytes: fromBase64(base64), width: 0, height: 0, format })
  const outputs = []
  for (const ratio of ratios) {
    const out = await provider.reframe(uploaded, ratio)
    outputs.push({ width: out.width, height: out.height, format: out.format, bytes: toBase64(out.bytes) })
  }
  return outputs
}

/** A hosted result located (on the backend's locate copies, box in result pixels) and finished, as the plugin does. */
async function locateAndFinish(resultBase64: string, sourceBase64: string, plan: ReframePlan, expected: Box, format: ImageFormat) {
  const [result, source] = [resultBase64, sourceBase64].map(fromBase64)
  const [resultPicture, sourcePicture] = await Promise.all([browserBackend.decode(result), browserBackend.decode(source)])
  const edges = locateAnalysisEdges(resultPicture, sourcePicture, expected)
  const small = await browserBackend.locateCopy(resultPicture, edges.result)
  const smallSource = await browserBackend.locateCopy(sourcePicture, edges.source)
  const match = locateSource(small, smallSource, scaleBox(expected, resultPicture, small), { fullSize: { source: sourcePicture, result: resultPicture } })
  const encoded = (bytes: Uint8Array, picture: { width: number; height: number }) => ({ bytes, width: picture.width, height: picture.height, format })
  const finished = await hostedFinisher(browserBackend)(encoded(result, resultPicture), encoded(source, sourcePicture), plan)
  return { box: scaleBox(match.box, small, resultPicture), detail: match.detail, composited: finished.composited, located: finished.located }
}

export const lumaTest = { engineCropWindows, fillPng, backendDecodeError, renderRecipes, reframe, locateAndFinish }
export type LumaTestApi = typeof lumaTest

Object.assign(globalThis, { lumaTest })
