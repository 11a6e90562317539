// Owns service mode: the core as a plain Node process serving the renderer on 127.0.0.1, for headless
// gate controllers, machines without Electron, and browser tests.
import { bootTerminal, parseBootArgs } from '../boot';
import { startBridgeServer } from './bridge-server';

export async function runServiceMode(argv: string[]) {
  const args = parseBootArgs(argv);
  const terminal = await bootTerminal({ shell: 'service', demo: args.demo, tickets: args.tickets, ...(args.dataDir ? { dataDir: args.dataDir } : {}), ...(args.idleSignOutMs !== undefined ? { idleSignOutMs: args.idleSignOutMs } : {}) });
  const bridge = await startBridgeServer(terminal.core, { rendererDir: terminal.resources.renderer, port: args.port }).catch(async (e: unknown) => {
    await terminal.shutdown().catch(() => undefined);
    throw e;
  });
  return {
    ...terminal,
    bridge,
    async shutdown() {
      await bridge.close();
      await terminal.shutdown();
    },
  };
}

const entry = process.argv[1] ?? '';
if (/service[/\\]main\.ts$|admit-service\.mjs$/.test(entry)) {
  type Running = Awaited<ReturnType<typeof runServiceMode>>;
  let running: Running | null = null;
  let stopping = false;
  const finish = (r: Running) =>
    void r.shutdown().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error('Admit did not stop cleanly:', e instanceof Error ? e.message : e);
        process.exit(1);
      },
    );
  // Ctrl+C (or a service manager's TERM) closes everything in order; a second one exits at once. A
  // signal during start-up is acted on as soon as there is something to close.
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    if (running) finish(running);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  // Started by scripts/start.mjs with an IPC channel: end with it, even when it is killed outright.
  if (process.send) process.on('disconnect', () => stopping || stop());
  runServiceMode(process.argv.slice(2))
    .then((r) => {
      running = r;
      if (stopping) return finish(r);
      console.log('Admit is running in service mode: the core as a Node process, the UI in a browser.');
      console.log(`Data directory: ${r.dataDir}`);
      if (r.world) console.log(`Demo central server: ${r.world.serverUrl}`);
      console.log(`Open this address (it carries this launch's access token): ${r.bridge.url}`);
    })
    .catch((e: unknown) => {
      console.error('Admit failed to start:', e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
