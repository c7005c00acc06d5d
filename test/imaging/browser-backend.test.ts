// The canvas backend (the plugin) and the sharp backend (CLI) draw the same recipes alike, decode
// upright, and refuse damaged files with the same words. Chromium is Debian's, driven by playwright.
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeBackend } from '../../src/imaging/backend-node'
import { cropRecipe } from '../../src/imaging/crop-recipe'
import { fillRecipe, fillRecipeAt } from '../../src/imaging/fill-recipe'
import type { Layer, Picture, PictureId, RenderRecipe } from '../../src/imaging/render-recipe'
import { createLocalProvider } from '../../src/providers/local'
import { base64, openEnginePage, type EnginePage } from './engine-page'
import { fixture } from './fixture-images'
import { decodeRgba, meanAbsoluteDifference } from './image-compare'

let page: EnginePage

beforeAll(async () => {
  page = await openEnginePage()
})

afterAll(async () => {
  await page?.close()
})

/** Renders `recipes` in Node and in Chromium from the same input bytes; outputs decoded for comparison. */
async function renderBoth(inputs: Partial<Record<PictureId, Uint8Array>>, recipes: RenderRecipe[]) {
  const pictures: Partial<Record<PictureId, Picture>> = {}
  const encoded: Partial<Record<PictureId, string>> = {}
  for (const [id, bytes] of Object.entries(inputs) as [PictureId, Uint8Array][]) {
    pictures[id] = await nodeBackend.decode(bytes)
    encoded[id] = base64(bytes)
  }
  const inBrowser = await page.call('renderRecipes', encoded, recipes)
  const pairs = []
  for (const [index, recipe] of recipes.entries()) {
    const node = await nodeBackend.render(recipe, pictures)
    pairs.push({ node: await decodeRgba(node.bytes), browser: await decodeRgba(Buffer.from(inBrowser[index], 'base64')) })
  }
  return pairs
}

/** An 800x450 PNG: the result stretched over it, `source` drawn on top. */
function overResult(result: Picture, source: Layer): RenderRecipe {
  return {
    width: 800,
    height: 450,
    format: 'png',
    layers: [{ picture: 'result', from: { x: 0, y: 0, width: result.width, height: result.height }, to: { x: 0, y: 0, width: 800, height: 450 } }, source]
  }
}

