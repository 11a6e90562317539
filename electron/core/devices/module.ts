// Owns the devices feature as the rest of the core and the UI see it: the devices slice of the contract
// (device list, adding, removing and reloading devices at runtime, emergency open-all and release)
// over the device supervisor, the supervisor's life
// (start from the stored configuration, restart, close), and printing in contract terms: a print
// request's outcome and every print job's settling as `print.job`, each with a coded reason the UI
// translates instead of a driver's raw code; and a read that failed at a scanner or ID reader, logged
// and, when a holder presented something, told to the gate screen as `device.readFault`.
import {
  AdmitError,
  type CallOutput,
  type DevicesCall,
  type DeviceStatus,
  type EventName,
  type EventPayload,
  type PrintJobEvent,
  type PrintJobKind,
  type PrintOutcome,
  type PrintReason,
  type ReadFaultEvent,
} from '../../contract';
import type { AuditRecorder } from '../audit/module';
import type { Meta } from '../db/meta';
import type { CoreModule, Logger } from '../dispatcher';
import type { PrintJob, PrintJobKind as QueueJobKind, PrintQueue } from '../printing/queue';
import { loadDeviceConfigs, parseDeviceConfig, saveDeviceConfigs, type DeviceConfig, type DeviceConfigInput } from './config';

/** A printer-neutral document, as the print queue stores it. */
export type PrintDocument = PrintJob['document'];

/** What this module drives of the device supervisor (supervisor.ts), by shape: features that print
 *  depend on this module, not on the drivers behind the supervisor. */
export interface Supervisor {
  start(configs: readonly DeviceConfig[]): void;
  /** Bring the running devices to this configuration (only what changed is restarted). */
  apply(configs: readonly DeviceConfig[]): Promise<void>;
  close(): Promise<void>;
  list(): DeviceStatus[];
  openAll(): Promise<CallOutput<'devices.openAll'>>;
  release(): Promise<CallOutput<'devices.release'>>;
  print(items: readonly PrintItem[]): Promise<{ printed: boolean; printError: string | null; jobIds: string[] }>;
  readonly queue: PrintQueue | null;
}

// Every kind of job the queue prints is one the contract can name.
const _queueKindsInContract: QueueJobKind extends PrintJobKind ? true : false = true;

const REASONS: Readonly<Record<string, PrintReason>> = {
  no_printer: 'no_printer',
  no_printer_for_kind: 'no_printer_for_kind',
  paper_out: 'paper_out',
  cover_open: 'cover_open',
  jam: 'jam',
  ribbon_out: 'ribbon_out',
  printer_error: 'printer_error',
  offline: 'offline',
  unreachable: 'unreachable',
  closed: 'unreachable',
  io: 'unreachable',
  timeout: 'timeout',
  print_timeout: 'timeout',
  held: 'timeout',
  unconfirmed: 'unconfirmed',
  bad_document: 'rejected',
  rejected: 'rejected',
  unknown_printer: 'no_printer',
  cancelled: 'cancelled',
};

/** The contract's reason for a supervisor, queue or driver code (anything unknown is `failed`). */
export const printReason = (code: string | null | undefined): PrintReason => (code ? (REASONS[code] ?? 'failed') : 'failed');

/** A queue job's change as the `print.job` event, or null for changes that settle nothing (queued, printing). */
export function printJobEvent(job: Pick<PrintJob, 'id' | 'kind' | 'state' | 'error'>): PrintJobEvent | null {
  const base = { jobId: job.id, kind: job.kind };
  switch (job.state) {
    case 'printed':
      return { ...base, state: 'printed', reason: null };
    case 'failed':
      return { ...base, state: 'failed', reason: printReason(job.error?.code) };
    case 'cancelled':
      return { ...base, state: 'failed', reason: 'cancelled' };
    case 'held':
      return { ...base, state: 'queued', reason: printReason(job.error?.code ?? 'held') };
    default:
      return null;
  }
}

/** A failed read as the supervisor reports it (supervisor.ts, `readFault`). */
export type SupervisorReadFault = {
  deviceId: string;
  deviceKind: ReadFaultEvent['deviceKind'];
  deviceName: string;
  lane: string | null;
  kind: ReadFaultEvent['fault'];
  code: string;
  presented: boolean;
  at: Date;
};

/** The gate's `device.readFault` for a failed read a holder presented; null when nobody did. */
export function readFaultEvent(f: SupervisorReadFault): ReadFaultEvent | null {
  if (!f.presented) return null;
  return { deviceId: f.deviceId, deviceKind: f.deviceKind, deviceName: f.deviceName, lane: f.lane, fault: f.kind, at: f.at.toISOString() };
}

export type PrintItem = { kind: QueueJobKind; doc: PrintDocument };
/** What a feature needs to print: documents in, an outcome in contract terms out. Never throws. */
export type Printing = { print(items: readonly PrintItem[]): Promise<PrintOutcome> };

