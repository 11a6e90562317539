// The fences between Admit's layers (the architecture's "Layers and fences" table), checked by
// dependency-cruiser over the whole import graph. Every layer fence is a `reachable` rule: a file
// reached from a layer through any chain of imports must itself be inside that layer's allowed set,
// so renderer → contract → server breaks the renderer's fence even though no single edge leaves it.
// Type-only imports count (tsPreCompilationDeps), as do `export … from` and require().
//
// `npm run fences` (scripts/fences.ts) runs these rules; .fences-known.json lists the violations
// accepted while a layer is being moved (none today), and may only shrink.

/** A source file of this project (not a package, not a Node builtin, not an asset). */
const CODE = '^(?!node_modules/)[^:]+\\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$';

/** Device simulators and test doubles: loaded only by tests, bench, scripts and the demo. */
const SIMULATORS = [
  '^drivers/simulators\\.ts$',
  '^drivers/testing/',
  '^drivers/.*-simulator\\.ts$',
  // simulated transports: drivers/**/simulated*.ts and drivers/**/usb-simulated.ts
  '^drivers/simulated[^/]*\\.ts$',
  '^drivers/.*/simulated[^/]*\\.ts$',
  '^drivers/.*/usb-simulated\\.ts$',
].join('|');

/** Demo mode: its own entry, loaded by path at run time (electron/core/demo-loader.ts), never imported. */
const DEMO = '^electron/demo/';

/** What may load simulators and the demo: everything that never ships in the production bundle. */
const TOOLING = '^(tests|bench|scripts)/';

/** The rule for one layer: nothing reachable from `from` may lie outside `allowed` (the layer itself included). */
const fence = (name, comment, from, allowed, fromNot) => ({
  name,
  comment,
  severity: 'error',
  from: fromNot ? { path: from, pathNot: fromNot } : { path: from },
  to: { reachable: true, path: CODE, pathNot: allowed },
});

module.exports = {
  forbidden: [
    // ── Layer fences, indirect imports included ────────────────────────────────────────────────
    fence(
      'domain-imports-nothing-of-the-project',
      'domain/ holds pure rules used by every other layer; it depends on none of them.',
      '^domain/',
      '^domain/',
    ),
    fence(
      'drivers-import-drivers-only',
      'drivers/ talk to devices and build on nothing else of the project but domain/ (pure, so drivers may use more than its types).',
      '^drivers/',
      '^(drivers|domain)/',
    ),
    fence(
      'contract-imports-domain-only',
      'electron/contract/ is shared by the renderer, preload, main and core: it may build only on domain/.',
      '^electron/contract/',
      '^(electron/contract|domain)/',
    ),
    fence(
      'core-imports-domain-contract-drivers-only',
      'The core host (electron/core/) builds on domain/, the contract and the drivers; never on server/, the shell or the renderer.',
      '^electron/core/',
      '^(electron/core|electron/contract|domain|drivers)/',
      DEMO,
    ),
    fence('server-imports-domain-only', 'server/ shares only domain/ with the terminals.', '^server/', '^(server|domain)/'),
    fence(
      'renderer-imports-contract-and-domain-only',
      'The renderer reaches the rest of the project only through the contract (and domain types).',
      '^renderer/',
      '^(renderer|electron/contract|domain)/',
    ),
    fence(
      'main-imports-contract-only',
      'electron/main/ is the Electron shell: it knows the contract, not the core (it spawns the core host by path).',
      '^electron/main/',
      '^(electron/main|electron/contract|domain)/',
    ),
    fence(
      'preload-imports-contract-only',
      'electron/preload/ is the bridge: it knows the contract and nothing else.',
      '^electron/preload/',
      '^(electron/preload|electron/contract|domain)/',
    ),
    {
      name: 'core-uses-the-drivers-public-entry',
      comment: "The core imports drivers only through drivers/index.ts, never a driver's internals.",
      severity: 'error',
      from: { path: '^electron/core/', pathNot: DEMO },
      to: { path: '^drivers/', pathNot: '^drivers/index\\.ts$' },
    },
    {
      name: 'domain-uses-zod-and-crypto-only',
      comment: 'domain/ runs everywhere (renderer, core, server): of packages and Node builtins it may use only zod and crypto.',
      severity: 'error',
      from: { path: '^domain/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown', 'core'],
        pathNot: '^node_modules/zod/|^(node:)?crypto$',
      },
    },

    // ── Electron, simulators, demo ─────────────────────────────────────────────────────────────
    {
      name: 'only-main-and-preload-import-electron',
      comment:
        "The electron package is the shell's alone: the core host, drivers, server and renderer run without it. " +
        'scripts/ may resolve it only to find the binary to launch.',
      severity: 'error',
      from: { pathNot: '^(electron/main|electron/preload)/|^scripts/|^node_modules/' },
      to: { reachable: true, path: '^node_modules/electron/' },
    },
    {
      name: 'no-simulators-in-production',
      comment: 'Simulators, simulated transports and drivers/testing load only in tests, bench, scripts and demo mode.',
      severity: 'error',
      from: { pathNot: `${TOOLING}|${SIMULATORS}|${DEMO}|^node_modules/` },
      to: { reachable: true, path: SIMULATORS },
    },
    {
      name: 'no-demo-in-production',
      comment: 'Demo mode is its own entry: nothing that ships in production loads it.',
      severity: 'error',
      from: { pathNot: `${TOOLING}|${DEMO}|^node_modules/` },
      to: { reachable: true, path: DEMO },
    },

    // ── The graph must be complete for the fences to mean anything ─────────────────────────────
    {
      name: 'no-unresolvable-imports',
      comment:
        'An import the cruiser cannot resolve is an edge it cannot check. A Vite asset URL (`…?url`: the file is copied, not run) is not code.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '\\?url$' },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    exclude: { path: '^(dist|release|coverage|artifacts)/' },
    moduleSystems: ['es6', 'cjs'],
    // node_modules may be a symlink (worktrees share one): keep packages under node_modules/ in the graph.
    preserveSymlinks: true,
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
