// Locating the source in a hosted result: time per locate on the small copies the product analyses
// (a 2048 px source and 2048 px-class results, through the fake host's own rendering), and the match
// scores behind MATCH_MIN_DETAIL (true place vs unrelated results). Prints; asserts nothing.
// `npm run bench -- locate`; `LOCATE_CALIBRATION=full` adds full-size results to the calibration (slow).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { NATIVE_OUTPUT_SIZES, NATIVE_RATIOS, type NativeRatio, type Placement, type Size } from '../src/core/ratios'
import { fitBox } from '../src/core/reframe-plan'
import { judgeMatch, locateAnalysisEdges, locateSource, scaleBox } from '../src/imaging/locate-source'
import { resampleArea } from '../src/imaging/resample'
import type { RgbaImage } from '../src/imaging/rgba-image'
import { renderModelResult, type ModelBehaviour } from '../preview/fakes/providers/model-result'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures/images')
const PHOTOS = ['coffee.png', 'astronaut.png', 'rocket.jpg', 'chelsea.png', 'Elephants_3840x2160.jpg', 'GreenMeadow.jpg']
const TIMED_RATIOS: NativeRatio[] = ['16:9', '1:1', '9:16', '21:9']
const BEHAVIOURS: [string, ModelBehaviour][] = [
  ['exact', { surround: 'generated' }],
  ['degraded', { redraw: 'degraded', surround: 'generated' }],
  ['ignoreBox', { ignoreBox: true, surround: 'generated' }],
  ['foreign', { foreign: true }]
]
const RUNS = 15
/** Runs before timing, so that the JIT has compiled the search (the first few run several times slower). */
const WARM_UP = 5

async function decode(bytes: Uint8Array | Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(bytes).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) }
}

/** What `ImageBackend.analysis` gives: the image averaged down to a long edge (never up). */
function analysisCopy(image: RgbaImage, maxEdge: number): RgbaImage {
  const k = Math.min(1, maxEdge / Math.max(image.width, image.height))
  return resampleArea(image, Math.max(1, Math.round(image.width * k)), Math.max(1, Math.round(image.height * k)))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
}

type Located = { score: number; detail: number; cells: number; error?: number; matched: boolean }

/** Renders one fake result and locates `source` in it, as the product would. */
async function locateOnce(resultBytes: Uint8Array, truth: { box?: Size & { x: number; y: number } }, source: RgbaImage, size: Size, planned: { x: number; y: number; width: number; height: number }): Promise<Located> {
  const edges = locateAnalysisEdges(size, source, planned)
  const result = analysisCopy(await decode(resultBytes), edges.result)
  const sourceCopy = analysisCopy(source, edges.source)
  const match = locateSource(result, sourceCopy, scaleBox(planned, size, result), { fullSize: { source, result: size } })
  const found = scaleBox(match.box, result, size)
  const t = truth.box
  const error = t
    ? Math.max(Math.abs(found.x - t.x), Math.abs(found.y - t.y), Math.abs(found.x + found.width - t.x - t.width), Math.abs(found.y + found.height - t.y - t.height))
    : undefined
  return { score: match.score, detail: match.detail, cells: match.cells, error, matched: judgeMatch(match).matched }
}

