// The plugin can only reach hosts listed in manifest.json: every API, upload and result host the
// providers use (guessed ones included, from guesses.ts) must be there, and nothing broader.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EACHLABS_API } from '../../src/providers/eachlabs'
import { FAL_QUEUE, FAL_REST } from '../../src/providers/fal'
import { RESULT_HOSTS } from '../../src/providers/guesses'
import { REPLICATE_API } from '../../src/providers/replicate'

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
  networkAccess: { allowedDomains: string[] }
}
const allowed = manifest.networkAccess.allowedDomains

describe('manifest allowedDomains', () => {
  it('lists every provider API host and every upload/result host', () => {
    const needed = [EACHLABS_API, FAL_QUEUE, FAL_REST, REPLICATE_API, ...Object.values(RESULT_HOSTS).flat()]
    expect(needed.filter((host) => !allowed.includes(host))).toEqual([])
  })

  it('uses exact https hosts, wildcards only for one registrable domain', () => {
    for (const entry of allowed) {
      expect(entry).toMatch(/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/)
      expect(entry).not.toMatch(/^https:\/\/\*\.[a-z-]+$/) // never *.com
    }
  })
})
