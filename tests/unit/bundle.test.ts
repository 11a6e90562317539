// The production bundles carry the terminal and nothing of the demo: no central server, PGlite, pg,
// Fastify server code, socat PTYs or device simulators. The demo world is its own bundle, which the core
// loads by path at run time only in demo mode (electron/core/demo-loader.ts). Checked three ways on the output of
// scripts/build.mjs: the module specifiers each bundle requires, the source files its source map lists,
// and identifiers only the demo code has.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';

const PRODUCTION = [
  'dist/electron/main.cjs',
  'dist/electron/preload.cjs',
  'dist/electron/core-host.cjs',
  'dist/service/admit-service.mjs',
];
const DEMO = 'dist/demo/demo-world.cjs';

/** Packages of the central server and its databases: none belongs in a production bundle. */
const SERVER_PACKAGES = [
  /^@electric-sql\/pglite/,
  /^pg$/,
  /^pg\//,
  /^drizzle-orm\/(pglite|node-postgres|pg-core)/,
  /^@fastify\//,
  /^fastify$/,
];
/** Service mode serves the UI and the bridge with Fastify itself (electron/core/service/bridge-server.ts). */
const SERVICE_BRIDGE = new Set(['fastify', '@fastify/static', '@fastify/websocket']);
/** Identifiers of the demo world, the central server and the simulators. */
const DEMO_IDENTIFIERS = [
  'socat',
  'createPtyPair',
  'Simulator',
  'function startDemoWorld',
  'seedDemo',
  'createAdminApi',
  'openServerDb',
  'PGlite',
  'drizzle.__drizzle_migrations',
];

const read = (file: string) => readFileSync(file, 'utf8');
function specifiers(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(
    /\brequire\(\s*["']([^"']+)["']\s*\)|\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm,
  ))
    found.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return [...found];
}
function sources(file: string): string[] {
  const map = JSON.parse(read(`${file}.map`)) as { sources: string[] };
  return map.sources.filter((s) => !s.includes('node_modules/')).map((s) => s.replace(/^(\.\.\/)+/, ''));
}

beforeAll(() => {
  // Cheap (esbuild only) and always current: a dist/ left by an older checkout proves nothing.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'pipe' });
}, 300_000);

describe('production bundles', () => {
  it.each(PRODUCTION)('%s requires no server, database or Fastify server package', (file) => {
    const found = specifiers(read(file));
    expect(found.length).toBeGreaterThan(0);
    const bad = found.filter(
      (s) => SERVER_PACKAGES.some((p) => p.test(s)) && !(file.startsWith('dist/service/') && SERVICE_BRIDGE.has(s)),
    );
    expect(bad).toEqual([]);
  });

  it('the Electron core host has no Fastify at all', () => {
    expect(specifiers(read('dist/electron/core-host.cjs')).filter((s) => /fastify/.test(s))).toEqual([]);
    expect(read('dist/electron/core-host.cjs')).not.toMatch(/fastify/i);
  });

  it.each(PRODUCTION)('%s is built from no server, demo, simulator or PTY source', (file) => {
    const files = sources(file);
    expect(files.length).toBeGreaterThan(0);
    const bad = files.filter(
      (s) =>
        s.startsWith('server/src/') ||
        s.startsWith('electron/demo/') ||
        s.startsWith('drivers/testing/') ||
        /simulator/i.test(s),
    );
    expect(bad).toEqual([]);
  });

  it.each(PRODUCTION)('%s contains none of the demo world identifiers', (file) => {
    const code = read(file);
    expect(DEMO_IDENTIFIERS.filter((id) => code.includes(id))).toEqual([]);
  });

  it.each(['dist/electron/core-host.cjs', 'dist/service/admit-service.mjs'])(
    '%s names the demo bundle by path, to load it at run time',
    (file) => {
      expect(read(file)).toContain('"../demo/demo-world.cjs"');
    },
  );
});

describe('the demo bundle', () => {
  it('exists separately and holds the server, PGlite, socat PTYs and the simulators', () => {
    expect(existsSync(DEMO)).toBe(true);
    const code = read(DEMO);
    expect(specifiers(code)).toEqual(expect.arrayContaining(['@electric-sql/pglite', 'pg', 'fastify', 'node:child_process']));
    expect(sources(DEMO)).toEqual(
      expect.arrayContaining([
        'electron/demo/world.ts',
        'server/src/app.ts',
        'drivers/testing/pty.ts',
        'drivers/printers/escpos-simulator.ts',
      ]),
    );
    expect(code).toContain('socat');
    expect(code).toContain('function startDemoWorld');
  });
});
