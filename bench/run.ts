// `npm run bench`: runs every bench/*.bench.ts in turn (or only those whose name contains an argument).
// Benchmarks print ratios and sizes; they are not tests and assert nothing about time.
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2)
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort()

for (const file of files) {
  console.log(`\n=== ${file} ===`)
  const module = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<void> }
  if (typeof module.run !== 'function') throw new Error(`${file} must export run()`)
  await module.run()
}
