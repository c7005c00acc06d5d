// Lint: the layers of the codebase (every file, every folder), and Figma's own rules for the
// main-thread code, which flag APIs that break under dynamic-page.
import figmaPlugin from '@figma/eslint-plugin-figma-plugins'
import tseslint from 'typescript-eslint'

/**
 * Who may import whom. Arrows only point down: core <- protocol <- imaging / providers <- pipeline <-
 * plugin / ui / cli / relay / preview. A folder not named in a layer's list is off limits to it.
 * Folders are recognised by name anywhere in a relative import ("../providers/http", "../../src/core/x").
 */
const FOLDERS = ['core', 'protocol', 'imaging', 'providers', 'pipeline', 'plugin', 'relay', 'cli', 'ui', 'preview', 'fakes', 'page', 'test', 'bench']
const LAYERS = [
  { files: ['src/core/**'], may: ['core'], packages: 'none' },
  { files: ['src/protocol/**'], may: ['core', 'protocol'], packages: ['zod/mini', 'zod/v4/locales/en'] },
  { files: ['src/imaging/**'], may: ['core', 'protocol', 'imaging'] },
  { files: ['src/providers/**'], may: ['core', 'protocol', 'imaging', 'providers'] },
  { files: ['src/pipeline/**'], may: ['core', 'protocol', 'imaging', 'providers', 'pipeline'] },
  // the main thread has no DOM and no network: it never needs the providers, imaging or the pipeline
  { files: ['src/plugin/**'], may: ['core', 'protocol', 'plugin'], packages: ['zod/mini', '@create-figma-plugin/utilities'] },
  { files: ['src/relay/**'], may: ['core', 'protocol', 'relay'] },
  { files: ['src/cli/**'], may: ['core', 'protocol', 'imaging', 'providers', 'pipeline', 'cli'] },
  { files: ['ui/**'], may: ['core', 'protocol', 'imaging', 'providers', 'pipeline', 'ui'] },
  { files: ['preview/fakes/**'], may: ['core', 'protocol', 'fakes'] },
  { files: ['preview/*.ts', 'preview/page/**'], may: ['core', 'protocol', 'imaging', 'preview', 'fakes', 'page'] },
  { files: ['bench/**'], may: ['core', 'protocol', 'imaging', 'providers', 'pipeline', 'plugin', 'relay', 'cli', 'ui', 'preview', 'fakes', 'bench'] }
]

function layerRule({ may, packages }) {
  const forbidden = FOLDERS.filter((folder) => !may.includes(folder))
  const patterns = [
    {
      regex: `^\\.{1,2}/(?:.*/)?(?:${forbidden.join('|')})/`,
      message: `This layer may import only from ${may.join(', ')} (arrows point down: core <- protocol <- imaging / providers <- pipeline <- plugin / ui / cli / relay / preview).`
    }
  ]
  if (packages === 'none') patterns.push({ regex: '^[^.]', message: 'core is pure: it imports no package.' })
  else if (Array.isArray(packages)) {
    patterns.push({ regex: `^(?!\\.|${packages.join('|')})`, message: `This layer may import only the packages ${packages.join(', ')}.` })
  } else {
    // classic zod cannot be tree-shaken: with zod/mini dist/cli.mjs went from 627 to 299 kB (~40 ms less
    // start-up) and the plugin's main thread (dist/code.js) from 510 to 76 kB
    patterns.push({ regex: '^zod$', message: "Use zod/mini (import * as z from 'zod/mini'), not classic zod." })
  }
  return { 'no-restricted-imports': ['error', { patterns }] }
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    // an import or a variable nobody reads is left over from a change: say so everywhere
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }]
    }
  },
  ...LAYERS.map((layer) => ({ files: layer.files.map((glob) => (glob.endsWith('/**') ? `${glob}/*.{ts,tsx}` : glob)), rules: layerRule(layer) })),
  {
    files: ['src/plugin/**/*.ts'],
    extends: [...tseslint.configs.recommended],
    plugins: { '@figma/figma-plugins': figmaPlugin },
    languageOptions: {
      parserOptions: { project: './src/plugin/tsconfig.json', tsconfigRootDir: import.meta.dirname }
    },
    rules: { ...figmaPlugin.configs.recommended.rules }
  }
)
