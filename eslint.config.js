// ESLint (flat config) with type information: the promise rules catch the floating and misused
// promises that once hid failures; the import rules enforce the layers (see README, Design).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Layers: who may import whom. Paths are matched against the import specifier. */
const NODE_OR_ELECTRON_IN_SHARED = ['node:*', 'electron', 'fs', 'path', 'os', 'crypto', 'child_process'];
const ADAPTERS = ['**/main/**', '**/preload/**', '**/host/**', '**/cli/**', '**/renderer/**'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'e2e/test-results/**',
      'e2e/report/**',
      'bench/.work/**',
      'models/**',
      '**/*.cjs',
      'electron/preload/*.cts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['renderer/vite.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }], ignoreVoid: false },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        AbortController: 'readonly',
      },
    },
  },
  // Playwright fixtures are declared with an object pattern, empty when a fixture needs no other.
  {
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off', '@typescript-eslint/no-empty-object-type': 'off' },
  },
  // The contract is imported by the renderer: nothing of ours, nothing of Node or Electron.
  {
    files: ['electron/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', ...NODE_OR_ELECTRON_IN_SHARED],
              message: 'electron/shared imports nothing of ours, of Node or of Electron: the renderer bundles it.',
            },
          ],
        },
      ],
    },
  },
  // The engine never reaches into an adapter, the renderer or Electron.
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The engine imports nothing from Electron: it runs in the CLI and the web host too.' }],
          patterns: [{ group: ADAPTERS, message: 'The engine imports no adapter (main, preload, host, cli) and no renderer code.' }],
        },
      ],
    },
  },
  // Adapters use the engine through its public API only.
  {
    files: ['electron/main/**/*.ts', 'electron/host/**/*.ts', 'electron/cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../engine/*/**', '!../engine/index.js'], message: 'Adapters import the engine only through electron/engine/index.ts (its public API).' },
          ],
        },
      ],
    },
  },
  // The renderer sees the contract's types and nothing else of the Node side. Its fire-and-forget
  // actions are marked `void` on purpose: they report failures through the stores' error state.
  // Hooks in the same order on every render: a hook after an early return blanked the whole app
  // when Settings opened before its values had loaded.
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/*', '!**/electron/shared', '**/electron/*/**', '!**/electron/shared/**'],
              message: 'The renderer imports only electron/shared (the contract).',
            },
          ],
        },
      ],
    },
  },
);
