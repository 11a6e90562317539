// Owns getting the Electron binary on demand. `npm install` does not download it (package.json denies
// electron's install script in `allowScripts`), so an install succeeds on machines that cannot reach
// Electron's download site. `npm start` asks for the binary here: already installed, or fetched now with
// electron's own installer (which honours ELECTRON_MIRROR, proxies and its cache) — or null, and Admit
// runs in service mode. Packaging does not need it: electron-builder downloads the Electron it packs.
//   node scripts/electron-binary.mjs   fetches it now and prints its path
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The installed binary's path, as `require('electron')` would give it, or null. */
export function installedElectron() {
  const dir = electronPackageDir();
  if (!dir) return null;
  try {
    const binary = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8'));
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** The binary, fetched first if it is missing and may be fetched; null when there is none to run. */
export function electronBinary({ fetch = true, log = console.log } = {}) {
  const installed = installedElectron();
  if (installed || !fetch) return installed;
  const dir = electronPackageDir();
  if (!dir || !existsSync(join(dir, 'install.js'))) return null;
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    log('ELECTRON_SKIP_BINARY_DOWNLOAD is set: not fetching the Electron binary.');
    return null;
  }
  log('Fetching the Electron binary (once, about 100 MB; `npm start -- --service` skips this)…');
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  const binary = installedElectron();
  if (r.status === 0 && binary) return binary;
  const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n')[0] || `exit ${r.status ?? r.signal}`;
  log(`Could not fetch the Electron binary (${why}).`);
  return null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const binary = electronBinary();
  if (binary) console.log(binary);
  process.exit(binary ? 0 : 1);
}
