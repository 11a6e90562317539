// One lint set-up for the whole tree. The import boundaries are the architecture: breaking one fails
// the build (the lint step runs in `npm test`).
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only electron/main and electron/preload may import electron.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'migrations/**', 'artifacts/**', 'coverage/**', 'tests/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  // Core, drivers, server and contract run under plain Node (or anywhere): never Electron.
  {
    files: ['electron/core/**', 'electron/contract/**', 'drivers/**', 'server/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  // The domain is pure: zod, platform crypto and its own modules, nothing else of the project or npm.
  {
    files: ['domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(?!(zod|node:crypto)$|\\./)', message: 'domain/ may import only zod, node:crypto and other domain/ modules.' }],
        },
      ],
    },
  },
  // The renderer sees the rest of the project only through the contract.
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches the core only through window.admit.' }],
          patterns: [
            {
              regex: '^(\\.\\./)+(?!electron/contract)(electron|drivers|server|tests|bench|scripts)(/|$)',
              message: 'The renderer may import only the contract (electron/contract) from outside renderer/.',
            },
            { regex: '^(\\.\\./)+electron/(?!contract)', message: 'The renderer may import only electron/contract.' },
            { group: ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3', 'serialport', 'node-hid', 'usb'], message: 'No Node or device modules in the renderer.' },
          ],
        },
      ],
    },
  },
);