describe('the same recipe drawn by canvas and by sharp', () => {
  // Interior: 4 px in from every side, where each platform's own scaler meets the output's edge.
  const BORDER = 4
  const TOLERANCE = 3

  const cases: Array<{ name: string; inputs: () => Promise<Partial<Record<PictureId, Uint8Array>>>; recipe: (p: Record<string, Picture>) => RenderRecipe }> = [
    {
      name: 'a crop at full size (rocket, 9:16 window)',
      inputs: async () => ({ source: fixture('rocket.jpg') }),
      recipe: () => cropRecipe({ x: 200, y: 0, width: 240, height: 427 }, { width: 240, height: 427 }, 'png')
    },
    {
      name: 'a crop scaled down (coffee, 1:1 window to 257 px)',
      inputs: async () => ({ source: fixture('coffee.png') }),
      recipe: () => cropRecipe({ x: 100, y: 0, width: 400, height: 400 }, { width: 257, height: 257 }, 'png')
    },
    ...(
      [
        ['a blur fill (astronaut, 9:16)', 'astronaut.png', '9:16', 'blur', 'center'],
        ['a blur fill of a transparent picture (Flow, 16:9)', 'Flow.png', '16:9', 'blur', 'center'],
        ['an edge (mirror) fill (rocket, 21:9)', 'rocket.jpg', '21:9', 'edge', 'center'],
        ['an edge (mirror) fill (coffee, 9:16, at the start)', 'coffee.png', '9:16', 'edge', 'start']
      ] as const
    ).map(([name, file, size, style, placement]) => ({
      name,
      inputs: async () => ({ source: fixture(file) }),
      recipe: (p: Record<string, Picture>) => fillRecipe(p.source, size, { style, placement, format: 'png' })
    })),
    ...(['blur', 'edge'] as const).map((style) => ({
      name: `a ${style} fill with margins on all four sides, corners joined (chelsea in a 540x960 frame)`,
      inputs: async () => ({ source: fixture('chelsea.png') }),
      recipe: (p: Record<string, Picture>) => fillRecipeAt(p.source, { width: 540, height: 960 }, { x: 20, y: 300, width: 500, height: 332.6 }, { style, format: 'png' })
    })),
    {
      name: 'a feathered composite of two pictures (chelsea over a generated result)',
      inputs: async () => ({
        source: fixture('chelsea.png'),
        // a stand-in for a provider's result: another photo, 16:9
        result: new Uint8Array(await sharp(fixture('GreenMeadow.jpg')).resize(800, 450, { fit: 'cover' }).png().toBuffer())
      }),
      recipe: (p) =>
        overResult(p.result, {
          picture: 'source',
          from: { x: 0, y: 0, width: 451, height: 300 },
          to: { x: 150.4, y: 60.2, width: 496.1, height: 330 },
          feather: { width: 24, edges: ['left', 'right', 'top', 'bottom'] }
        })
    },
    {
      name: 'a colour-matched seam (chelsea 1:1 over a darker result, the surround shifted outside its edges)',
      inputs: async () => ({
        source: fixture('chelsea.png'),
        result: new Uint8Array(await sharp(fixture('GreenMeadow.jpg')).resize(800, 450, { fit: 'cover' }).linear(0.7, 0).png().toBuffer())
      }),
      recipe: (p) =>
        overResult(p.result, {
          picture: 'source',
          from: { x: 0, y: 0, width: 451, height: 300 },
          to: { x: 170, y: 80, width: 451, height: 300 },
          match: { width: 40, edges: ['left', 'right', 'top', 'bottom'], fringe: 2 }
        })
    },
    {
      name: 'mirrored, darkened and partly outside the output (logo)',
      inputs: async () => ({ source: fixture('logo.png') }),
      recipe: () => ({
        width: 300,
        height: 200,
        format: 'png',
        layers: [
          { picture: 'source', from: { x: 0, y: 0, width: 500, height: 500 }, to: { x: -50, y: -20, width: 250, height: 250 }, flip: { x: true }, brightness: 0.6 },
          { picture: 'source', from: { x: 100, y: 100, width: 300, height: 200 }, to: { x: 150, y: 50, width: 300, height: 200 }, flip: { y: true } }
        ]
      })
    }
  ]

  for (const testCase of cases) {
    it(`agree within ${TOLERANCE}/255 per channel for ${testCase.name}`, async () => {
      const inputs = await testCase.inputs()
      const sizes: Record<string, Picture> = {}
      for (const [id, bytes] of Object.entries(inputs)) sizes[id] = await nodeBackend.decode(bytes!)
      const recipe = testCase.recipe(sizes)
      const [{ node, browser }] = await renderBoth(inputs, [recipe])
      expect({ width: browser.width, height: browser.height }).toEqual({ width: recipe.width, height: recipe.height })
      expect({ width: node.width, height: node.height }).toEqual({ width: recipe.width, height: recipe.height })
      const difference = meanAbsoluteDifference(node, browser, BORDER)
      console.log(`parity ${testCase.name}: ${recipe.width}x${recipe.height}, mean |node - chromium| per channel (R G B A, /255) = ${difference.channels.map((c) => c.toFixed(2)).join(' ')}`)
      expect(difference.worst).toBeLessThan(TOLERANCE)
    })
  }

  it('flattens JPEG on white in both', async () => {
    const recipe: RenderRecipe = {
      width: 120,
      height: 80,
      format: 'jpeg',
      layers: [{ picture: 'source', from: { x: 0, y: 0, width: 500, height: 500 }, to: { x: 40, y: 0, width: 80, height: 80 } }]
    }
    const [{ node, browser }] = await renderBoth({ source: fixture('logo.png') }, [recipe])
    for (const image of [node, browser]) {
      const corner = Array.from(image.data.subarray((40 * 120 + 10) * 4, (40 * 120 + 10) * 4 + 4))
      expect(corner).toEqual([255, 255, 255, 255])
    }
    expect(meanAbsoluteDifference(node, browser, 2).worst).toBeLessThan(TOLERANCE)
  })
})