async function timing(): Promise<void> {
  const sourceBytes = new Uint8Array(await sharp(readFileSync(join(FIXTURES, 'Elephants_3840x2160.jpg'))).resize(2048).jpeg({ quality: 92 }).toBuffer())
  const source = await decode(sourceBytes)
  const rows: string[][] = [['ratio', 'result', 'behaviour', 'copies', 'median ms', 'min ms', 'score', 'detail', 'edge error px']]
  for (const ratio of TIMED_RATIOS) {
    const size = NATIVE_OUTPUT_SIZES[ratio]
    const planned = fitBox(size, source.width / source.height, 'start')
    for (const [name, behaviour] of BEHAVIOURS) {
      const rendered = await renderModelResult(sourceBytes, { size, requested: planned, behaviour, fill: '#808080' })
      const edges = locateAnalysisEdges(size, source, planned)
      const result = analysisCopy(await decode(rendered.bytes), edges.result)
      const sourceCopy = analysisCopy(source, edges.source)
      const expected = scaleBox(planned, size, result)
      const times: number[] = []
      let match = locateSource(result, sourceCopy, expected, { fullSize: { source, result: size } })
      for (let i = 0; i < WARM_UP; i++) locateSource(result, sourceCopy, expected, { fullSize: { source, result: size } })
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now()
        match = locateSource(result, sourceCopy, expected, { fullSize: { source, result: size } })
        times.push(performance.now() - start)
      }
      const found = scaleBox(match.box, result, size)
      const t = rendered.sourceBox
      const error = t
        ? Math.max(Math.abs(found.x - t.x), Math.abs(found.y - t.y), Math.abs(found.x + found.width - t.x - t.width), Math.abs(found.y + found.height - t.y - t.height)).toFixed(2)
        : '-'
      rows.push([
        ratio,
        `${size.width}x${size.height}`,
        name,
        `${result.width}x${result.height} / ${sourceCopy.width}x${sourceCopy.height}`,
        median(times).toFixed(1),
        Math.min(...times).toFixed(1),
        match.score.toFixed(4),
        match.detail.toFixed(4),
        error
      ])
    }
  }
  printTable(rows)
  console.log(`locate only, on copies made beforehand (2048 px source), after ${WARM_UP} warm-up runs; edge error in result px against where the fake drew the source\n`)
}

async function calibration(): Promise<void> {
  const photos = await Promise.all(PHOTOS.map(async (name) => ({ name, bytes: new Uint8Array(readFileSync(join(FIXTURES, name))) })))
  const sources = await Promise.all(photos.map((p) => decode(p.bytes)))
  const scales = process.env.LOCATE_CALIBRATION === 'full' ? [1, 0.5, 0.125] : [0.5, 0.125]
  const rows: string[][] = [['results', 'kind', 'cases', 'score min..max', 'detail min..max', 'worst edge error (% of result)', 'judged wrong']]
  const placements: Placement[] = ['start', 'center', 'end']
  for (const scale of scales) {
    const kinds = new Map<string, Located[]>()
    const errors: number[] = []
    for (const [p, photo] of photos.entries()) {
      const source = sources[p]
      const other = photos[(p + 1) % photos.length]
      for (const [r, ratio] of NATIVE_RATIOS.entries()) {
        const native = NATIVE_OUTPUT_SIZES[ratio]
        const size = { width: Math.round(native.width * scale), height: Math.round(native.height * scale) }
        const planned = fitBox(size, source.width / source.height, placements[r % 3])
        for (const [name, behaviour] of BEHAVIOURS) {
          const rendered = await renderModelResult(photo.bytes, { size, requested: planned, behaviour, fill: '#808080' })
          const located = await locateOnce(rendered.bytes, { box: rendered.sourceBox }, source, size, planned)
          const kind = name === 'foreign' ? 'unrelated' : 'true place'
          kinds.set(kind, [...(kinds.get(kind) ?? []), located])
          if (located.error !== undefined) errors.push((100 * located.error) / Math.max(size.width, size.height))
        }
        // another photo's result: the model drew something else entirely
        const otherResult = await renderModelResult(other.bytes, { size, behaviour: { surround: 'generated' }, fill: '#808080' })
        kinds.set('unrelated', [...(kinds.get('unrelated') ?? []), await locateOnce(otherResult.bytes, {}, source, size, planned)])
      }
    }
    for (const [kind, list] of kinds) {
      const range = (values: number[]) => `${Math.min(...values).toFixed(3)}..${Math.max(...values).toFixed(3)}`
      const wrong = list.filter((l) => l.matched !== (kind === 'true place')).length
      rows.push([
        `${scale === 1 ? 'full' : `1/${1 / scale}`} size`,
        kind,
        String(list.length),
        range(list.map((l) => l.score)),
        range(list.map((l) => l.detail)),
        kind === 'true place' ? Math.max(...errors).toFixed(3) : '-',
        String(wrong)
      ])
    }
  }
  printTable(rows)
  console.log('true place: exact, degraded and ignored-box results of each photo at each native ratio; unrelated: noise clouds and another photo\'s result')
}

export async function run(): Promise<void> {
  await timing()
  await calibration()
}
