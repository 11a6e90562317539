// Owns the assembled core of a terminal: it opens the database, gives each feature module the tables it
// owns and the other features it calls, registers their handlers with the dispatcher, and connects their
// events (devices → gate, sync/gate/devices → UI). Nothing else lives here. It runs the same in
// Electron's utility process, in service mode and in tests — nothing here knows which shell hosts it.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { AdmitError, type EventName, type EventPayload, type Mode, type PrintOutcome } from '../contract';
import { adminModule } from './admin/module';
import { AdminServerClient } from './admin/server-client';
import { appModule } from './app/module';
import { auditModule, AuditTrail, type AuditOptions } from './audit/module';
import { AuditStore } from './audit/store';
import { badgeDeskModule, type BadgePrinterPort } from './badge-desk/module';
import { DeskMode } from './badge-desk/desk-mode';
import { BadgeStore } from './badge-desk/store';
import { boxOfficeModule } from './box-office/module';
import { eTicketsModule } from './box-office/e-tickets';
import { LeaseKeeper, type LeaseOptions, LeaseStore } from './box-office/leases';
import { sellOnLease } from './box-office/offline-sale';
import { OrderStore } from './box-office/orders';
import { PendingSaleStore } from './box-office/pending-sales';
import { recordExchangeCharge, recordRefund, SHIFT_REQUIRED_KEY, ShiftStore, shiftsModule } from './box-office/shifts';
import { CardTerminalPayment } from './box-office/card-terminal';
import { CardManualPayment, CashPayment } from './box-office/payment';
import { PaymentJournal, type PaymentPorts } from './box-office/payment-journal';
import { HttpQrProvider, QrPayment } from './box-office/qr-pay';
import type { ZvtSettingsInput } from '../../drivers';
import { QR_METHODS, type QrMethod, type TenderMethod } from '../../domain/tender';
import { Meta, transactionOf } from './db/meta';
import { openLocalDb } from './db/open';
import { ensureOwnerOnlyDir, moveSecretsOutOfMeta, SecretStore, type SecretReader, type Sealer } from './secrets/store';
import { loadDeviceConfigs, parseDeviceConfig, saveDeviceConfigs, type DeviceConfigInput, type PrinterConfig } from './devices/config';
import { devicesModule, printReason } from './devices/module';
import { formsModule } from './forms/module';
import { DeviceSupervisor, SALE_PRINT_WAIT_MS, type SupervisorOptions } from './devices/supervisor';
import { createDispatcher, registerModules, type Logger } from './dispatcher';
import { CheckinStore, type CheckinReader } from './gate/checkins';
import { gateModule } from './gate/module';
import { kioskModule } from './kiosk/module';
import { KioskStore } from './kiosk/store';
import { OperatorStore } from './sessions/operators';
import { Sessions, type SessionOptions } from './sessions/sessions';
import { sessionsModule } from './sessions/module';
import { openCache, PERSONAL_DATA_RETENTION_KEY } from './sync/cache';
import { SyncClient } from './sync/client';
import { ServerClock, type LocalClock } from './sync/clock';
import { syncModule } from './sync/module';
import { StatusReporter, type StatusReporterOptions } from './sync/status-report';
import { Outbox, type OutboxReader } from './sync/outbox';

