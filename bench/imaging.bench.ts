// Offline engine time per output (decode once per image, then reframe + encode per ratio), median of
// several runs, for a 512 px, a 1920 px and a 3840 px photo, both modes, three ratios. Prints; asserts nothing.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RatioId } from '../src/core/ratios'
import { nodeBackend } from '../src/imaging/backend-node'
import { createLocalProvider } from '../src/providers/local'
import type { EncodedImage } from '../src/core/image-header'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures/images')
const IMAGES: [string, EncodedImage['format']][] = [
  ['astronaut.png', 'png'],
  ['Flow.png', 'png'],
  ['Elephants_3840x2160.jpg', 'jpeg']
]
const RATIOS: RatioId[] = ['1:1', '9:16', '16:9']
const RUNS = 5
const TARGET_MS = 150

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

export async function run(): Promise<void> {
  const rows: string[][] = [['image', 'mode', 'ratio', 'output', 'median ms', 'min ms', 'decode ms']]
  for (const [name, format] of IMAGES) {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)))
    for (const mode of ['crop', 'fill'] as const) {
      const provider = createLocalProvider({ backend: nodeBackend, mode, fill: 'blur' })
      const t0 = performance.now()
      const uploaded = await provider.upload({ bytes, width: 0, height: 0, format })
      const decodeMs = performance.now() - t0
      for (const ratio of RATIOS) {
        const times: number[] = []
        let size = ''
        for (let i = 0; i < RUNS; i++) {
          const start = performance.now()
          const out = await provider.reframe(uploaded, ratio)
          times.push(performance.now() - start)
          size = `${out.width}x${out.height} ${out.format}`
        }
        const m = median(times)
        const flag = name === 'Flow.png' ? (m < TARGET_MS ? ' ok' : ' OVER') : ''
        rows.push([name, mode, ratio, size, m.toFixed(0) + flag, Math.min(...times).toFixed(0), decodeMs.toFixed(0)])
      }
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
  console.log(`\nper output = reframe + encode (decode is once per image, shown apart); target < ${TARGET_MS} ms for the 1920 px image`)
}
