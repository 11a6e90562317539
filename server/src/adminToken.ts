// Owns the organizer's admin token at rest: generated on first start, kept in the data directory readable
// by the owner only (0600). The token is never logged; operators read the file.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newAdminToken } from './secrets';

export const ADMIN_TOKEN_FILE = 'admin-token';

export function adminTokenPath(dataDir: string): string {
  return join(dataDir, ADMIN_TOKEN_FILE);
}

export function loadOrCreateAdminToken(dataDir: string): string {
  const path = adminTokenPath(dataDir);
  try {
    const token = readFileSync(path, 'utf8').trim();
    if (token) return token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = newAdminToken();
  // 'wx' so two servers starting at once cannot overwrite each other's token.
  try {
    writeFileSync(path, token + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim();
    throw err;
  }
  chmodSync(path, 0o600); // the umask may have narrowed the mode further, never widened; make it exact
  return token;
}
