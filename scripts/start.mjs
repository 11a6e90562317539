// `npm start`: builds what is missing, then runs Admit in Electron where its binary is installed and in
// service mode otherwise — and says which.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!existsSync('dist/renderer/index.html') || args.includes('--rebuild')) run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('node', ['scripts/build.mjs']);

let electronBinary = null;
try {
  const require = createRequire(import.meta.url);
  const candidate = require('electron');
  if (typeof candidate === 'string' && existsSync(candidate)) electronBinary = candidate;
} catch {
  electronBinary = null;
}
const passthrough = args.filter((a) => a !== '--rebuild' && a !== '--service');
if (electronBinary && !args.includes('--service')) {
  console.log('Starting Admit in Electron.');
  spawn(electronBinary, ['.', ...passthrough], { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 0));
} else {
  console.log(
    electronBinary ? 'Starting Admit in service mode (asked for with --service).' : 'No Electron binary is installed here: starting Admit in service mode.',
  );
  spawn(process.execPath, ['dist/service/admit-service.mjs', ...passthrough], { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 0));
}