describe('output canvases kept for the next output of the same size', () => {
  it('leave nothing of earlier outputs in the next one: the same pixels as on a fresh page, with and without context.reset()', async () => {
    const bytes = fixture('Flow.png') // transparent
    const picture = await nodeBackend.decode(bytes)
    const frame = { width: 480, height: 480 }
    const placed = { x: 0, y: 90, width: 480, height: 300 }
    // before: a mirrored fill (clips, alpha, darkening, feathers), the same as JPEG (white under all), and
    // a layer turned and left translucent by a half-drawn state
    const before: RenderRecipe[] = [
      fillRecipeAt(picture, frame, placed, { style: 'edge', format: 'png' }),
      fillRecipeAt(picture, frame, placed, { style: 'blur', format: 'jpeg' }),
      { ...frame, format: 'png', layers: [{ picture: 'source', from: { x: 0, y: 0, width: 1920, height: 1200 }, to: { x: 0, y: 0, width: 480, height: 480 }, flip: { x: true, y: true }, brightness: 0.5, feather: { width: 60, edges: ['left', 'top'] } }] }
    ]
    // then: a transparent picture over part of the frame only, the rest left empty
    const after: RenderRecipe = { ...frame, format: 'png', layers: [{ picture: 'source', from: { x: 0, y: 0, width: 1920, height: 1200 }, to: { x: 100, y: 100, width: 240, height: 150 } }] }
    const fresh = await openEnginePage()
    const noReset = await openEnginePage({ contextReset: false })
    try {
      const [alone] = await fresh.call('renderRecipes', { source: base64(bytes) }, [after])
      const expected = await decodeRgba(Buffer.from(alone, 'base64'))
      // the empty part is empty
      expect(Array.from(expected.data.subarray(0, 4))).toEqual([0, 0, 0, 0])
      for (const engine of [page, noReset]) {
        const outputs = await engine.call('renderRecipes', { source: base64(bytes) }, [...before, after])
        const reused = await decodeRgba(Buffer.from(outputs[before.length], 'base64'))
        expect(Buffer.from(reused.data).equals(Buffer.from(expected.data))).toBe(true)
      }
    } finally {
      await fresh.close()
      await noReset.close()
    }
  })
})

describe('without canvas filters (Safari has none)', () => {
  it('blurs in script instead, and still agrees with sharp within 3/255', async () => {
    const noFilters = await openEnginePage({ canvasFilters: false })
    try {
      const bytes = fixture('astronaut.png')
      const picture = await nodeBackend.decode(bytes)
      const recipes = [
        fillRecipe(picture, '9:16', { style: 'blur', placement: 'center', format: 'png' }),
        fillRecipe(picture, '21:9', { style: 'edge', placement: 'center', format: 'png' })
      ]
      const inBrowser = await noFilters.call('renderRecipes', { source: base64(bytes) }, recipes)
      const withFilters = await page.call('renderRecipes', { source: base64(bytes) }, recipes)
      for (const [index, recipe] of recipes.entries()) {
        const node = await decodeRgba((await nodeBackend.render(recipe, { source: picture })).bytes)
        const script = await decodeRgba(Buffer.from(inBrowser[index], 'base64'))
        const filter = await decodeRgba(Buffer.from(withFilters[index], 'base64'))
        const difference = meanAbsoluteDifference(node, script, 4)
        console.log(`parity without canvas filters, ${recipe.width}x${recipe.height}: mean |node - chromium| per channel = ${difference.channels.map((c) => c.toFixed(2)).join(' ')}`)
        expect(difference.worst).toBeLessThan(3)
        // and it did blur: the script-blurred backdrop differs from the filter-blurred one only slightly,
        // but not at all would mean the fallback never ran
        expect(meanAbsoluteDifference(script, filter, 4).worst).toBeGreaterThan(0)
      }
    } finally {
      await noFilters.close()
    }
  })
})

