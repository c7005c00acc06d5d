// Bundled by esbuild into the Chromium page of fidelity.bench.ts: locating the source in a hosted result
// and compositing the original back, as the plugin window does it (browser backend), timed in the page.
// Bytes arrive as base64.
import type { ReframePlan } from '../src/core/reframe-plan'
import { browserBackend } from '../src/imaging/backend-browser'
import { timeFinish } from './finish-steps'

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
}

async function timeFinishInPage(
  result: { base64: string; width: number; height: number; format: 'jpeg' | 'png' },
  source: { base64: string; width: number; height: number; format: 'jpeg' | 'png' },
  plan: ReframePlan,
  runs: number,
  warmUp: number
) {
  const encoded = (image: typeof result) => ({ bytes: fromBase64(image.base64), width: image.width, height: image.height, format: image.format })
  return timeFinish(browserBackend, encoded(result), encoded(source), plan, runs, warmUp)
}

Object.assign(globalThis, { fidelity: { timeFinish: timeFinishInPage } })
