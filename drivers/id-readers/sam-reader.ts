// Owns reading a Chinese resident ID card through a SAM reader: find → select → read, one request at
// a time, each with a timeout, every failure a coded DriverError. Works over any byte transport with
// data/status/error events: a serial line (ReconnectingPort, 115200) or USB bulk endpoints
// (ReconnectingBulkLink), both reopened with backoff after an unplug. A read that fails for a reason
// other than the link or an empty reader is also a `fault` event (presented when a card was found).
// Replies that do not fit the request in flight (a late answer to a request that already timed out)
// are dropped, so a slow reader cannot shift every later answer by one.
import { startDeadline, type Deadline } from '../deadline';
import { z } from 'zod';
import { DriverError, type ConnectionStatus } from '../errors';
import { TypedEmitter } from '../events';
import { readFault, type ReadFault } from '../faults';
import { defineProtocol } from '../protocol';
import { Baud, describeSerial, describeUsb, SerialPath, UsbId } from '../settings';
import { ReconnectingPort } from '../serial/reconnecting-port';
import { openUsbBulk, type BulkTransport, type UsbBulkOptions } from '../usb/bulk-transport';
import { ReconnectingBulkLink } from '../usb/reconnecting-bulk';
import {
  ID_TEXT_LENGTH,
  SAM_COMMANDS,
  SW3,
  SamFrameReader,
  decodeIdCardText,
  formatSamId,
  parseSamReply,
  samCommand,
  splitReadData,
  sw3Meaning,
  type IdCardText,
  type SamCommandName,
  type SamFrameResult,
  type SamReply,
} from './sam';

export type SamReaderErrorCode =
  | 'no_card'
  | 'select_failed'
  | 'bad_checksum'
  | 'bad_length'
  | 'bad_id_number'
  | 'timeout'
  | 'truncated'
  | 'garbled'
  | 'bad_text'
  | 'unsupported_card'
  | 'device_error'
  | 'io'
  | 'closed'
  /** The reader's link cannot be opened: no such device, or no USB stack here. */
  | 'not_found'
  | 'unavailable';
export type SamReaderError = DriverError<SamReaderErrorCode>;

/** What a reader needs from its link; ReconnectingPort, ReconnectingBulkLink and BulkTransport fit. */
export interface SamTransport {
  readonly status: ConnectionStatus;
  write(data: Buffer): Promise<void>;
  /** Try to reconnect now (a matching device was just plugged in). */
  nudge?(): void;
  close(): Promise<void>;
  on(event: 'data', listener: (d: Buffer) => void): unknown;
  on(event: 'status', listener: (s: ConnectionStatus) => void): unknown;
  on(event: 'error', listener: (e: DriverError) => void): unknown;
}

export interface IdCardRead extends IdCardText {
  /** 1,024 bytes of vendor WLT data, kept opaque. */
  photo: Buffer;
  fingerprint: Buffer | null;
  readAt: Date;
}

export interface SamId {
  id: string;
  raw: Buffer;
}

export interface SamReaderOptions {
  transport: SamTransport;
  /** Per request. Reading text + photo takes ~1 s on real readers. */
  timeoutMs?: number;
}

type SamReaderEvents = {
  status: [ConnectionStatus];
  /** Trouble outside a request (link errors, stray bytes); requests reject instead. */
  error: [SamReaderError];
  /** read() failed (bad checksum, check digit, timeout, unreadable card), besides rejecting. */
  fault: [ReadFault];
};

interface Pending {
  name: SamCommandName;
  accept: (r: SamReply) => boolean;
  resolve: (r: SamReply) => void;
  reject: (e: SamReaderError) => void;
  timer: Deadline;
  /** Noise seen while waiting: reported if no good reply follows. */
  noise: string | null;
}

