// Figma's own lint rules for the main-thread code: they flag APIs that break under dynamic-page.
import figmaPlugin from '@figma/eslint-plugin-figma-plugins'
import tseslint from 'typescript-eslint'

export default tseslint.config({
  files: ['src/plugin/**/*.ts'],
  extends: [...tseslint.configs.recommended],
  plugins: { '@figma/figma-plugins': figmaPlugin },
  languageOptions: {
    parserOptions: { project: './src/plugin/tsconfig.json', tsconfigRootDir: import.meta.dirname }
  },
  rules: { ...figmaPlugin.configs.recommended.rules }
})
