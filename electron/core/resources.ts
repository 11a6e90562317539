// Owns finding the files the core ships with (migrations, built renderer, version) both in a source
// checkout and in a packaged app, where electron-builder puts migrations under resources/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Resources = { localMigrations: string; serverMigrations: string; renderer: string; version: string };

function findUp(start: string, marker: string): string | null {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, marker))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function resolveResources(): Resources {
  const here = typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const root =
    process.env['ADMIT_ROOT'] ??
    (resourcesPath && existsSync(join(resourcesPath, 'migrations')) ? resourcesPath : null) ??
    findUp(here, 'migrations') ??
    resolve('.');
  const pkgDir = findUp(here, 'package.json');
  const version = pkgDir ? (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version : '0.0.0';
  const rendererCandidates = [join(root, 'dist', 'renderer'), pkgDir ? join(pkgDir, 'dist', 'renderer') : ''];
  return {
    localMigrations: join(root, 'migrations', 'local'),
    serverMigrations: join(root, 'migrations', 'server'),
    renderer: rendererCandidates.find((c) => c && existsSync(join(c, 'index.html'))) ?? join(root, 'dist', 'renderer'),
    version,
  };
}
