// The layer fences (.dependency-cruiser.cjs) fail on breaking imports, direct and indirect: each case
// builds a small tree in a temporary folder, copies the real config beside it and cruises it with
// scripts/fences.ts, so the real tree is never touched. The last block holds the real tree to its
// list of known violations (.fences-known.json), which may only shrink.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONFIG_FILE,
  KNOWN_FILE,
  checkFences,
  cruiseFences,
  readKnown,
  violationKey,
  writeKnown,
  type FenceReport,
  type Violation,
} from '../../scripts/fences';

type Tree = Record<string, string>;

/** A tree that keeps every fence: each layer uses everything it may. */
const CLEAN: Tree = {
  'domain/price.ts':
    "import { z } from 'zod';\nimport { createHash } from 'node:crypto';\nexport const price = z.number();\nexport const hash = createHash;\n",
  'domain/rules.ts': "import { price } from './price';\nexport const rules = price;\n",
  'drivers/errors.ts': 'export class DriverError extends Error {}\n',
  'drivers/printers/escpos.ts':
    "import { DriverError } from '../errors';\nimport type { price } from '../../domain/price';\nexport type P = typeof price;\nexport const escpos = DriverError;\n",
  'drivers/printers/escpos-simulator.ts': "import { escpos } from './escpos';\nexport const sim = escpos;\n",
  'drivers/usb/bulk.ts': "import { DriverError } from '../errors';\nexport const bulk = DriverError;\n",
  'drivers/usb/simulated.ts': "import { bulk } from './bulk';\nexport const simulatedUsb = bulk;\n",
  'drivers/testing/pty.ts': "import { sim } from '../printers/escpos-simulator';\nexport const pty = sim;\n",
  'drivers/index.ts': "export { escpos } from './printers/escpos';\nexport { bulk } from './usb/bulk';\n",
  'drivers/simulators.ts':
    "export { sim } from './printers/escpos-simulator';\nexport { simulatedUsb } from './usb/simulated';\n",
  'electron/contract/index.ts': "import { rules } from '../../domain/rules';\nexport const calls = rules;\n",
  'electron/core/core.ts':
    "import { calls } from '../contract';\nimport { escpos } from '../../drivers';\nimport { price } from '../../domain/price';\nexport const core = [calls, escpos, price];\n",
  'electron/core/boot.ts': "import { core } from './core';\nexport const boot = core;\n",
  'electron/demo/index.ts':
    "import { boot } from '../core/boot';\nimport { sim } from '../../drivers/simulators';\nimport { app } from '../../server/src/app';\nexport const demo = [boot, sim, app];\n",
  'electron/main/main.ts':
    "import { app } from 'electron';\nimport { calls } from '../contract';\nexport const main = [app, calls];\n",
  'electron/preload/preload.ts':
    "import { contextBridge } from 'electron';\nimport { calls } from '../contract/index';\nexport const preload = [contextBridge, calls];\n",
  'server/src/app.ts': "import { rules } from '../../domain/rules';\nexport const app = rules;\n",
  'renderer/src/App.tsx':
    "import { calls } from '../../electron/contract';\nimport { price } from '../../domain/price';\nexport const App = () => [calls, price];\n",
  'scripts/devices.ts':
    "import { sim } from '../drivers/printers/escpos-simulator';\nimport { pty } from '../drivers/testing/pty';\nimport electron from 'electron';\nexport const devices = [sim, pty, electron];\n",
  'bench/ingest.ts':
    "import { app } from '../server/src/app';\nimport { simulatedUsb } from '../drivers/simulators';\nimport { demo } from '../electron/demo';\nexport const bench = [app, simulatedUsb, demo];\n",
};

/** Stand-ins for the packages the fixtures import, so the fixture needs no real node_modules. */
const PACKAGES: Tree = {
  'node_modules/zod/package.json': '{ "name": "zod", "version": "4.0.0", "main": "index.js" }\n',
  'node_modules/zod/index.js': 'export const z = {};\n',
  'node_modules/electron/package.json': '{ "name": "electron", "version": "41.0.0", "main": "index.js" }\n',
  'node_modules/electron/index.js': "module.exports = '/path/to/electron';\n",
  'node_modules/left-pad/package.json': '{ "name": "left-pad", "version": "1.3.0", "main": "index.js" }\n',
  'node_modules/left-pad/index.js': 'module.exports = (s) => s;\n',
  'package.json':
    '{ "name": "fixture", "type": "module", "dependencies": { "zod": "*", "left-pad": "*" }, "devDependencies": { "electron": "*" } }\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2023',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      jsx: 'react-jsx',
      strict: true,
      noEmit: true,
    },
  }),
};

