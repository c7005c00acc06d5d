// Decides whether a selected layer is a source: it shows a visible image fill with an image behind it.
// Otherwise it says why not, in words a designer understands.

export type SourceNode = SceneNode & MinimalFillsMixin

export type SourceCheck =
  | { ok: true; node: SourceNode; paint: ImagePaint & { imageHash: string } }
  | { ok: false; reason: string }

function hasFills(node: SceneNode): node is SourceNode {
  return 'fills' in node
}

/** The image paint drawn on top (Figma draws the last paint last), or why the layer has none. */
export function findSourcePaint(node: SceneNode): SourceCheck {
  const skip = (why: string): SourceCheck => ({ ok: false, reason: why })
  if (node.type === 'TEXT') return skip('text layers are not images')
  if (!hasFills(node)) {
    return 'children' in node && node.children.length > 0
      ? skip('no image fill of its own (select the image layer inside)')
      : skip('no image fill')
  }
  if (!node.visible) return skip('the layer is hidden')
  const fills = node.fills
  if (fills === figma.mixed || !Array.isArray(fills)) return skip('mixed fills')
  const paints = fills as readonly Paint[]
  const visible = paints.filter((paint) => paint.visible !== false)
  const images = visible.filter((paint): paint is ImagePaint => paint.type === 'IMAGE')
  const top = images[images.length - 1]
  if (top === undefined) {
    if (visible.some((paint) => paint.type === 'VIDEO')) return skip('video fills are not supported')
    if (paints.some((paint) => paint.type === 'IMAGE')) return skip('its image fill is hidden')
    return skip('no image fill')
  }
  if (top.imageHash === null) return skip('the image fill has no image yet')
  if (!(node.width > 0 && node.height > 0)) return skip('the layer has no size')
  return { ok: true, node, paint: top as ImagePaint & { imageHash: string } }
}