/** Generic failures any request may get instead of its own answer. */
const GENERIC_FAILURES = new Set<number>([
  SW3.badChecksum,
  SW3.badLength,
  SW3.badCommand,
  SW3.unauthorized,
  SW3.unknownError,
  SW3.samSelfTestFailed,
  SW3.samUnauthorized,
]);
const READ_FAILURES = new Set<number>([
  SW3.cardAuthFailed,
  SW3.samAuthFailed,
  SW3.infoCheckFailed,
  SW3.unknownCardType,
  SW3.readFailed,
  SW3.randomFailed,
  SW3.noContent,
]);

/** Which replies can be the answer to each request (see the header comment on stale replies). */
const ACCEPT: Record<SamCommandName, (r: SamReply) => boolean> = {
  find: (r) => (r.sw3 === SW3.findOk && r.data.length === 4) || r.sw3 === SW3.findFailed,
  select: (r) => (r.sw3 === SW3.ok && r.data.length === 8) || r.sw3 === SW3.selectFailed,
  // At least the length header and the text: a late find/select/SAM-id answer is far shorter.
  read: (r) => (r.sw3 === SW3.ok && r.data.length >= 4 + ID_TEXT_LENGTH) || READ_FAILURES.has(r.sw3),
  readWithFingerprint: (r) => (r.sw3 === SW3.ok && r.data.length >= 6 + ID_TEXT_LENGTH) || READ_FAILURES.has(r.sw3),
  samId: (r) => r.sw3 === SW3.ok && r.data.length === 16,
  status: (r) => r.sw3 === SW3.ok && r.data.length === 0,
  reset: (r) => r.sw3 === SW3.ok && r.data.length === 0,
};

/** Link failures passed on with their own code; anything else from the link is `io`. */
const LINK_CODES = new Set(['io', 'closed', 'not_found', 'unavailable']);

const err = (code: SamReaderErrorCode, detail: string, cause?: unknown) => new DriverError<SamReaderErrorCode>(code, detail, cause === undefined ? undefined : { cause });