function writeTree(dir: string, tree: Tree) {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Lays out CLEAN with `changes` on top, beside a copy of the real config, and runs `use` on it. */
async function withTree<T>(changes: Tree, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'admit-fences-'));
  try {
    writeTree(dir, { ...PACKAGES, ...CLEAN, ...changes });
    copyFileSync(CONFIG_FILE, join(dir, CONFIG_FILE));
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const cruiseTree = (changes: Tree) => withTree(changes, (dir) => cruiseFences(dir));
const brief = (vs: Violation[]) => vs.map((v) => `${v.rule}: ${v.from} → ${v.to}${v.direct ? '' : ' (indirect)'}`);

describe('fences (dependency-cruiser, real config)', () => {
  it('a tree where every layer uses only what it may has no violations', async () => {
    expect(brief(await cruiseTree({}))).toEqual([]);
  });

  interface Case {
    rule: string;
    from: string;
    to: string;
    direct: boolean;
  }
  const cases: [string, Tree, Case][] = [
    // domain/
    [
      'domain importing drivers',
      { 'domain/bad.ts': "import { escpos } from '../drivers';\nexport const x = escpos;\n" },
      { rule: 'domain-imports-nothing-of-the-project', from: 'domain/bad.ts', to: 'drivers/index.ts', direct: true },
    ],
    [
      'domain importing a package other than zod',
      { 'domain/bad.ts': "import pad from 'left-pad';\nexport const x = pad;\n" },
      { rule: 'domain-uses-zod-and-crypto-only', from: 'domain/bad.ts', to: 'node_modules/left-pad/index.js', direct: true },
    ],
    [
      'domain importing a Node builtin other than crypto',
      { 'domain/bad.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n" },
      { rule: 'domain-uses-zod-and-crypto-only', from: 'domain/bad.ts', to: 'fs', direct: true },
    ],
    // drivers/
    [
      'a driver importing the core',
      { 'drivers/printers/bad.ts': "import { core } from '../../electron/core/core';\nexport const x = core;\n" },
      { rule: 'drivers-import-drivers-only', from: 'drivers/printers/bad.ts', to: 'electron/core/core.ts', direct: true },
    ],
    [
      'a driver reaching server/ through domain/ (two hops)',
      {
        'domain/leak.ts': "import { app } from '../server/src/app';\nexport const leak = app;\n",
        'drivers/printers/bad.ts': "import { leak } from '../../domain/leak';\nexport const x = leak;\n",
      },
      { rule: 'drivers-import-drivers-only', from: 'drivers/printers/bad.ts', to: 'server/src/app.ts', direct: false },
    ],
    // electron/contract/
    [
      'the contract importing server/',
      { 'electron/contract/bad.ts': "import { app } from '../../server/src/app';\nexport const x = app;\n" },
      { rule: 'contract-imports-domain-only', from: 'electron/contract/bad.ts', to: 'server/src/app.ts', direct: true },
    ],
    // core
    [
      'the core importing server/',
      { 'electron/core/bad.ts': "import { app } from '../../server/src/app';\nexport const x = app;\n" },
      { rule: 'core-imports-domain-contract-drivers-only', from: 'electron/core/bad.ts', to: 'server/src/app.ts', direct: true },
    ],
    [
      'the core reaching server/ through the contract (two hops)',
      { 'electron/contract/index.ts': "import { app } from '../../server/src/app';\nexport const calls = app;\n" },
      {
        rule: 'core-imports-domain-contract-drivers-only',
        from: 'electron/core/core.ts',
        to: 'server/src/app.ts',
        direct: false,
      },
    ],
    [
      "the core importing a driver's internals",
      { 'electron/core/bad.ts': "import { escpos } from '../../drivers/printers/escpos';\nexport const x = escpos;\n" },
      {
        rule: 'core-uses-the-drivers-public-entry',
        from: 'electron/core/bad.ts',
        to: 'drivers/printers/escpos.ts',
        direct: true,
      },
    ],
    // server/
    [
      'the server importing the core',
      { 'server/src/bad.ts': "import { core } from '../../electron/core/core';\nexport const x = core;\n" },
      { rule: 'server-imports-domain-only', from: 'server/src/bad.ts', to: 'electron/core/core.ts', direct: true },
    ],
    [
      'the server reaching drivers/ through domain/ (two hops)',
      {
        'domain/leak.ts': "import { escpos } from '../drivers';\nexport const leak = escpos;\n",
        'server/src/bad.ts': "import { leak } from '../../domain/leak';\nexport const x = leak;\n",
      },
      { rule: 'server-imports-domain-only', from: 'server/src/bad.ts', to: 'drivers/index.ts', direct: false },
    ],
    // renderer/
    [
      'the renderer importing the core',
      { 'renderer/src/bad.ts': "import { core } from '../../electron/core/core';\nexport const x = core;\n" },
      {
        rule: 'renderer-imports-contract-and-domain-only',
        from: 'renderer/src/bad.ts',
        to: 'electron/core/core.ts',
        direct: true,
      },
    ],
    [
      'the renderer reaching server/ through the contract (two hops)',
      { 'electron/contract/index.ts': "import { app } from '../../server/src/app';\nexport const calls = app;\n" },
      { rule: 'renderer-imports-contract-and-domain-only', from: 'renderer/src/App.tsx', to: 'server/src/app.ts', direct: false },
    ],
    [
      'the renderer reaching server/ through a type-only import',
      {
        'electron/contract/index.ts':
          "import type { app } from '../../server/src/app';\nexport type Calls = typeof app;\nexport const calls = 1;\n",
      },
      { rule: 'renderer-imports-contract-and-domain-only', from: 'renderer/src/App.tsx', to: 'server/src/app.ts', direct: false },
    ],
    // electron/main, electron/preload
    [
      'the Electron main importing the core',
      { 'electron/main/bad.ts': "import { core } from '../core/core';\nexport const x = core;\n" },
      { rule: 'main-imports-contract-only', from: 'electron/main/bad.ts', to: 'electron/core/core.ts', direct: true },
    ],
    [
      'the preload reaching drivers/ through the contract (two hops)',
      { 'electron/contract/index.ts': "import { escpos } from '../../drivers';\nexport const calls = escpos;\n" },
      { rule: 'preload-imports-contract-only', from: 'electron/preload/preload.ts', to: 'drivers/index.ts', direct: false },
    ],
    // the electron package
    [
      'the core importing electron',
      { 'electron/core/bad.ts': "import type { App } from 'electron';\nexport type X = App;\n" },
      {
        rule: 'only-main-and-preload-import-electron',
        from: 'electron/core/bad.ts',
        to: 'node_modules/electron/index.js',
        direct: true,
      },
    ],
    [
      'the renderer reaching electron through the contract (two hops)',
      { 'electron/contract/index.ts': "import { ipcRenderer } from 'electron';\nexport const calls = ipcRenderer;\n" },
      {
        rule: 'only-main-and-preload-import-electron',
        from: 'renderer/src/App.tsx',
        to: 'node_modules/electron/index.js',
        direct: false,
      },
    ],
    // simulators
    [
      'the core importing the simulators entry',
      { 'electron/core/bad.ts': "import { sim } from '../../drivers/simulators';\nexport const x = sim;\n" },
      { rule: 'no-simulators-in-production', from: 'electron/core/bad.ts', to: 'drivers/simulators.ts', direct: true },
    ],
    [
      'the core reaching a simulator through drivers/index.ts (two hops)',
      { 'drivers/index.ts': "export { escpos } from './printers/escpos';\nexport { sim } from './printers/escpos-simulator';\n" },
      {
        rule: 'no-simulators-in-production',
        from: 'electron/core/core.ts',
        to: 'drivers/printers/escpos-simulator.ts',
        direct: false,
      },
    ],
    [
      'a driver importing a simulated transport',
      {
        'drivers/usb/bulk.ts':
          "import { DriverError } from '../errors';\nimport { simulatedUsb } from './simulated';\nexport const bulk = [DriverError, simulatedUsb];\n",
      },
      { rule: 'no-simulators-in-production', from: 'drivers/usb/bulk.ts', to: 'drivers/usb/simulated.ts', direct: true },
    ],
    [
      'a driver importing drivers/testing',
      { 'drivers/printers/bad.ts': "import { pty } from '../testing/pty';\nexport const x = pty;\n" },
      { rule: 'no-simulators-in-production', from: 'drivers/printers/bad.ts', to: 'drivers/testing/pty.ts', direct: true },
    ],
    [
      'the server importing a usb-simulated transport',
      {
        'drivers/printers/transports/usb-simulated.ts': 'export const usbSim = 1;\n',
        'server/src/bad.ts':
          "import { usbSim } from '../../drivers/printers/transports/usb-simulated';\nexport const x = usbSim;\n",
      },
      {
        rule: 'no-simulators-in-production',
        from: 'server/src/bad.ts',
        to: 'drivers/printers/transports/usb-simulated.ts',
        direct: true,
      },
    ],
    // demo
    [
      'the core importing the demo',
      {
        'electron/core/boot.ts':
          "import { core } from './core';\nimport { demo } from '../demo';\nexport const boot = [core, demo];\n",
      },
      { rule: 'no-demo-in-production', from: 'electron/core/boot.ts', to: 'electron/demo/index.ts', direct: true },
    ],
    [
      'the core host reaching the demo through the core (two hops)',
      {
        'electron/core/host.ts': "import { boot } from './boot';\nexport const host = boot;\n",
        'electron/core/boot.ts':
          "import { core } from './core';\nimport { seed } from '../demo/seed';\nexport const boot = [core, seed];\n",
        'electron/demo/seed.ts': "import { sim } from '../../drivers/simulators';\nexport const seed = sim;\n",
      },
      { rule: 'no-demo-in-production', from: 'electron/core/host.ts', to: 'electron/demo/seed.ts', direct: false },
    ],
    // an edge the cruiser cannot see is an edge it cannot check
    [
      'an import that does not resolve',
      { 'electron/core/bad.ts': "import { gone } from './gone';\nexport const x = gone;\n" },
      { rule: 'no-unresolvable-imports', from: 'electron/core/bad.ts', to: './gone', direct: true },
    ],
  ];

  it.each(cases)('%s breaks a fence', async (_name, changes, expected) => {
    const found = await cruiseTree(changes);
    expect(found.map(({ rule, from, to, direct }) => ({ rule, from, to, direct }))).toContainEqual(expected);
  });

  it('the demo, tests-only folders and simulators themselves may load simulators', async () => {
    // CLEAN already has electron/demo, scripts/ and bench/ importing simulators; another demo file too:
    const found = await cruiseTree({
      'electron/demo/seed.ts': "import { sim } from '../../drivers/simulators';\nexport const seed = sim;\n",
    });
    expect(brief(found)).toEqual([]);
  });
});

describe('the known-violations list', () => {
  const known = (entries: { rule: string; from: string; to: string; direct: boolean }[]) => (dir: string) => {
    writeKnown(dir, entries);
    return checkFences(dir);
  };
  const leak = { 'electron/contract/index.ts': "import { app } from '../../server/src/app';\nexport const calls = app;\n" };

  it('hides exactly the listed violations and reports the rest', async () => {
    const listed = {
      rule: 'contract-imports-domain-only',
      from: 'electron/contract/index.ts',
      to: 'server/src/app.ts',
      direct: true,
    };
    const report = await withTree(leak, known([listed]));
    expect(report.violations.map(violationKey)).toContain(violationKey(listed));
    expect(report.unexpected.map(violationKey)).not.toContain(violationKey(listed));
    expect(brief(report.unexpected)).toContain(
      'renderer-imports-contract-and-domain-only: renderer/src/App.tsx → server/src/app.ts (indirect)',
    );
    expect(report.stale).toEqual([]);
  });

  it('reports listed violations that are gone, so the list can only shrink', async () => {
    const gone = {
      rule: 'contract-imports-domain-only',
      from: 'electron/contract/index.ts',
      to: 'server/src/app.ts',
      direct: true,
    };
    const report = await withTree({}, known([gone]));
    expect(report.unexpected).toEqual([]);
    expect(report.stale).toEqual([gone]);
  });
});

describe('the real tree', () => {
  let report: FenceReport;
  beforeAll(async () => {
    report = await checkFences(process.cwd());
  }, 300_000);

  it('has no violation beyond those listed in .fences-known.json', () => {
    expect(brief(report.unexpected)).toEqual([]);
  });

  it(`still has every violation listed in ${KNOWN_FILE} (fixed ones must leave the list)`, () => {
    expect(report.stale.map((k) => `${k.rule}: ${k.from} → ${k.to}`)).toEqual([]);
  });

  it('marks direct imports as direct in the list (ESLint warns, not errors, on exactly those files)', () => {
    const found = new Map(report.violations.map((v) => [violationKey(v), v.direct]));
    const wrong = readKnown(process.cwd()).filter((k) => found.has(violationKey(k)) && found.get(violationKey(k)) !== k.direct);
    expect(wrong).toEqual([]);
  });
});
