// Owns the assembled core of a terminal: database, sync client, sessions, box office, gate and devices,
// behind one dispatch function and one event stream. It runs the same in Electron's utility process,
// in service mode and in tests — nothing here knows which shell hosts it.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { AdmitError, type EventName, type EventPayload, type Mode } from '../contract';
import { openLocalDb, type LocalDb } from './db/open';
import { loadDeviceConfigs, saveDeviceConfigs, type DeviceConfig, type DeviceConfigInput } from './devices/config';
import { DeviceSupervisor, type SupervisorOptions } from './devices/supervisor';
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
  /** Device supervisor settings (tests: simulated HID/USB transports, short poll and retry times). */
  devices?: Omit<SupervisorOptions, 'db' | 'log'>;
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
  const devices = new DeviceSupervisor({ ...opts.devices, db: db.$client, log });
  devices.on('status', (s) => publish('device.status', s));
  // A scan opens only its own lane's turnstile; an admission at the screen, the default lane's.
  const gate = new Gate(store, sync, { open: (checkinId, source) => devices.openGate(checkinId, source?.lane ?? null), verdict: (v) => publish('scan.verdict', v) });
  const boxOffice = new BoxOffice(store, sync);
  const modes: Mode[] = opts.modes ?? ['box-office', 'gate', 'manager'];

  // Device, lane and the driver's timestamp go with the scan all the way to the verdict.
  devices.on('scan', ({ deviceId, code, at, lane }) => {
    gate.scan(code, null, at, { deviceId, lane }).catch((e: unknown) => log.error('scan failed', { deviceId, error: String(e) }));
  });
  // The ID number goes to the gate's hashed lookup only: never into a log line.
  devices.on('idCard', ({ deviceId, idNumber, at, lane }) => {
    gate.scanIdCard(idNumber, null, at, { deviceId, lane }).catch((e: unknown) => log.error('ID card check failed', { deviceId, error: e instanceof AdmitError ? e.code : 'internal' }));
  });
  devices.on('noPassage', ({ checkinId }) => {
    try {
      gate.annul(checkinId, 'no_passage');
    } catch (e) {
      log.warn('no passage, but the check-in could not be annulled', { checkinId, error: e instanceof AdmitError ? e.code : String(e) });
    }
  });
  devices.on('scanError', ({ deviceId, code }) => log.warn('unreadable scan', { deviceId, code }));

  const deviceConfigs = (): DeviceConfig[] => {
    const { configs, problems } = loadDeviceConfigs(store);
    for (const p of problems) log.error('device configuration entry skipped', { index: p.index, id: p.id, issues: p.issues });
    return configs;
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
        const ev = boxOffice.catalog().event;
        const labels = printLabels(store.getMeta('print_lang') ?? 'en', ev?.name ?? {});
        // Through the durable queue: printed only if confirmed within a short wait; otherwise the
        // jobs stay queued and print when the printer recovers.
        const { printed, printError } = await devices.print([
          ...ticketDocuments(order, labels).map((doc) => ({ kind: 'ticket' as const, doc })),
          { kind: 'receipt' as const, doc: receiptDocument(order, labels) },
        ]);
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
      'devices.openAll': () => devices.openAll(),
      'devices.release': () => devices.release(),
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
    configureDevices(configs: DeviceConfigInput[]) {
      saveDeviceConfigs(store, configs);
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