export type CoreOptions = {
  dataDir: string;
  migrationsFolder: string;
  shell: 'electron' | 'service';
  demo: boolean;
  version: string;
  modes?: Mode[];
  claimBoundMs?: number;
  /** false: commits without an fsync each (only to measure the cost of durable writes). */
  durableWrites?: boolean;
  /** The terminal's own clock (tests run a core whose clock is off by hours); the core works on the
   *  server's time it learns over sync either way. */
  localClock?: LocalClock;
  logger?: Logger;
  /** Operator sessions: idle sign-out time (0: off) and the clock (tests). */
  sessions?: SessionOptions;
  /** Seals the secrets file with the OS key store (Electron: safeStorage through the main process);
   *  absent: the owner-only file alone protects it (service mode, tests). */
  sealer?: Sealer | null;
  /** Days after an event's end its attendees' names, phone digits and ID hashes stay on this terminal
   *  (stored as a setting; default DEFAULT_PERSONAL_DATA_RETENTION_DAYS). */
  personalDataRetentionDays?: number;
  /** Device supervisor settings (tests: simulated HID/USB transports, short poll and retry times). */
  devices?: Omit<SupervisorOptions, 'db' | 'log'>;
  /** The audit trail's clock and push retry time (tests). */
  audit?: AuditOptions;
  /** How often the status report is checked and at most how long between two (tests). */
  statusReport?: StatusReporterOptions;
  /** Seat leases for selling offline (box-office/leases.ts); without it, the size set on this terminal
   *  (meta `lease_size`), else none. */
  leases?: LeaseOptions;
  /** Payments beyond cash and cards on a stand-alone terminal (always there). */
  payments?: PaymentOptions;
  /** The kiosk's clock for its visits and its find rate, in ms (tests: a fake one). Default Date.now. */
  kiosk?: { now?: () => number };
};

export type PaymentOptions = {
  /** A ZVT card terminal at host:port: a shortcut that configures it as this terminal's device
   *  `card-terminal` (kind payment-terminal, driver zvt), kept in its device list like any other. */
  cardTerminal?: ZvtSettingsInput;
  /** QR payment providers by method: each one's base URL (the demo: the simulated provider's). */
  qr?: Partial<Record<QrMethod, string>>;
  /** How often a QR payment is polled and how long the customer has to pay it. */
  qrPollMs?: number;
  qrPayMs?: number;
};

/** Printer states a person must fix: a print answers with them at once rather than waiting. */
const OPERATOR_PRINT_REASONS = new Set(['paper_out', 'cover_open', 'printer_error', 'offline', 'jam', 'ribbon_out']);

export type CoreEvents = { event: [{ name: EventName; payload: unknown }] };

export type Core = Awaited<ReturnType<typeof createCore>>;

const consoleLogger: Logger = {
  warn: (msg, data) => console.warn(`[core] ${msg}`, data ?? ''),
  error: (msg, data) => console.error(`[core] ${msg}`, data ?? ''),
};

/** ADMIT_CARD_TERMINAL's and the payments option's card terminal, as the device `card-terminal`
 *  (stored only when it differs from what is there). */
function configureCardTerminal(meta: Meta, settings: ZvtSettingsInput): void {
  const parsed = parseDeviceConfig({ id: 'card-terminal', name: 'Card terminal', kind: 'payment-terminal', driver: 'zvt', ...settings });
  if (!parsed.ok) throw new AdmitError('invalid_input', `card terminal: ${parsed.issues.join('; ')}`);
  const entry = parsed.config;
  const { configs } = loadDeviceConfigs(meta);
  const at = configs.findIndex((c) => c.id === entry.id);
  if (at >= 0 && JSON.stringify(configs[at]) === JSON.stringify(entry)) return;
  saveDeviceConfigs(meta, at >= 0 ? configs.map((c, i) => (i === at ? entry : c)) : [...configs, entry]);
}

/** The PIN key the server delivered (base64 in the store), as bytes; null until it has. */
function pinKeyOf(secrets: SecretReader): Buffer | null {
  const k = secrets.get('pin_key');
  return k === null ? null : Buffer.from(k, 'base64');
}

