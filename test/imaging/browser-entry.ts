// Bundled by esbuild into the Chromium page of the browser tests: the plugin UI's decode and draw paths
// (the canvas backend) feeding the same engine code as Node. Bytes cross as base64.
import type { RatioId } from '../../src/core/ratios'
import { browserBackend } from '../../src/imaging/backend-browser'
import { fillRecipe } from '../../src/imaging/fill-recipe'
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

export const lumaTest = { engineCropWindows, fillPng, backendDecodeError, renderRecipes, reframe }
export type LumaTestApi = typeof lumaTest

Object.assign(globalThis, { lumaTest })
