// Shared by the device tests: a terminal core on a fresh data directory with its SQLite cache seeded
// directly (one event, tickets by code and by ID-document hash, a manager and a cashier), so gate,
// turnstile and ID-reader paths run end to end without a central server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 } from 'uuid';
import type { Verdict } from '../../electron/contract';
import { createCore, type Core, type CoreOptions } from '../../electron/core/core';
import type { Logger } from '../../electron/core/dispatcher';
import type { SyncClient } from '../../electron/core/sync/client';
import { hashPin, idNumberHashSync, newIdHashSalt } from '../../domain/hashing';
import type { Change } from '../../domain/wire';

export const MIGRATIONS = 'migrations/local';
export const MANAGER_PIN = '654321';
export const CASHIER_PIN = '123456';

export interface SeedTicket {
  code: string;
  /** An ID-card or passport number this ticket is bound to (stored only as its salted hash). */
  idNumber?: string;
  name?: string;
}

export function seedTerminal(sync: Pick<SyncClient, 'applyChanges'>, tickets: readonly SeedTicket[]): { eventId: string; ticketIds: Map<string, string> } {
  const eventId = v7();
  const typeId = v7();
  const idSalt = newIdHashSalt();
  const ticketIds = new Map<string, string>();
  let seq = 0;
  const changes: Change[] = [
    {
      seq: ++seq,
      kind: 'event',
      row: { id: eventId, name: { en: 'Device test' }, startsAt: '2020-01-01T00:00:00Z', endsAt: '2099-01-01T00:00:00Z', timezone: 'UTC', currency: 'EUR', no: 1, rotationPeriodS: null, idSalt },
    },
    { seq: ++seq, kind: 'ticket_type', row: { id: typeId, eventId, name: { en: 'Day pass' }, priceMinor: 1000, currency: 'EUR', capacity: null, sold: 0, no: 1, zones: [] } },
  ];
  for (const t of tickets) {
    const id = v7();
    ticketIds.set(t.code, id);
    changes.push({
      seq: ++seq,
      kind: 'ticket',
      row: {
        id,
        eventId,
        ticketTypeId: typeId,
        orderId: null,
        code: t.code,
        status: 'valid',
        paid: true,
        attendeeName: t.name ?? null,
        orderCode: null,
        phoneLast4: null,
        idHash: t.idNumber ? idNumberHashSync(t.idNumber, idSalt) : null,
        rotatingSecret: null,
        validFrom: null,
        validTo: null,
      },
    });
  }
  for (const [role, pin] of [['manager', MANAGER_PIN], ['cashier', CASHIER_PIN]] as const) {
    const salt = v7();
    changes.push({ seq: ++seq, kind: 'operator', row: { id: v7(), name: role, role, pinHash: hashPin(pin, salt), pinSalt: salt, active: true } });
  }
  sync.applyChanges(changes, seq);
  return { eventId, ticketIds };
}

export interface TestTerminal {
  core: Core;
  dir: string;
  verdicts: Verdict[];
  logs: { level: 'warn' | 'error'; msg: string; data: string }[];
  close(): Promise<void>;
}

export async function startTerminal(devices: CoreOptions['devices'] = {}): Promise<TestTerminal> {
  const dir = mkdtempSync(join(tmpdir(), 'admit-devices-'));
  const logs: TestTerminal['logs'] = [];
  const logger: Logger = {
    warn: (msg, data) => logs.push({ level: 'warn', msg, data: JSON.stringify(data ?? {}) }),
    error: (msg, data) => logs.push({ level: 'error', msg, data: JSON.stringify(data ?? {}) }),
  };
  const core = await createCore({ dataDir: dir, migrationsFolder: MIGRATIONS, shell: 'service', demo: false, version: 'test', logger, devices: { usbEvents: false, ...devices } });
  const verdicts: Verdict[] = [];
  core.events.on('event', (e) => {
    if (e.name === 'scan.verdict') verdicts.push(e.payload as Verdict);
  });
  return {
    core,
    dir,
    verdicts,
    logs,
    async close() {
      await core.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
