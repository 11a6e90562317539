// Builds what runs outside the browser: the Electron main, preload and core host, the service-mode entry,
// and the demo world as an entry of its own. Dependencies stay external (native modules load from
// node_modules / app.asar.unpacked). The production entries load the demo bundle by path, at run time and
// only in demo mode, so the central server, PGlite, pg and the device simulators are never bundled into
// them (tests/unit/bundle.test.ts checks the output).
import { build } from 'esbuild';

// import.meta is only read behind a __dirname / explicit-path guard in the CommonJS bundles.
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', logOverride: { 'empty-import-meta': 'silent' } };
// Where the core (electron/core/demo-loader.ts) finds the demo bundle, relative to dist/electron and dist/service.
const demo = { define: { __ADMIT_DEMO_BUNDLE__: JSON.stringify('../demo/demo-world.cjs') } };

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', packages: 'external' }),
  // Sandboxed preloads cannot require npm packages: bundle everything except electron itself.
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  build({ ...common, ...demo, entryPoints: ['electron/core/host/utility.ts'], outfile: 'dist/electron/core-host.cjs', format: 'cjs', packages: 'external' }),
  build({
    ...common,
    ...demo,
    entryPoints: ['electron/core/service/main.ts'],
    outfile: 'dist/service/admit-service.mjs',
    format: 'esm',
    packages: 'external',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  }),
  // CommonJS so that both hosts can `require` it, the Electron one from inside the asar archive.
  build({ ...common, entryPoints: ['electron/demo/world.ts'], outfile: 'dist/demo/demo-world.cjs', format: 'cjs', packages: 'external' }),
]);
console.log('built dist/electron, dist/service and dist/demo');
