// The pixel size each chosen ratio will come out at, for the size picker: hosted providers return
// fixed native sizes (presets cropped from them); the offline engine works from the exported source.
import { fitBox, hostedOutputSize, isNativeRatio, NATIVE_OUTPUT_SIZES, ratioValue, type RatioId, type Size } from '../../src/core/ratios'
import type { Settings } from '../../src/protocol/settings'
import { FIGMA_MAX_EDGE, fitWithin } from '../../src/imaging/prepare-result'

/** The bytes main exports for a layer: long edge capped, never upscaled. */
export function exportedSize(layer: Size, exportMaxEdge: number): Size {
  return fitWithin(layer.width, layer.height, exportMaxEdge)
}

/**
 * Output pixels of `ratio` for the current provider, or undefined when it depends on a source that is
 * not selected yet (offline engine). `source` is the first selected layer's box.
 */
export function outputSizeFor(
  ratio: RatioId,
  settings: Pick<Settings, 'provider' | 'localMode' | 'exportMaxEdge'>,
  source: Size | undefined
): Size | undefined {
  const aspect = source === undefined ? 1 : source.width / source.height
  if (settings.provider !== 'local') {
    // natives come back as generated (21:9 is really 2432x1024, a little wider than 21:9); only presets are cropped
    return isNativeRatio(ratio) ? NATIVE_OUTPUT_SIZES[ratio] : hostedOutputSize(ratio, aspect)
  }
  if (source === undefined) return undefined
  const exported = exportedSize(source, settings.exportMaxEdge)
  const target = ratioValue(ratio)
  if (settings.localMode === 'crop') {
    // the largest window of the target ratio inside the source
    const box = fitBox(exported, target)
    return { width: Math.round(box.width), height: Math.round(box.height) }
  }
  // fill: the smallest frame of the target ratio that contains the whole source, capped for Figma
  const width = Math.max(exported.width, exported.height * target)
  const height = width / target
  return fitWithin(Math.round(width), Math.round(height), FIGMA_MAX_EDGE)
}

export function formatSize(size: Size | undefined): string {
  return size === undefined ? 'source size' : `${size.width}×${size.height}`
}
