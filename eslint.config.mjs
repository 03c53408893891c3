import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

/** Electron may be imported only by the thin desktop shell; everything else runs under plain Node. */
const noElectron = {
  paths: [
    {
      name: 'electron',
      message: 'Only src/main/index.ts and src/main/electron/ may import electron.',
    },
  ],
}

export default tseslint.config(
  { ignores: ['out/', 'out-*/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/renderer/**/*'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...noElectron.paths], patterns: ['**/main/**', '**/preload/**'] },
      ],
    },
  },
  {
    files: ['src/shared/**/*'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noElectron.paths],
          patterns: ['**/main/**', '**/preload/**', '**/renderer/**'],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*', 'test/**/*', 'bench/**/*'],
    ignores: ['src/main/index.ts', 'src/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  prettier,
)