export class SamReader extends TypedEmitter<SamReaderEvents> {
  /** The core asks a SAM reader for the card on it (read()), rather than being told. */
  readonly mode = 'poll' as const;
  readonly #transport: SamTransport;
  readonly #timeoutMs: number;
  readonly #frames = new SamFrameReader();
  #pending: Pending | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: SamReaderOptions) {
    super();
    this.#transport = options.transport;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#transport.on('data', (d) => this.#onData(d));
    this.#transport.on('status', (s) => {
      if (s !== 'connected') {
        this.#frames.clear();
        this.#fail(err('io', `link ${s}`));
      }
      this.emit('status', s);
    });
    this.#transport.on('error', (e) => this.emit('error', err(LINK_CODES.has(e.code) ? (e.code as SamReaderErrorCode) : 'io', e.detail, e)));
  }

  get status(): ConnectionStatus {
    return this.#transport.status;
  }

  /** Reconnect now if the link is waiting to (a matching USB device appeared). */
  nudge(): void {
    this.#transport.nudge?.();
  }

  /** Find, select and read the card on the reader. */
  read(options: { fingerprint?: boolean } = {}): Promise<IdCardRead> {
    let found = false;
    return this.#exclusive(async () => {
      try {
        return await this.#read(options, () => (found = true));
      } catch (e) {
        const fault = e instanceof DriverError && !this.#closed ? readFault(e.code, e.detail, found) : null;
        if (fault) this.emit('fault', fault);
        throw e;
      }
    });
  }

  async #read(options: { fingerprint?: boolean }, cardFound: () => void): Promise<IdCardRead> {
    const found = await this.#transact('find');
    if (found.sw3 === SW3.findFailed) throw err('no_card', 'no card on the reader');
    cardFound();
    const selected = await this.#transact('select');
    if (selected.sw3 === SW3.selectFailed) throw err('select_failed', 'the card was found but could not be selected (moved, or not a resident ID card)');
    const withFp = options.fingerprint === true;
    const r = await this.#transact(withFp ? 'readWithFingerprint' : 'read');
    if (r.sw3 === SW3.readFailed) throw err('no_card', 'reading failed: the card was removed');
    if (r.sw3 !== SW3.ok) throw err('device_error', `read: ${sw3Meaning(r.sw3)}`);
    let parts;
    let text;
    try {
      parts = splitReadData(r.data, withFp);
      text = decodeIdCardText(parts.text);
    } catch (e) {
      if (e instanceof DriverError) throw err(e.code as SamReaderErrorCode, e.detail, e);
      throw e;
    }
    if (!text.idNumberValid) {
      // A corrupted read that passed the XOR (or a forged card): never hand on a wrong ID number.
      throw err('bad_id_number', `ID number ${maskId(text.idNumber)} fails its check digit or does not match the birth date`);
    }
    return { ...text, photo: parts.photo, fingerprint: parts.fingerprint, readAt: new Date() };
  }

  /** Is a card on the reader? (find only) */
  findCard(): Promise<boolean> {
    return this.#exclusive(async () => (await this.#transact('find')).sw3 === SW3.findOk);
  }

  samId(): Promise<SamId> {
    return this.#exclusive(async () => {
      const r = await this.#transact('samId');
      return { id: formatSamId(r.data), raw: r.data };
    });
  }

  /** The SAM's self-check (11 FF). */
  samStatus(): Promise<{ ok: boolean; sw3: number; meaning: string }> {
    return this.#exclusive(async () => {
      const r = await this.#transact('status');
      return { ok: r.sw3 === SW3.ok, sw3: r.sw3, meaning: sw3Meaning(r.sw3) };
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#fail(err('closed', 'reader closed'));
    await this.#transport.close();
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #transact(name: SamCommandName): Promise<SamReply> {
    if (this.#closed) throw err('closed', 'reader closed');
    if (this.#transport.status !== 'connected') throw err('io', `link is ${this.#transport.status}`);
    // Bytes left over from an earlier, failed exchange must not be read as this one's answer.
    this.#frames.clear();
    const reply = new Promise<SamReply>((resolve, reject) => {
      // A stalled event loop is not a silent reader: only responsive time counts.
      const timer = startDeadline(this.#timeoutMs, () => this.#timedOut());
      this.#pending = { name, accept: (r) => ACCEPT[name](r) || GENERIC_FAILURES.has(r.sw3), resolve, reject, timer, noise: null };
    });
    // The link may drop while the command is still being written, failing the reply before it is awaited
    // below: it is awaited all the same, so that early failure is not an unhandled rejection.
    reply.catch(() => undefined);
    try {
      await this.#transport.write(samCommand(name));
    } catch (e) {
      this.#fail(err('io', `${name}: ${e instanceof DriverError ? e.detail : String(e)}`, e));
    }
    const r = await reply;
    if (GENERIC_FAILURES.has(r.sw3)) throw err('device_error', `${name}: ${sw3Meaning(r.sw3)}`);
    return r;
  }

  #timedOut(): void {
    const p = this.#pending;
    if (!p) return;
    // A reply that started but never finished is `truncated`; noise instead of a reply is `garbled`.
    const partial = this.#frames.flush('reply stopped').find((f): f is Extract<SamFrameResult, { ok: false }> => !f.ok && f.code === 'truncated');
    if (partial) this.#fail(err('truncated', `${p.name}: ${partial.detail}`));
    else if (p.noise) this.#fail(err('garbled', `${p.name}: no valid reply within ${this.#timeoutMs} ms, only ${p.noise}`));
    else this.#fail(err('timeout', `${p.name}: no reply within ${this.#timeoutMs} ms`));
  }

  #fail(e: SamReaderError): void {
    const p = this.#pending;
    if (!p) return;
    this.#pending = null;
    p.timer.cancel();
    p.reject(e);
  }

  #onData(d: Buffer): void {
    for (const f of this.#frames.push(d)) {
      const p = this.#pending;
      if (!f.ok) {
        if (p && f.code === 'garbled') p.noise = f.detail;
        else if (p) this.#fail(err(f.code, `${p.name}: ${f.detail}`));
        else this.emit('error', err(f.code, f.detail));
        continue;
      }
      const reply = parseSamReply(f.body);
      if (!reply) {
        if (p) this.#fail(err('bad_length', `${p.name}: reply of ${f.body.length} bytes has no status word`));
        continue;
      }
      if (p?.accept(reply)) {
        this.#pending = null;
        p.timer.cancel();
        p.resolve(reply);
      }
      // Otherwise a stale reply to a request that already timed out: dropped.
    }
  }
}