describe('upright everywhere', () => {
  it('gives outputs of the upright shape for a JPEG stored sideways (EXIF orientation 6), in Node and in Chromium', async () => {
    // stored 300x200 (landscape) with orientation 6: people see it 200x300 (portrait)
    const stored = new Uint8Array(
      await sharp(fixture('coffee.png')).resize(200, 300, { fit: 'fill' }).rotate(-90).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer()
    )
    expect(await sharp(stored).metadata()).toMatchObject({ width: 300, height: 200, orientation: 6 })
    const expected = {
      crop: [{ width: 200, height: 200 }, { width: 169, height: 300 }, { width: 200, height: 113 }],
      fill: [{ width: 300, height: 300 }, { width: 200, height: 356 }, { width: 533, height: 300 }]
    }
    for (const mode of ['crop', 'fill'] as const) {
      const provider = createLocalProvider({ backend: nodeBackend, mode })
      const uploaded = await provider.upload({ bytes: stored, width: 300, height: 200, format: 'jpeg' })
      const inNode = []
      for (const ratio of ['1:1', '9:16', '16:9'] as const) inNode.push(await provider.reframe(uploaded, ratio))
      const inBrowser = await page.call('reframe', base64(stored), 'jpeg', mode, 'blur', ['1:1', '9:16', '16:9'])
      expect(inNode.map(({ width, height }) => ({ width, height }))).toEqual(expected[mode])
      expect(inBrowser.map(({ width, height }) => ({ width, height }))).toEqual(expected[mode])
      // in fill 9:16 the upright 200x300 photo spans the full width: no bars at the sides, in either
      if (mode === 'fill') {
        for (const bytes of [inNode[1].bytes, Buffer.from(inBrowser[1].bytes, 'base64')]) {
          const image = await decodeRgba(bytes)
          const nodeSource = await decodeRgba(await sharp(stored).rotate().png().toBuffer())
          const top = Math.floor((356 - 300) / 2)
          const row = 150
          const difference = meanAbsoluteDifference(
            { width: 200, height: 1, data: image.data.subarray(((top + row) * 200) * 4, ((top + row + 1) * 200) * 4) },
            { width: 200, height: 1, data: nodeSource.data.subarray(row * 200 * 4, (row + 1) * 200 * 4) },
            0
          )
          expect(difference.worst).toBeLessThan(6)
        }
      }
    }
  })
})

describe('damaged files', () => {
  it('refuses a JPEG cut in half in Chromium, naming the damage, where a browser could draw half of it', async () => {
    const bytes = fixture('GreenMeadow.jpg')
    const message = await page.call('backendDecodeError', base64(bytes.subarray(0, bytes.length >> 1)))
    expect(message).toBe('decode: This image is a damaged JPEG: the file ends early.')
    expect(await page.call('backendDecodeError', base64(bytes))).toBe('decoded 1280x1024')
  })

  it('refuses the same way in Node', async () => {
    const bytes = fixture('GreenMeadow.jpg')
    const error = await nodeBackend.decode(bytes.subarray(0, bytes.length >> 1)).catch((e: unknown) => e)
    expect(`${(error as { kind: string }).kind}: ${(error as Error).message}`).toBe('decode: This image is a damaged JPEG: the file ends early.')
  })
})
