// Builds what runs outside the browser: the Electron main, preload and core host, and the service-mode
// entry. Dependencies stay external (native modules load from node_modules / app.asar.unpacked).
import { build } from 'esbuild';

// import.meta is only read behind a __dirname / explicit-path guard in the CommonJS bundles.
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', logOverride: { 'empty-import-meta': 'silent' } };

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', packages: 'external' }),
  // Sandboxed preloads cannot require npm packages: bundle everything except electron itself.
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/core/host/utility.ts'], outfile: 'dist/electron/core-host.cjs', format: 'cjs', packages: 'external' }),
  build({
    ...common,
    entryPoints: ['electron/core/service/main.ts'],
    outfile: 'dist/service/admit-service.mjs',
    format: 'esm',
    packages: 'external',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  }),
]);
console.log('built dist/electron and dist/service');
