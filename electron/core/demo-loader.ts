// Owns the seam between booting a terminal and the demo world (embedded central server, PGlite, device
// simulators on socat PTYs), which is its own entry, electron/demo/world.ts: built to its own bundle
// (dist/demo/demo-world.cjs) and loaded by path at run time only when demo mode is on, so none of it is
// in the production bundles (tests/unit/bundle.test.ts reads them to make sure).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PaymentOptions } from './core';
import type { DeviceConfigInput } from './devices/config';

export type DemoWorldOptions = {
  dataDir: string;
  serverMigrationsFolder: string;
  tickets?: number;
  databaseUrl?: string;
  /** Listen here; default: the port this data directory's demo server used last time, else any. */
  serverPort?: number;
};

/** What boot needs of the demo world. */
export interface DemoWorld {
  serverUrl: string;
  devices: DeviceConfigInput[];
  /** Simulated payment devices and providers (a card terminal, QR pay). */
  payments?: PaymentOptions;
  /** A one-time code that pairs this terminal with the demo server. */
  createPairingCode(): Promise<string>;
  close(): Promise<void>;
}

export type DemoWorldEntry = { startDemoWorld(opts: DemoWorldOptions): Promise<DemoWorld> };

/** Set by scripts/build.mjs in the built entries: the demo bundle's path relative to theirs. */
declare const __ADMIT_DEMO_BUNDLE__: string | undefined;

/** The built demo bundle next to the running bundle, or (from source: tests, tsx) the TypeScript entry. */
export function demoEntryLocation(): string {
  if (typeof __ADMIT_DEMO_BUNDLE__ === 'string') {
    const here = typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
    return join(here, __ADMIT_DEMO_BUNDLE__);
  }
  return fileURLToPath(new URL('../demo/world.ts', import.meta.url));
}

export async function loadDemoWorld(): Promise<DemoWorldEntry> {
  const location = demoEntryLocation();
  // A CommonJS bundle: `require` loads it from inside an asar archive too. From source, the module
  // loader of the test runner or tsx compiles the TypeScript entry.
  const entry: unknown = location.endsWith('.cjs')
    ? createRequire(location)(location)
    : await import(pathToFileURL(location).href);
  if (typeof (entry as Partial<DemoWorldEntry>).startDemoWorld !== 'function')
    throw new Error(`${location} is not the demo world entry`);
  return entry as DemoWorldEntry;
}