export async function createCore(opts: CoreOptions) {
  const log = opts.logger ?? consoleLogger;
  // Only the terminal's own user may enter its data directory (the database, the secrets, the logs).
  ensureOwnerOnlyDir(opts.dataDir);
  const db = openLocalDb(join(opts.dataDir, 'terminal.sqlite'), opts.migrationsFolder, { durable: opts.durableWrites !== false });
  const sql = db.$client;
  let secrets: SecretStore;
  try {
    secrets = await SecretStore.open(opts.dataDir, opts.sealer ?? null);
    // Older versions kept the device token in the meta table.
    await moveSecretsOutOfMeta(new Meta(sql), secrets, () => sql.pragma('wal_checkpoint(TRUNCATE)'));
  } catch (e) {
    sql.close();
    throw e;
  }
  const transaction = transactionOf(sql);
  const events = new EventEmitter<CoreEvents>();
  const publish = <K extends EventName>(name: K, payload: EventPayload<K>) => events.emit('event', { name, payload });

  // Each feature's tables, on the one connection.
  const meta = new Meta(sql);
  if (opts.personalDataRetentionDays !== undefined) meta.setMeta(PERSONAL_DATA_RETENTION_KEY, String(opts.personalDataRetentionDays));
  const cache = openCache(sql, meta);
  const outbox = new Outbox(sql);
  const operators = new OperatorStore(sql);
  const checkins = new CheckinStore(sql, outbox, (pointId) => cache.read.pointZone(pointId));
  const orders = new OrderStore(sql);
  const badges = new BadgeStore(sql, outbox);
  const kioskStore = new KioskStore(sql, outbox);
  // The badge desk's replicated rows follow the events this terminal serves, as the cache's do.
  const cacheWriter: typeof cache.write = {
    get appliers() {
      return cache.write.appliers;
    },
    keepOnlyEvents: (ids) => {
      cache.write.keepOnlyEvents(ids);
      badges.keepOnlyEvents(ids);
      kioskStore.keepOnlyEvents(ids);
    },
    purgeExpiredPersonalData: (now) => cache.write.purgeExpiredPersonalData(now),
    beginBulkLoad: () => cache.write.beginBulkLoad(),
    endBulkLoad: () => cache.write.endBulkLoad(),
  };

  // Sales made on a lease wait to upload as the outbox's records do (sync status counts both).
  const leaseStore = new LeaseStore(sql);
  const sync = new SyncClient(
    {
      meta,
      secrets,
      cache: cacheWriter,
      outbox,
      appliers: { ...cache.write.appliers, ...checkins.appliers, ...operators.appliers, ...badges.appliers, ...kioskStore.appliers },
      settled: (results) => checkins.settle(results),
      transaction,
      awaitingUpload: () => leaseStore.pendingCount(),
    },
    { ...(opts.claimBoundMs !== undefined ? { claimBoundMs: opts.claimBoundMs } : {}), clock: new ServerClock(opts.localClock) },
  );
  // The demo terminal is every kind of terminal at once, its badge desk too.
  const modes = opts.modes ?? (opts.demo ? ['box-office', 'gate', 'badge-desk', 'kiosk', 'manager', 'admin'] : ['box-office', 'gate', 'manager', 'admin']);
  const audit = new AuditTrail(new AuditStore(sql), meta, sync, log, opts.audit);
  const adminServer = new AdminServerClient(sync, log);
  const sessions = new Sessions(operators, sql, modes, { ...opts.sessions, audit, pinKey: () => pinKeyOf(secrets), listener: adminServer });
  const supervisor = new DeviceSupervisor({ ...opts.devices, db: sql, log });
  const devices = devicesModule({ supervisor, meta, log, publish, audit });
  const gateFeature = gateModule({
    cache: cache.read,
    checkins,
    meta,
    sync,
        // A scan opens only its own lane's turnstile; an admission at the screen, the default lane's.
    hooks: {
      open: (checkinId, source) => supervisor.openGate(checkinId, source?.lane ?? null),
      verdict: (v) => publish('scan.verdict', v),
      checking: (e) => publish('gate.checking', e),
    },
  });
  const shiftStore = new ShiftStore(sql);
  const shifts = shiftsModule({
    sql,
    store: shiftStore,
    outbox,
    printing: devices,
    transaction,
    cache: cache.read,
    printLanguage: () => meta.getMeta('print_lang') ?? null,
    operatorName: (id) => operators.activeById(id)?.name ?? null,
    terminalName: () => meta.getMeta('device_name'),
    now: () => sync.clock.now(),
    shiftRequired: () => meta.getMeta(SHIFT_REQUIRED_KEY) === '1',
  });
  // Seats leased for offline sales: kept (uploaded, returned, topped up) whenever the server is reachable.
  const leases = new LeaseKeeper({
    store: leaseStore,
    server: sync,
    cache: cache.read,
    transaction,
    log,
    options: opts.leases ?? { size: Number(meta.getMeta('lease_size') ?? 0) || 0 },
  });
  // One port per payment kind, shared by sales and the refunds that pay back through them.
  const payments: PaymentPorts = { cash: new CashPayment(), card_manual: new CardManualPayment() };
  if (opts.payments?.cardTerminal) configureCardTerminal(meta, opts.payments.cardTerminal);
  // Card payments go through the card terminal configured as a device (the first, while it runs): the
  // port is there while one is configured, so a payment a crash left open can be reversed through it.
  const terminalNow = () => {
    const t = supervisor.paymentTerminal();
    if (!t) throw new AdmitError('device_unavailable', 'no card terminal is configured');
    return t.terminal;
  };
  const cardTerminal = new CardTerminalPayment({
    authorize: (amountMinor, currency) => terminalNow().authorize(amountMinor, currency),
    reverse: (receiptNumber) => terminalNow().reverse(receiptNumber),
    refund: (amountMinor) => terminalNow().refund(amountMinor),
    describe: () => supervisor.paymentTerminal()?.terminal.describe() ?? 'no card terminal',
  });
  Object.defineProperty(payments, 'card_terminal', { enumerable: true, configurable: true, get: () => (supervisor.paymentTerminal() ? cardTerminal : undefined) });
  /** The kinds the cashier may pick now: the card terminal only while it is registered. */
  const tenders = (): TenderMethod[] =>
    (['cash', 'card_manual', 'card_terminal', ...QR_METHODS] as const).filter((m) => (m === 'card_terminal' ? supervisor.paymentTerminal()?.ready === true : payments[m] !== undefined));
  for (const [method, url] of Object.entries(opts.payments?.qr ?? {}) as [QrMethod, string][]) {
    payments[method] = new QrPayment(method, new HttpQrProvider(url), {
      present: (prompt) => publish('boxOffice.paymentPrompt', prompt),
      ...(opts.payments?.qrPollMs !== undefined ? { pollMs: opts.payments.qrPollMs } : {}),
      ...(opts.payments?.qrPayMs !== undefined ? { payMs: opts.payments.qrPayMs } : {}),
    });
  }
  const journal = new PaymentJournal(sql);
  const boxOffice = boxOfficeModule({
    onLease: (sale) =>
      sellOnLease(
        { store: leaseStore, keeper: leases, cache: cache.read, server: sync, serverNow: () => sync.clock.now(), orders, printing: devices, transaction, printLanguage: () => meta.getMeta('print_lang') ?? null },
        sale,
      ),
    cache: cache.read,
    payments,
    journal,
    server: sync,
    orders,
    pending: new PendingSaleStore(sql),
    log,
    operatorName: (id) => operators.activeById(id)?.name ?? null,
    publish,
    audit,
    printing: devices,
    transaction,
    printLanguage: () => meta.getMeta('print_lang') ?? null,
    serverNow: () => sync.clock.now(),
    saleAllowed: () => shifts.saleAllowed(),
    tenders,
    leased: (ticketTypeId) => leaseStore.free(ticketTypeId, sync.clock.now().toISOString()),
    refunds: {
      server: sync,
      approvals: sessions,
      payments,
      journal,
      printing: devices,
      printLanguage: () => meta.getMeta('print_lang') ?? null,
      cache: cache.read,
      operatorName: (id) => operators.known(id)?.name ?? null,
      // The open shift: each part paid back under its own kind (its cash part from the drawer), and each
      // part of an exchange's difference taken in under its own kind (its cash part into the drawer).
      // A part paid back is told once (when the journal marks it paid); a part taken is told by its
      // payment id on every call of its exchange, and counted once.
      onRefunded: (r) => {
        for (const part of r.paidBack)
          if (part.amountMinor > 0) recordRefund(shiftStore, 'current', { method: part.method, amountMinor: part.amountMinor, orderId: r.orderId, operatorId: r.operatorId });
        for (const part of r.charged)
          if (part.amountMinor > 0)
            recordExchangeCharge(shiftStore, 'current', { method: part.method, amountMinor: part.amountMinor, orderId: r.orderId, operatorId: r.operatorId, ...(part.paymentId ? { id: `exchange:${part.paymentId}` } : {}) });
      },
    },
  });
  // The badge desk prints on the first printer configured for 'badge' jobs, through the durable queue,
  // settled as a sale's print is.
  const queueOf = () => {
    const q = supervisor.queue;
    if (!q) throw new AdmitError('no_badge_printer', 'no print queue');
    return q;
  };
  const badgeOutcome = (jobIds: readonly string[], code: string | null): PrintOutcome => {
    const jobs = jobIds.map((id) => supervisor.queue?.job(id) ?? null);
    if (jobs.every((j) => j?.state === 'printed')) return { state: 'printed', jobIds: [...jobIds] };
    const given = jobs.find((j) => j?.state === 'failed' || j?.state === 'cancelled');
    if (given) return { state: 'failed', reason: given.state === 'cancelled' ? 'cancelled' : printReason(given.error?.code ?? code), jobIds: [...jobIds] };
    const held = jobs.find((j) => j?.state === 'held');
    return { state: 'queued', reason: printReason(code ?? held?.error?.code ?? 'print_timeout'), jobIds: [...jobIds] };
  };
  const badgePrinter: BadgePrinterPort = {
    current: () => {
      const id = supervisor.printerFor('badge');
      if (id === null) return null;
      const d = supervisor.list().find((x) => x.id === id);
      return { id, name: d?.name ?? id, ready: d?.state === 'connected', reason: d?.reason ?? null };
    },
    enqueue: (printerId, doc) => queueOf().enqueue(printerId, 'badge', doc),
    settle: async (jobIds) => {
      const r = await queueOf().settle(jobIds, SALE_PRINT_WAIT_MS, { answerEarly: (code) => OPERATOR_PRINT_REASONS.has(code) });
      return badgeOutcome(jobIds, r.printed ? null : r.code);
    },
    state: (jobIds) => badgeOutcome(jobIds, null),
    config: () => {
      const id = supervisor.printerFor('badge');
      return supervisor.configs.find((c): c is PrinterConfig => c.id === id && c.kind === 'printer') ?? null;
    },
  };
  const deskMode = new DeskMode((id) => sessions.signedIn(id));
  const badgeDesk = badgeDeskModule({
    cache: cache.read,
    store: badges,
    checkins,
    gate: gateFeature.gate,
    sync,
    approvals: sessions,
    printer: badgePrinter,
    transaction,
    operatorName: (id) => operators.known(id)?.name ?? null,
    terminalName: (deviceId) => (deviceId === sync.deviceId ? meta.getMeta('device_name') : null),
    printLanguage: () => meta.getMeta('print_lang') ?? null,
    sell: (input, session) => Promise.resolve(boxOffice.handlers['boxOffice.sell'](input, { sessionId: 'badge-desk', session })),
    opened: (sessionId) => deskMode.open(sessionId),
    log,
  });
  // The self-service kiosk: checks in through the gate's admission and prints through the badge desk.
  const kiosk = kioskModule(
    {
      cache: cache.read,
      store: kioskStore,
      checkins,
      gate: gateFeature.gate,
      sync,
      approvals: sessions,
      printBadge: (p) => badgeDesk.kioskPrint(p),
      badgePrinted: (ticketId) => badges.printCount(ticketId) > 0,
      printer: () => badgePrinter.current(),
      devices: () => supervisor.list(),
      terminalName: (deviceId) => (deviceId !== null && deviceId === sync.deviceId ? meta.getMeta('device_name') : null),
      operatorName: (id) => operators.known(id)?.name ?? null,
      publish: { found: (f) => publish('kiosk.found', f), alertsChanged: (e) => publish('kiosk.alertsChanged', e) },
      ...(opts.kiosk?.now ? { now: opts.kiosk.now } : {}),
      log,
    },
    { active: () => deskMode.kioskSession(), open: (sessionId) => deskMode.openKiosk(sessionId) },
  );
  // What the organizer's list of terminals shows of this one (sync/status-report.ts).
  const statusReport = new StatusReporter(
    sync,
    () => ({
      version: opts.version,
      modes: [...modes],
      pointId: modes.includes('gate') ? (gateFeature.gate.currentPoint().row?.id ?? null) : null,
      outbox: outbox.count(),
      audit: audit.backlog(),
      devices: supervisor.list().map((d) => ({
        id: d.id,
        kind: d.kind,
        model: supervisor.configs.find((c) => c.id === d.id)?.driver ?? d.kind,
        name: d.name,
        state: d.state,
        reason: d.reason,
      })),
    }),
    opts.statusReport,
  );
  const modules = [
    appModule({ version: opts.version, shell: opts.shell, demo: opts.demo, modes }),
    sessionsModule(sessions),
    auditModule(audit),
    syncModule(sync, statusReport),
    boxOffice,
    shifts,
    gateFeature,
    devices,
    adminModule(adminServer, { print: (items) => devices.print(items), devices: () => supervisor.configs }),
    formsModule({ cache: cache.read }),
    eTicketsModule({ server: sync }),
    badgeDesk,
    kiosk,
  ] as const;
  // Every call that changes something is recorded in the audit trail, with its operator.
  const calledFirst = createDispatcher(registerModules(modules), (id) => sessions.get(id), log, (outcome) => audit.observeCall(outcome));
  // Which screen each session is on decides where a scan goes (the gate or the open badge desk).
  const dispatch: typeof calledFirst = (sessionId, name, input) => {
    deskMode.noteCall(sessionId, name);
    return calledFirst(sessionId, name, input);
  };

  sync.on('status', (s) => {
    publish('sync.status', s);
    if (s.online) audit.pushSoon();
    if (s.online) void boxOffice.recover();
    if (s.online) void leases.keep();
  });
  // A catalog change may put a type on sale or take it off: its leases follow.
  sync.on('changes', () => void leases.keep());
  supervisor.on('status', (s) => {
    publish('device.status', s);
    kiosk.deviceStatus(s);
  });
  // Alerts replicated in (raised at other kiosks, or resolved): managers' lists refresh.
  sync.on('changes', (changes) => {
    if (changes.some((c) => c.kind === 'kiosk_alert')) kiosk.alertsReplicated();
  });
  // Device, lane and the driver's timestamp go with the scan all the way to the verdict.
  supervisor.on('scan', ({ deviceId, code, at, lane }) => {
    // The open kiosk screen identifies the attendee standing at it; it admits no one by a scan alone.
    if (kiosk.active) {
      try {
        kiosk.scanned(code);
      } catch (e) {
        log.error('kiosk scan failed', { deviceId, error: e instanceof AdmitError ? e.code : String(e) });
      }
      return;
    }
    // The open badge desk finds whom the code is for; it admits no one by a scan.
    if (deskMode.active) {
      try {
        publish('badgeDesk.found', badgeDesk.scanned(code));
      } catch (e) {
        log.error('badge desk scan failed', { deviceId, error: e instanceof AdmitError ? e.code : String(e) });
      }
      return;
    }
    gateFeature.gate.scan(code, null, sync.clock.fromDriver(at), { deviceId, lane }).catch((e: unknown) => log.error('scan failed', { deviceId, error: String(e) }));
  });
  // The ID number goes to the gate's hashed lookup only: never into a log line.
  supervisor.on('idCard', ({ deviceId, idNumber, at, lane }) => {
    if (kiosk.active) {
      kiosk.idCardRead(idNumber).catch((e: unknown) => log.error('kiosk ID card lookup failed', { deviceId, error: e instanceof AdmitError ? e.code : 'internal' }));
      return;
    }
    if (deskMode.active) {
      badgeDesk
        .idCardRead(idNumber)
        .then((found) => publish('badgeDesk.found', found))
        .catch((e: unknown) => log.error('badge desk ID card lookup failed', { deviceId, error: e instanceof AdmitError ? e.code : 'internal' }));
      return;
    }
    gateFeature.gate.scanIdCard(idNumber, null, sync.clock.fromDriver(at), { deviceId, lane }).catch((e: unknown) => log.error('ID card check failed', { deviceId, error: e instanceof AdmitError ? e.code : 'internal' }));
  });
  supervisor.on('noPassage', ({ checkinId }) => {
    try {
      gateFeature.gate.annul(checkinId, 'no_passage');
      audit.record({ action: 'auto_annulment', subject: checkinId, detail: { reason: 'no_passage' } });
    } catch (e) {
      log.warn('no passage, but the check-in could not be annulled', { checkinId, error: e instanceof AdmitError ? e.code : String(e) });
    }
  });
  supervisor.on('readFault', (fault) => devices.readFault(fault));

  // Claims a crash left unacted on are annulled, and sales it left in flight are taken up again, before
  // sync connects: the annulments go out with the first push.
  const released = gateFeature.gate.reconcile();
  if (released > 0) {
    log.warn('claims never acted on were released', { count: released });
    audit.record({ action: 'auto_annulment', subject: null, detail: { reason: 'not_acted', count: released } });
  }
  // Payments a crash left authorized for orders that failed or were never sent go back now (the devices
  // first: a card payment is reversed through the card terminal).
  devices.start();
  void boxOffice.recover();
  sync.start();
  audit.start();
  statusReport.start();
  leases.start();
  let lastScanAt = 0;
  events.on('event', (e) => {
    if (e.name === 'scan.verdict') lastScanAt = Date.now();
  });
  const checkpoint = setInterval(() => {
    if (Date.now() - lastScanAt > 500) sql.pragma('wal_checkpoint(PASSIVE)');
  }, 2000);
  checkpoint.unref();

  return {
    dispatch,
    events,
    sync,
    gate: gateFeature.gate,
    devices: supervisor,
    sessions,
    audit,
    meta,
    secrets: secrets as SecretReader,
    /** Read access for tools and tests; each feature writes its own tables. */
    cache: cache.read,
    outbox: outbox as OutboxReader,
    checkins: checkins as CheckinReader,
    /** The shifts at this terminal's drawer: refunds are recorded against them (shifts.ts recordRefund). */
    shifts: shiftStore,
    configureDevices(configs: DeviceConfigInput[]) {
      devices.configure(configs);
    },
    restartDevices: () => devices.restart(),
    /** This box office's seat leases: kept on their own; returnAll() when the box office closes. */
    leases: {
      keep: () => leases.keep(),
      returnAll: () => leases.returnAll(),
      open: () => leases.open(),
      serverLeases: () => leases.serverLeases(),
      list: (state: Parameters<LeaseStore['leases']>[0]) => leaseStore.leases(state),
      get: (id: string) => leaseStore.get(id),
      free: (ticketTypeId: string) => leaseStore.free(ticketTypeId, sync.clock.now().toISOString()),
      sales: () => leaseStore.sales(),
      seats: (leaseId: string) => leaseStore.seats(leaseId),
    },
    async close() {
      clearInterval(checkpoint);
      await leases.close();
      for (const m of modules) await m.close?.();
      sql.close();
    },
  };
}
