// One lint set-up for the whole tree. The import boundaries are the architecture: breaking one fails
// the build (the lint step runs in `npm test`). These rules see one import at a time and give fast
// feedback in the editor; `npm run fences` (dependency-cruiser, .dependency-cruiser.cjs) is the
// complete check, indirect imports included.
import { existsSync, readFileSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Files that .fences-known.json lists as importing across a fence (accepted while a layer is being
// moved; the list may only shrink) get their fence as warnings; every other file gets errors.
const knownFile = new URL('./.fences-known.json', import.meta.url);
const known = existsSync(knownFile) ? JSON.parse(readFileSync(knownFile, 'utf8')).knownViolations : [];
const pendingFiles = [...new Set(known.filter((k) => k.direct).map((k) => k.from))];

const TOP = 'domain|drivers|electron|server|renderer|tests|bench|scripts';
/** An import that climbs out to one of the given top-level folders. */
const outTo = (folders, message) => ({ regex: `^(\\.\\./)+(${folders})(/|$)`, message });

const electronPackage = {
  paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only electron/main and electron/preload may import electron.' }],
};
const SIMULATOR_FILES = [
  'drivers/simulators.ts',
  'drivers/testing/**',
  'drivers/**/*-simulator.ts',
  'drivers/**/simulated*.ts',
  'drivers/**/usb-simulated.ts',
];
const DEMO_FILES = ['electron/demo/**'];
const simulators = [
  {
    regex: '(-simulator|(^|/)simulators|(^|/)simulated[^/]*|(^|/)usb-simulated)$',
    message: 'Simulators load only in tests, bench, scripts and demo mode.',
  },
  { regex: '(^|/)testing(/|$)', message: 'drivers/testing loads only in tests, bench, scripts and demo mode.' },
];
const demo = [{ regex: '(^|/)demo(/|$)', message: 'Demo mode is its own entry: production code never loads it.' }];

/** One fence: `patterns` for `files`; errors, except warnings in the files listed as pending. */
const fence = (files, { paths = [], patterns }, extra = {}) => {
  const options = { paths, patterns };
  const pending = pendingFiles.filter(
    (f) => files.some((glob) => matchesGlob(f, glob)) && !(extra.ignores ?? []).some((glob) => matchesGlob(f, glob)),
  );
  return [
    { files, ...extra, ignores: [...(extra.ignores ?? []), ...pending], rules: { 'no-restricted-imports': ['error', options] } },
    ...(pending.length ? [{ files: pending, rules: { 'no-restricted-imports': ['warn', options] } }] : []),
  ];
};
/** Enough of glob matching for the patterns above: `**` any folders, `*` within one name. */
function matchesGlob(file, glob) {
  const parts = glob.split('/');
  const source = parts
    .map((part, i) => {
      const last = i === parts.length - 1;
      if (part === '**') return last ? '.*' : '(.*/)?';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + (last ? '' : '/');
    })
    .join('');
  return new RegExp(`^${source}$`).test(file);
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'migrations/**',
      'artifacts/**',
      'coverage/**',
      'tests/fixtures/lint/**',
    ],
  },
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
  { files: ['.dependency-cruiser.cjs'], languageOptions: { sourceType: 'commonjs' } },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },

  // ── Fences (docs/architecture.md, "Layers and fences") ──────────────────────────────────────────
  // domain/: pure rules used by everyone; nothing of the project, of packages only zod and crypto.
  ...fence(['domain/**'], {
    ...electronPackage,
    patterns: [
      ...electronPackage.patterns,
      outTo(TOP.replace('domain|', ''), 'domain/ imports nothing of the project.'),
      { regex: '^(?!\\.|zod(/|$)|(node:)?crypto$)', message: 'domain/ may use only zod and crypto.' },
    ],
  }),
  // drivers/: drivers only (and domain types); no simulators outside the simulators themselves.
  ...fence(
    ['drivers/**'],
    {
      ...electronPackage,
      patterns: [
        ...electronPackage.patterns,
        outTo('electron|server|renderer|tests|bench|scripts', 'drivers/ import only drivers/ (and domain/).'),
        ...simulators,
      ],
    },
    { ignores: SIMULATOR_FILES },
  ),
  ...fence(SIMULATOR_FILES, {
    ...electronPackage,
    patterns: [
      ...electronPackage.patterns,
      outTo('electron|server|renderer|tests|bench|scripts', 'drivers/ import only drivers/ (and domain/).'),
    ],
  }),
  // electron/contract/: domain only.
  ...fence(['electron/contract/**'], {
    ...electronPackage,
    patterns: [
      ...electronPackage.patterns,
      outTo('drivers|server|renderer|tests|bench|scripts', 'The contract imports only domain/.'),
      outTo('core|main|preload|demo', 'The contract imports only domain/.'),
      { regex: '^(\\.\\./)+electron/(?!contract(/|$))', message: 'The contract imports only domain/.' },
      ...simulators,
    ],
  }),
  // The core host: domain, contract and the drivers' public entry (drivers/index.ts); never Electron.
  ...fence(
    ['electron/core/**'],
    {
      ...electronPackage,
      patterns: [
        ...electronPackage.patterns,
        outTo('server|renderer|tests|bench|scripts', 'The core imports only domain/, the contract and drivers/index.ts.'),
        outTo('main|preload', 'The core imports only domain/, the contract and drivers/index.ts.'),
        {
          regex: '^(\\.\\./)+electron/(?!(core|contract)(/|$))',
          message: 'The core imports only domain/, the contract and drivers/index.ts.',
        },
        { regex: '^(\\.\\./)+drivers/(?!index$)', message: 'The core imports drivers only through drivers/index.ts.' },
        ...simulators,
        ...demo,
      ],
    },
    { ignores: DEMO_FILES },
  ),
  // server/: domain only.
  ...fence(['server/**'], {
    ...electronPackage,
    patterns: [
      ...electronPackage.patterns,
      outTo('drivers|electron|renderer|tests|bench|scripts', 'server/ imports only domain/.'),
      ...simulators,
    ],
  }),
  // The renderer sees the rest of the project only through the contract (and domain types).
  ...fence(['renderer/**'], {
    paths: [{ name: 'electron', message: 'The renderer reaches the core only through window.admit.' }],
    patterns: [
      {
        regex: '^(\\.\\./)+(?!electron/contract)(electron|drivers|server|tests|bench|scripts)(/|$)',
        message: 'The renderer may import only the contract (electron/contract) and domain/ from outside renderer/.',
      },
      { regex: '^(\\.\\./)+electron/(?!contract)', message: 'The renderer may import only electron/contract.' },
      {
        group: ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3', 'serialport', 'node-hid', 'usb'],
        message: 'No Node or device modules in the renderer.',
      },
      ...simulators,
      ...demo,
    ],
  }),
  // The Electron shell: the contract only (it starts the core host by path, not by import).
  ...fence(['electron/main/**'], {
    patterns: [
      outTo('drivers|server|renderer|tests|bench|scripts', 'electron/main imports only the contract.'),
      outTo('core|preload|demo', 'electron/main imports only the contract.'),
      { regex: '^(\\.\\./)+electron/(?!(main|contract)(/|$))', message: 'electron/main imports only the contract.' },
    ],
  }),
  ...fence(['electron/preload/**'], {
    patterns: [
      outTo('drivers|server|renderer|tests|bench|scripts', 'electron/preload imports only the contract.'),
      outTo('core|main|demo', 'electron/preload imports only the contract.'),
      { regex: '^(\\.\\./)+electron/(?!(preload|contract)(/|$))', message: 'electron/preload imports only the contract.' },
    ],
  }),
  // The demo and the benchmarks run under plain Node: never Electron.
  ...fence([...DEMO_FILES, 'bench/**'], electronPackage),
);
