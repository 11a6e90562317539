// Owns service mode: the core as a plain Node process serving the renderer on 127.0.0.1, for headless
// gate controllers, machines without Electron, and browser tests.
import { bootTerminal, parseBootArgs } from '../boot';
import { startBridgeServer } from './bridge-server';

export async function runServiceMode(argv: string[]) {
  const args = parseBootArgs(argv);
  const terminal = await bootTerminal({ shell: 'service', demo: args.demo, tickets: args.tickets, ...(args.dataDir ? { dataDir: args.dataDir } : {}) });
  const bridge = await startBridgeServer(terminal.core, { rendererDir: terminal.resources.renderer, port: args.port });
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
  runServiceMode(process.argv.slice(2))
    .then(({ bridge, dataDir, world, shutdown }) => {
      console.log('Admit is running in service mode: the core as a Node process, the UI in a browser.');
      console.log(`Data directory: ${dataDir}`);
      if (world) console.log(`Demo central server: ${world.serverUrl}`);
      console.log(`Open this address (it carries this launch's access token): ${bridge.url}`);
      const stop = () => void shutdown().finally(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((e: unknown) => {
      console.error('Admit failed to start:', e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
