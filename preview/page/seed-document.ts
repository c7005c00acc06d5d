// Puts images on the fake document the way a designer would: an image file becomes a rectangle of the
// image's size with an image fill (FILL), named after the file.
type Point = { x: number; y: number }

/** Long edge of an added image on the canvas, so a 4K photo does not dwarf the rest. */
export const MAX_PLACED_EDGE = 640

export async function addImageAsync(figma: PluginAPI, bytes: Uint8Array, name: string, at: Point): Promise<RectangleNode> {
  const image = figma.createImage(bytes)
  const size = await image.getSizeAsync()
  const scale = Math.min(1, MAX_PLACED_EDGE / Math.max(size.width, size.height))
  const rect = figma.createRectangle()
  rect.name = name.replace(/\.[a-z0-9]+$/i, '')
  rect.resize(Math.max(1, Math.round(size.width * scale)), Math.max(1, Math.round(size.height * scale)))
  rect.x = Math.round(at.x)
  rect.y = Math.round(at.y)
  rect.fills = [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' }]
  return rect
}

/** Fixture images stacked in a column, so each one's results can extend to its right in a row. */
export async function seedFixturesAsync(figma: PluginAPI, names: string[], fetchBytes: (name: string) => Promise<Uint8Array>) {
  let y = 0
  const gap = 160
  for (const name of names) {
    const rect = await addImageAsync(figma, await fetchBytes(name), name, { x: 0, y })
    y += rect.height + gap
  }
}