const maskId = (id: string) => (id.length > 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : '****');

export function openSamReader(options: SamReaderOptions): SamReader {
  return new SamReader(options);
}

export interface SerialSamReaderOptions {
  path: string;
  baudRate?: number;
  timeoutMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** A SAM reader on a serial line (115200 8N1 by default), reconnecting by itself. */
export function openSerialSamReader(options: SerialSamReaderOptions): SamReader {
  const port = new ReconnectingPort({
    path: options.path,
    baudRate: options.baudRate ?? 115200,
    initialDelayMs: options.initialDelayMs,
    maxDelayMs: options.maxDelayMs,
  });
  const reader = new SamReader({ transport: port, timeoutMs: options.timeoutMs });
  port.start();
  return reader;
}

export interface UsbSamReaderOptions {
  /** Opens the reader's bulk endpoints; called again (with backoff) after it vanishes. */
  open?: () => Promise<BulkTransport>;
  /** Otherwise the first device matching these (the `usb` package). */
  usb?: UsbBulkOptions;
  timeoutMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** A SAM reader on USB bulk endpoints, reopened by itself after an unplug. */
export function openUsbSamReader(options: UsbSamReaderOptions): SamReader {
  const usb = options.usb;
  const open = options.open ?? (usb ? () => openUsbBulk(usb) : null);
  if (!open) throw new TypeError('openUsbSamReader needs `open` or `usb`');
  const link = new ReconnectingBulkLink(open, { name: 'the USB ID reader', initialDelayMs: options.initialDelayMs, maxDelayMs: options.maxDelayMs });
  const reader = new SamReader({ transport: link, timeoutMs: options.timeoutMs });
  link.start();
  return reader;
}

/** Request bytes for logs and tests. */
export const SAM_REQUESTS: Readonly<Record<SamCommandName, Buffer>> = Object.fromEntries(
  (Object.keys(SAM_COMMANDS) as SamCommandName[]).map((n) => [n, samCommand(n)]),
) as Record<SamCommandName, Buffer>;

/** How often the reader is asked for a card. */
const pollMs = z.number().int().min(100).max(10_000).default(500);

/** Resident ID card reader (SAM protocol) on a serial line. */
export const samSerialProtocol = defineProtocol({
  class: 'id-reader',
  settings: { path: SerialPath, baudRate: Baud.default(115200), pollMs },
  open: (s, ctx) => openSerialSamReader({ path: s.path, baudRate: s.baudRate, ...ctx.reconnect }),
  describe: describeSerial,
});

/** Resident ID card reader (SAM protocol) on USB bulk endpoints. */
export const samUsbProtocol = defineProtocol({
  class: 'id-reader',
  settings: {
    vendorId: UsbId,
    productId: UsbId,
    serialNumber: z.string().min(1).max(126).optional(),
    interfaceNumber: z.number().int().min(0).max(255).optional(),
    pollMs,
  },
  open: (s, ctx) =>
    openUsbSamReader({
      open: () => ctx.transports.openUsbBulk({ vendorId: s.vendorId, productId: s.productId, serialNumber: s.serialNumber, interfaceNumber: s.interfaceNumber }),
      ...ctx.reconnect,
    }),
  describe: (s) => describeUsb(s.vendorId, s.productId, s.serialNumber),
  usb: (s) => ({ vendorId: s.vendorId, productId: s.productId }),
});
