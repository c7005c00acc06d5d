// The layers are enforced by `npm run lint` (eslint.config.mjs): an import that points up, or a
// package where a layer takes none, is an error; the tree as it is has none.
import figmaPlugin from '@figma/eslint-plugin-figma-plugins'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// The layer rule reads only the import text. Main-thread code is otherwise linted with type information
// (Figma's rules), which needs the file to be part of its TypeScript project and, with text that is not
// on disk, once gave back the file on disk instead of the text linted here (an empty list on a busy CI
// machine). So these snippets are parsed without a project and Figma's type-aware rules stay off;
// `npm run lint` runs them on the real tree.
const withoutTypeInformation: ESLint.Options['overrideConfig'] = {
  files: ['src/plugin/**/*.ts'],
  languageOptions: { parserOptions: { project: null } },
  rules: Object.fromEntries(Object.keys(figmaPlugin.rules as Record<string, unknown>).map((name) => [`@figma/figma-plugins/${name}`, 'off' as const]))
}
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname, overrideConfig: withoutTypeInformation })

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  // a file that does not parse has no rule messages at all: its parse error is reported instead
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal === true)
    .map((m) => (m.fatal === true ? `could not lint: ${m.message}` : m.message))
}

describe('the layer rule', () => {
  it.each([
    ['src/core/anything.ts', "import { createProvider } from '../providers/registry'"],
    ['src/core/anything.ts', "import { z } from 'zod'"],
    ['src/protocol/anything.ts', "import { planExport } from '../pipeline/run-batch'"],
    ['src/providers/anything.ts', "import { startBatch } from '../pipeline/run-batch'"],
    ['src/providers/http/anything.ts', "import { App } from '../../../ui/app'"],
    ['src/imaging/anything.ts', "import type { ReframeProvider } from '../providers/provider'"],
    ['src/plugin/anything.ts', "import { nodeBackend } from '../imaging/backend-node'"],
    ['src/plugin/anything.ts', "import sharp from 'sharp'"],
    ['src/relay/anything.ts', "import { createEachlabsProvider } from '../providers/eachlabs'"],
    ['ui/hooks/anything.ts', "import { startPlugin } from '../../src/plugin/start-plugin'"],
    ['src/cli/anything.ts', "import { jobsFor } from '../../ui/hooks/use-batch'"],
    ['preview/fakes/figma/anything.ts', "import { startBatch } from '../../../src/pipeline/run-batch'"],
    ['preview/page/anything.ts', "import { fixture } from '../ui/fake-main'"],
    ['bench/anything.ts', "import { loadSource } from '../test/providers/support'"],
    ['src/protocol/anything.ts', "import { z } from 'zod'"],
    ['src/plugin/anything.ts', "import { z } from 'zod'"]
  ])('refuses in %s: %s', async (filePath, code) => {
    expect(await problems(filePath, code)).toEqual([expect.stringMatching(/may import only|imports no package/)])
  })

  it.each([
    ['src/protocol/anything.ts', "import { planReframe } from '../core/reframe-plan'"],
    ['src/pipeline/anything.ts', "import { createProvider } from '../providers/registry'"],
    ['src/providers/anything.ts', "import { nodeBackend } from '../imaging/backend-node'"],
    ['ui/hooks/anything.ts', "import { startBatch } from '../../src/pipeline/run-batch'"],
    ['src/protocol/anything.ts', "import * as z from 'zod/mini'"],
    ['src/protocol/anything.ts', "import en from 'zod/v4/locales/en.js'"],
    ['src/plugin/anything.ts', "import * as z from 'zod/mini'"],
    ['src/providers/anything.ts', "import * as z from 'zod/mini'"]
  ])('allows in %s: %s', async (filePath, code) => {
    expect(await problems(filePath, code)).toEqual([])
  })

  // classic zod cannot be tree-shaken (start-up of the CLI, size of the plugin): zod/mini everywhere
  it.each([
    ['src/providers/anything.ts', "import { z } from 'zod'"],
    ['src/cli/anything.ts', "import { z } from 'zod'"],
    ['src/relay/anything.ts', "import * as z from 'zod'"],
    ['ui/anything.ts', "import { z } from 'zod'"]
  ])('refuses classic zod in %s: %s', async (filePath, code) => {
    expect(await problems(filePath, code)).toEqual([expect.stringMatching(/Use zod\/mini/)])
  })
})
