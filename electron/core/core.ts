// Owns the assembled core of a terminal: database, sync client, sessions, box office, gate and devices,
// behind one dispatch function and one event stream. It runs the same in Electron's utility process,
// in service mode and in tests — nothing here knows which shell hosts it.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { AdmitError, type EventName, type EventPayload, type Mode } from '../contract';
import { openLocalDb, type LocalDb } from './db/open';
import { DeviceConfigs, type DeviceConfig } from './devices/config';
import { DeviceSupervisor } from './devices/supervisor';
import { createDispatcher, type Logger } from './dispatcher';
import { printLabels } from './print-labels';
import { BoxOffice } from './services/box-office';
import { Gate } from './services/gate';
import { receiptDocument, ticketDocuments } from './services/receipts';
import { Sessions } from './sessions';
import { Store } from './store';
import { SyncClient } from './sync/client';

export type CoreOptions = {
  dataDir: string;
  migrationsFolder: string;
  shell: 'electron' | 'service';
  demo: boolean;
  version: string;
  modes?: Mode[];
  claimBudgetMs?: number;
  logger?: Logger;
};

export type CoreEvents = { event: [{ name: EventName; payload: unknown }] };

export type Core = Awaited<ReturnType<typeof createCore>>;

const consoleLogger: Logger = {
  warn: (msg, data) => console.warn(`[core] ${msg}`, data ?? ''),
  error: (msg, data) => console.error(`[core] ${msg}`, data ?? ''),
};

export async function createCore(opts: CoreOptions) {
  const log = opts.logger ?? consoleLogger;
  const db: LocalDb = openLocalDb(join(opts.dataDir, 'terminal.sqlite'), opts.migrationsFolder);
  const store = new Store(db);
  const events = new EventEmitter<CoreEvents>();
  const publish = <K extends EventName>(name: K, payload: EventPayload<K>) => events.emit('event', { name, payload });

  const sync = new SyncClient(db, store, { ...(opts.claimBudgetMs !== undefined ? { claimBudgetMs: opts.claimBudgetMs } : {}) });
  sync.on('status', (s) => publish('sync.status', s));
  const sessions = new Sessions(store);
  const devices = new DeviceSupervisor();
  devices.on('status', (s) => publish('device.status', s));
  const gate = new Gate(store, sync, { open: () => devices.openGate(), verdict: (v) => publish('scan.verdict', v) });
  const boxOffice = new BoxOffice(store, sync);
  const modes: Mode[] = opts.modes ?? ['box-office', 'gate', 'manager'];

  devices.on('scan', ({ code }) => {
    gate.scan(code, null).catch((e: unknown) => log.error('scan failed', { error: String(e) }));
  });
  devices.on('scanError', ({ deviceId, code }) => log.warn('unreadable scan', { deviceId, code }));

  const deviceConfigs = (): DeviceConfig[] => {
    const raw = store.getMeta('devices');
    if (!raw) return [];
    const parsed = DeviceConfigs.safeParse(JSON.parse(raw));
    if (!parsed.success) {
      log.error('device configuration invalid; starting without devices');
      return [];
    }
    return parsed.data;
  };

  const dispatch = createDispatcher(
    {
      'app.info': () => ({ version: opts.version, shell: opts.shell, demo: opts.demo, modes }),
      'session.login': ({ pin }, ctx) => sessions.login(ctx.sessionId, pin),
      'session.logout': (_i, ctx) => {
        sessions.logout(ctx.sessionId);
        return {};
      },
      'session.current': (_i, ctx) => ctx.session,
      'terminal.pair': async ({ serverUrl, code, terminalName }) => {
        await sync.pair(serverUrl, code, terminalName);
        sync.start();
        await sync.pull().catch(() => undefined);
        return sync.status();
      },
      'sync.status': () => sync.status(),
      'sync.now': async () => {
        if (!sync.paired) throw new AdmitError('not_paired');
        if (!sync.isOnline) throw new AdmitError('offline');
        await Promise.all([sync.pull(), sync.push()]);
        return sync.status();
      },
      'boxOffice.catalog': () => boxOffice.catalog(),
      'boxOffice.sell': async (input, ctx) => {
        const order = await boxOffice.sell(input, ctx.session!.operatorId);
        let printed = false;
        let printError: string | null = null;
        if (devices.hasPrinter()) {
          const ev = boxOffice.catalog().event;
          const labels = printLabels(store.getMeta('print_lang') ?? 'en', ev?.name ?? {});
          try {
            await devices.print([...ticketDocuments(order, labels), receiptDocument(order, labels)]);
            printed = true;
          } catch (e) {
            printError = e instanceof Error ? ((e as { code?: string }).code ?? e.message) : String(e);
          }
        } else printError = 'no_printer';
        return { order, printed, printError };
      },
      'gate.scan': ({ code }, ctx) => gate.scan(code, ctx.session?.operatorId ?? null),
      'gate.recent': ({ limit }) => gate.recent(limit),
      'gate.search': ({ query }) => gate.search(query),
      'gate.admitTicket': ({ ticketId }, ctx) => gate.admitTicket(ticketId, ctx.session?.operatorId ?? null),
      'gate.annul': ({ checkinId }) => gate.annul(checkinId, 'operator'),
      'gate.points': () => ({
        points: store.points().map((p) => ({ id: p.id, name: p.name, direction: p.direction, reentry: p.reentry, zone: p.zone })),
        current: gate.currentPoint().row?.id ?? null,
      }),
      'gate.setPoint': ({ pointId }) => {
        const p = gate.setPoint(pointId);
        return { id: p.id, name: p.name, direction: p.direction, reentry: p.reentry, zone: p.zone };
      },
      'devices.list': () => devices.list(),
    },
    (id) => sessions.get(id),
    log,
  );

  devices.start(deviceConfigs());
  sync.start();
  let lastScanAt = 0;
  events.on('event', (e) => {
    if (e.name === 'scan.verdict') lastScanAt = Date.now();
  });
  const checkpoint = setInterval(() => {
    if (Date.now() - lastScanAt > 500) db.$client.pragma('wal_checkpoint(PASSIVE)');
  }, 2000);
  checkpoint.unref();

  return {
    dispatch,
    events,
    store,
    sync,
    gate,
    devices,
    sessions,
    configureDevices(configs: DeviceConfig[]) {
      store.setMeta('devices', JSON.stringify(DeviceConfigs.parse(configs)));
    },
    async restartDevices() {
      await devices.close();
      devices.start(deviceConfigs());
    },
    async close() {
      clearInterval(checkpoint);
      await sync.stop();
      await devices.close();
      db.$client.close();
    },
  };
}
