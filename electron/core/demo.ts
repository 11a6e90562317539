// Owns demo mode: an embedded central server (PGlite) with a seeded demo event, device simulators
// (a TCP receipt printer, a serial scanner and a serial relay on PTY pairs), and this terminal paired
// to that server — so one command shows every part of Admit working on one machine.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from '../../server/src/app';
import { openServerDb } from '../../server/src/db/client';
import { createPtyPair, startEscPosSimulator, startLcusSimulator, startScannerSimulator } from '../../drivers/simulators';
import type { DeviceConfig } from './devices/config';

export type DemoWorld = Awaited<ReturnType<typeof startDemoWorld>>;

export async function startDemoWorld(opts: {
  dataDir: string;
  serverMigrationsFolder: string;
  tickets?: number;
  databaseUrl?: string;
  serverPort?: number;
}) {
  const serverDir = join(opts.dataDir, 'server');
  mkdirSync(serverDir, { recursive: true });
  const db = await openServerDb({
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : { dataDir: join(serverDir, 'pglite') }),
    migrationsFolder: opts.serverMigrationsFolder,
  });
  const server = await createServer({ db, dataDir: serverDir });
  const { url: serverUrl } = await server.listen({ host: '127.0.0.1', port: opts.serverPort ?? 0 });
  await server.admin.seedDemo({ tickets: opts.tickets ?? 3000 });

  const printsDir = join(opts.dataDir, 'prints');
  mkdirSync(printsDir, { recursive: true });
  const printer = await startEscPosSimulator({ port: 0, outDir: printsDir });
  const closers: Array<() => Promise<void>> = [];
  const devices: DeviceConfig[] = [
    { id: 'printer-1', name: 'Receipt printer (simulated)', kind: 'printer', driver: 'escpos-tcp', host: '127.0.0.1', port: printer.port },
  ];
  let scanner: Awaited<ReturnType<typeof startScannerSimulator>> | null = null;
  let relay: Awaited<ReturnType<typeof startLcusSimulator>> | null = null;
  if (existsSync('/usr/bin/socat') || process.env['PATH']?.split(':').some((p) => existsSync(join(p, 'socat')))) {
    const scanPty = await createPtyPair();
    const relayPty = await createPtyPair();
    scanner = await startScannerSimulator(scanPty.devicePath);
    relay = await startLcusSimulator(relayPty.devicePath);
    devices.push(
      { id: 'scanner-1', name: 'Gate scanner (simulated)', kind: 'scanner', driver: 'serial-scanner', path: scanPty.hostPath, baudRate: 9600, terminator: 'any' },
      { id: 'relay-1', name: 'Turnstile relay (simulated)', kind: 'relay', driver: 'lcus-relay', path: relayPty.hostPath, baudRate: 9600, channel: 1, pulseMs: 300 },
    );
    closers.push(async () => {
      await scanner?.close();
      await relay?.close();
      await scanPty.close();
      await relayPty.close();
    });
  }
  return {
    serverUrl,
    server,
    printer,
    scanner,
    relay,
    devices,
    async close() {
      for (const c of closers) await c().catch(() => undefined);
      await printer.close();
      await server.close();
      await db.close();
    },
  };
}
