// `npm start`: builds what is missing or older than its sources, then runs Admit in Electron where its binary is installed (or can
// be fetched now, see electron-binary.mjs) and in service mode otherwise — and says which. Admit stops
// with this script: Ctrl+C reaches both; if this script is stopped or killed on its own, service mode
// sees its IPC channel close and shuts down in order.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const args = process.argv.slice(2);
const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
// The UI is built again when a source it is made of changed since its last build (an update pulled), so a
// new core never serves an older UI.
const RENDERER_SOURCES = ['renderer', 'electron/contract', 'domain', 'vite.config.ts', 'package-lock.json'];
const newestMtime = (path) => {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
};
const rendererBuilt = 'dist/renderer/index.html';
const rendererStale = () =>
  !existsSync(rendererBuilt) || RENDERER_SOURCES.some((source) => newestMtime(source) > statSync(rendererBuilt).mtimeMs);
if (args.includes('--rebuild') || rendererStale()) run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('node', ['scripts/build.mjs']);

const wantsService = args.includes('--service');
const binary = wantsService ? null : electronBinary();
const passthrough = args.filter((a) => a !== '--rebuild' && a !== '--service');
let child;
if (binary) {
  console.log('Starting Admit in Electron.');
  child = spawn(binary, ['.', ...passthrough], { stdio: 'inherit' });
} else {
  console.log(wantsService ? 'Starting Admit in service mode (asked for with --service).' : 'No Electron binary here: starting Admit in service mode.');
  child = spawn(process.execPath, ['dist/service/admit-service.mjs', ...passthrough], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
}

// Ctrl+C in a terminal signals the whole process group, Admit included: only wait for it here. Any other
// stop request is passed on — to service mode by closing its IPC channel, to Electron as the signal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.connected) child.disconnect();
    else if (binary && signal !== 'SIGINT') child.kill(signal);
  });
}
child.on('error', (e) => {
  console.error(`Admit could not be started: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 0)));