export type DevicesDeps = {
  supervisor: Supervisor;
  meta: Meta;
  log: Logger;
  publish: <K extends EventName>(name: K, payload: EventPayload<K>) => void;
  /** Where reprints and device configuration changes are recorded. */
  audit?: AuditRecorder;
};

export function devicesModule({ supervisor, meta, log, publish, audit }: DevicesDeps) {
  let queue: PrintQueue | null = null;
  const onJob = (job: PrintJob) => {
    const event = printJobEvent(job);
    if (event) publish('print.job', event);
    if (job.state === 'printed' && job.reprints > 0) audit?.record({ action: 'reprint', subject: job.id, detail: { kind: job.kind, printer: job.printerId, copies: job.reprints } });
  };
  const configs = (): DeviceConfig[] => {
    const { configs, problems } = loadDeviceConfigs(meta);
    for (const p of problems) log.error('device configuration entry skipped', { index: p.index, id: p.id, issues: p.issues });
    return configs;
  };
  /** The supervisor makes a new print queue on every start: follow it. */
  const start = () => {
    supervisor.start(configs());
    queue?.off('job', onJob);
    queue = supervisor.queue;
    queue?.on('job', onJob);
  };
  const followQueue = () => {
    if (queue === supervisor.queue) return;
    queue?.off('job', onJob);
    queue = supervisor.queue;
    queue?.on('job', onJob);
  };
  /** Store a new list (strictly validated) and bring the running devices to it. */
  const change = async (list: DeviceConfigInput[]) => {
    let saved: DeviceConfig[];
    try {
      saved = saveDeviceConfigs(meta, list);
    } catch (e) {
      throw new AdmitError('invalid_input', e instanceof Error ? e.message.slice(0, 500) : 'invalid device list');
    }
    await supervisor.apply(saved);
    followQueue();
    return supervisor.list();
  };
  const stop = async () => {
    queue?.off('job', onJob);
    queue = null;
    await supervisor.close();
  };

  const print: Printing['print'] = async (items) => {
    const r = await supervisor.print(items);
    if (r.printed) return { state: 'printed', jobIds: r.jobIds };
    const reason = printReason(r.printError);
    // Nothing in line (no printer, or the queue refused the jobs), or a kind no printer takes: that
    // part will not print by itself.
    if (r.jobIds.length === 0 || reason === 'no_printer_for_kind') return { state: 'failed', reason, jobIds: r.jobIds };
    const jobs = r.jobIds.map((id) => supervisor.queue?.job(id) ?? null);
    const given = jobs.find((j) => j?.state === 'failed' || j?.state === 'cancelled');
    if (given) return { state: 'failed', reason: given.state === 'cancelled' ? 'cancelled' : printReason(given.error?.code ?? r.printError), jobIds: r.jobIds };
    return { state: 'queued', reason, jobIds: r.jobIds };
  };

  const module = {
    name: 'devices',
    handlers: {
      'devices.list': () => supervisor.list(),
      'devices.openAll': () => supervisor.openAll(),
      'devices.release': () => supervisor.release(),
      'devices.add': async ({ device, replace }) => {
        const parsed = parseDeviceConfig(device);
        if (!parsed.ok) throw new AdmitError('invalid_input', parsed.issues.join('; ').slice(0, 500));
        const list = configs();
        const at = list.findIndex((c) => c.id === parsed.config.id);
        if (at >= 0 && !replace) throw new AdmitError('invalid_input', `a device '${parsed.config.id}' is already configured`);
        if (at >= 0) list[at] = parsed.config;
        else list.push(parsed.config);
        return change(list);
      },
      'devices.remove': async ({ id }) => {
        const list = configs();
        const kept = list.filter((c) => c.id !== id);
        if (kept.length === list.length) throw new AdmitError('not_found', `no device '${id}'`);
        return change(kept);
      },
      'devices.reload': async () => {
        await supervisor.apply(configs());
        followQueue();
        return supervisor.list();
      },
    },
    close: stop,
  } satisfies CoreModule<DevicesCall>;

  return {
    ...module,
    print,
    start,
    /** Stores a new device list (validated strictly); takes effect on restart(). */
    /** A read failed: a log line (codes only: an ID reader's detail may hold part of a card), and the gate's notice. */
    readFault(f: SupervisorReadFault) {
      log.warn('read failed', { deviceId: f.deviceId, kind: f.kind, code: f.code, presented: f.presented });
      const event = readFaultEvent(f);
      if (event) publish('device.readFault', event);
    },
    configure(list: DeviceConfigInput[]) {
      const saved = saveDeviceConfigs(meta, list);
      audit?.record({ action: 'device_config', detail: { devices: saved.length, ids: saved.map((d) => d.id).join(',').slice(0, 200) } });
    },
    async restart() {
      await stop();
      start();
    },
  };
}
