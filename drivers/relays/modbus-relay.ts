// Owns a Modbus relay/IO board as a turnstile driver: coils switch relays (channel n = coil n-1 +
// coilBase), discrete inputs carry the turnstile controller's "passage" contact (or a board's pulse
// counter on that input, in an input or holding register, is read instead). Requests go
// through the `modbus-serial` client, over RTU (serial, via our ReconnectingPort so an unplugged
// adapter comes back by itself) or Modbus TCP (one socket, reconnected on the next request after a
// drop or a protocol fault). Every failure becomes a coded DriverError; commands are serialised; the
// last wanted state of every coil is re-sent after a reconnect so a turnstile cannot stay unlocked.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import ModbusRTU from 'modbus-serial';
import { z } from 'zod';
import { TypedEmitter } from '../events';
import { DriverError, type ConnectionStatus } from '../errors';
import { defineProtocol, type RelayBoard } from '../protocol';
import { ReconnectingPort } from '../serial/reconnecting-port';
import { Baud, describeSerial, Host, Port, SerialPath } from '../settings';
import type { PassageCounter, PassageSettings } from './turnstile';
import { PassageContact, turnstileSettings } from './relay-settings';
import { TcpFrameReader, decodeRtuRequest, decodeRtuResponse, rtuResponseLength, type ModbusRequest } from './modbus';

export type ModbusRelayErrorCode =
  /** No reply within the timeout. */
  | 'timeout'
  /** A reply whose CRC did not match. */
  | 'bad_crc'
  /** The board answered with a Modbus exception (`exception` holds its code). */
  | 'exception'
  /** Bytes came back but not a reply to this request (noise, another unit, a broken header). */
  | 'bad_reply'
  /** The line or socket is down or failed. */
  | 'io'
  /** No TCP connection could be made. */
  | 'unreachable'
  | 'closed'
  | 'bad_channel';

export class ModbusRelayError extends DriverError<ModbusRelayErrorCode> {
  constructor(
    code: ModbusRelayErrorCode,
    detail: string,
    readonly exception?: number,
    options?: { cause?: unknown },
  ) {
    super(code, detail, options);
  }
}

export type ModbusTransportOptions =
  /** 8N1 (ReconnectingPort has no parity setting yet); default 9600 baud. */
  | { kind: 'rtu'; path: string; baudRate?: number; initialDelayMs?: number; maxDelayMs?: number }
  | { kind: 'tcp'; host: string; port?: number };

export interface ModbusRelayOptions {
  transport: ModbusTransportOptions;
  /** Slave address / unit id. Default 1. */
  unit?: number;
  /** Reply timeout per request (and TCP connect timeout). Default 500 ms. */
  timeoutMs?: number;
  /** Relay channels (coils). Default 8. */
  channels?: number;
  /** Coil address of channel 1. Default 0. */
  coilBase?: number;
  /** Discrete inputs. Default 8. */
  inputs?: number;
  /** Address of input 1. Default 0. */
  inputBase?: number;
}

export interface ModbusRelayChange {
  channel: number;
  on: boolean;
  at: Date;
}

type ModbusRelayEvents = {
  status: [ConnectionStatus];
  /** A coil write the board acknowledged. */
  change: [ModbusRelayChange];
  error: [ModbusRelayError];
};

/** The byte conduit under the modbus-serial client, one per transport kind. */
interface ModbusLink {
  readonly status: ConnectionStatus;
  /** A connected client, connecting first if needed (TCP). `fresh`: a reconnection, so restore wanted states. */
  client(): Promise<{ client: ModbusRTU; fresh: boolean }>;
  /**
   * Start watching for the link failing under a request (a write error, the socket closing): the
   * promise rejects with an `io` error then, so the request fails now instead of at its timeout.
   */
  begin(): Promise<never>;
  end(): void;
  /** Bytes received since the last request was written. */
  readonly received: number;
  /** Set when the bytes since the last request were not a well-formed frame (TCP header check). */
  readonly malformed: string | null;
  /** The stream position is unknown after a fault: start clean. */
  resync(): void;
  close(): Promise<void>;
}

/** The failure half of a request: rejected when the link dies while the request is out. */
class RequestWatch {
  #reject: ((e: ModbusRelayError) => void) | null = null;
  begin(): Promise<never> {
    const p = new Promise<never>((_, reject) => {
      this.#reject = reject;
    });
    p.catch(() => undefined);
    return p;
  }
  end(): void {
    this.#reject = null;
  }
  fail(e: ModbusRelayError): void {
    const r = this.#reject;
    this.#reject = null;
    r?.(e);
  }
}

// ---------------------------------------------------------------------------------------------
// RTU: a port object in the shape modbus-serial drives (open/close/write/isOpen + 'data' events of
// whole frames), over a ReconnectingPort.

class RtuFramePort extends EventEmitter {
  // modbus-serial keeps its transaction counters on the port object.
  _transactionIdRead = 1;
  _transactionIdWrite = 1;
  #buf: Buffer = Buffer.alloc(0);
  #req: ModbusRequest | null = null;
  received = 0;
  readonly watch = new RequestWatch();

  constructor(readonly line: ReconnectingPort) {
    super();
    line.on('data', (d) => this.#onData(d));
    line.on('status', (s) => {
      if (s !== 'connected') this.watch.fail(new ModbusRelayError('io', `${line.path} went ${s} during the request`));
    });
  }

  get isOpen(): boolean {
    return this.line.status === 'connected';
  }
  open(callback?: (e: Error | null) => void): void {
    callback?.(null);
  }
  close(callback?: (e?: Error | null) => void): void {
    callback?.(null);
  }

  write(data: Buffer): void {
    // Bytes that arrived before this request (a late reply to a timed-out one) cannot answer it.
    this.#buf = Buffer.alloc(0);
    this.received = 0;
    const decoded = decodeRtuRequest(data);
    this.#req = decoded.ok ? decoded.value : null;
    this.line.write(data).catch((e: unknown) => {
      this.watch.fail(new ModbusRelayError('io', e instanceof DriverError ? e.detail : String(e), undefined, { cause: e }));
    });
  }

  #onData(d: Buffer): void {
    this.received += d.length;
    const req = this.#req;
    if (!req) return;
    this.#buf = Buffer.concat([this.#buf, d]).subarray(-512);
    // A reply starts with our unit and our function (or its exception); bytes before that are line
    // noise (an RS-485 transceiver turning round often adds one).
    for (let i = 0; i + 2 <= this.#buf.length; i++) {
      if (this.#buf[i] !== req.unit) continue;
      const fc = this.#buf[i + 1]!;
      if (fc !== req.fc && fc !== ((req.fc | 0x80) & 0xff)) continue;
      const len = rtuResponseLength(req, fc);
      if (len === 'unknown') continue;
      if (this.#buf.length < i + len) return; // wait for the rest
      const frame = this.#buf.subarray(i, i + len);
      const check = decodeRtuResponse(frame, req);
      // A well-formed echo of another write is a late reply to an earlier request: skip it.
      if (!check.ok && check.error.code === 'unexpected') {
        this.#buf = this.#buf.subarray(i + len);
        i = -1;
        continue;
      }
      this.#buf = this.#buf.subarray(i + len);
      this.#req = null;
      this.emit('data', Buffer.from(frame));
      return;
    }
  }
}

class RtuLink implements ModbusLink {
  readonly #line: ReconnectingPort;
  readonly #port: RtuFramePort;
  readonly #client: ModbusRTU;
  #opened = false;

  constructor(
    options: Extract<ModbusTransportOptions, { kind: 'rtu' }>,
    unit: number,
    timeoutMs: number,
    onStatus: (s: ConnectionStatus) => void,
    onError: (e: DriverError) => void,
  ) {
    this.#line = new ReconnectingPort({
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    });
    this.#line.on('status', onStatus);
    this.#line.on('error', onError);
    this.#port = new RtuFramePort(this.#line);
    this.#client = new ModbusRTU(this.#port);
    // modbus-serial re-emits port errors; an unheard 'error' on a node EventEmitter would throw.
    this.#client.on('error', () => undefined);
    this.#client.setID(unit);
    this.#client.setTimeout(timeoutMs);
    this.#line.start();
  }

  get status(): ConnectionStatus {
    return this.#line.status;
  }
  get received(): number {
    return this.#port.received;
  }
  get malformed(): string | null {
    return null;
  }
  begin(): Promise<never> {
    return this.#port.watch.begin();
  }
  end(): void {
    this.#port.watch.end();
  }

  async client(): Promise<{ client: ModbusRTU; fresh: boolean }> {
    if (!this.#opened) {
      await new Promise<void>((resolve) => this.#client.open(() => resolve()));
      this.#opened = true;
    }
    if (this.#line.status !== 'connected') throw new ModbusRelayError('io', `${this.#line.path} is ${this.#line.status}`);
    return { client: this.#client, fresh: false };
  }

  resync(): void {
    // The next write clears the receive buffer; nothing else to do on a serial line.
  }

  async close(): Promise<void> {
    await this.#line.close();
  }
}

// ---------------------------------------------------------------------------------------------
// TCP: our own socket, handed to modbus-serial with linkTCP so we can also watch its bytes.

class TcpLink implements ModbusLink {
  #conn: { client: ModbusRTU; socket: net.Socket } | null = null;
  #connecting: Promise<{ client: ModbusRTU; fresh: boolean }> | null = null;
  #status: ConnectionStatus = 'disconnected';
  #closed = false;
  #everConnected = false;
  #reader = new TcpFrameReader();
  received = 0;
  malformed: string | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly unit: number,
    readonly timeoutMs: number,
    private readonly onStatus: (s: ConnectionStatus) => void,
  ) {}

  get status(): ConnectionStatus {
    return this.#status;
  }
  get name(): string {
    return `${this.host}:${this.port}`;
  }

  readonly #watch = new RequestWatch();

  begin(): Promise<never> {
    this.received = 0;
    this.malformed = null;
    return this.#watch.begin();
  }
  end(): void {
    this.#watch.end();
  }

  client(): Promise<{ client: ModbusRTU; fresh: boolean }> {
    if (this.#closed) return Promise.reject(new ModbusRelayError('closed', `Modbus link to ${this.name} was closed`));
    if (this.#conn && !this.#conn.socket.destroyed) return Promise.resolve({ client: this.#conn.client, fresh: false });
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  resync(): void {
    const c = this.#conn;
    this.#conn = null;
    c?.socket.destroy();
    if (c) this.#setStatus('disconnected');
  }

  async close(): Promise<void> {
    this.#closed = true;
    const c = this.#conn;
    this.#conn = null;
    if (c && !c.socket.destroyed) {
      await new Promise<void>((resolve) => {
        c.socket.once('close', () => resolve());
        c.socket.destroy();
      });
    }
    this.#setStatus('disconnected');
  }

  #setStatus(s: ConnectionStatus): void {
    if (s === this.#status) return;
    this.#status = s;
    this.onStatus(s);
  }

  async #connect(): Promise<{ client: ModbusRTU; fresh: boolean }> {
    this.#setStatus('connecting');
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: this.host, port: this.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new ModbusRelayError('unreachable', `no connection to ${this.name} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.off('error', onError);
        resolve(s);
      });
      const onError = (e: Error) => {
        clearTimeout(timer);
        s.destroy();
        reject(new ModbusRelayError('unreachable', `cannot connect to ${this.name}: ${e.message}`, undefined, { cause: e }));
      };
      s.once('error', onError);
    }).catch((e: unknown) => {
      this.#setStatus('disconnected');
      throw e;
    });
    if (this.#closed) {
      socket.destroy();
      throw new ModbusRelayError('closed', `Modbus link to ${this.name} was closed`);
    }
    socket.on('error', () => undefined);
    // Our own look at every byte, before modbus-serial's (listeners run in order): it does not check
    // the MBAP protocol id, so a broken header would otherwise pass as a reply.
    this.#reader = new TcpFrameReader();
    socket.on('data', (d: Buffer) => {
      this.received += d.length;
      for (const f of this.#reader.push(d)) {
        if (!f.ok) this.malformed = f.error.detail;
        else if (f.value.unit !== this.unit) this.malformed = `reply from unit ${f.value.unit}, expected ${this.unit}`;
      }
    });
    const client = new ModbusRTU();
    client.on('error', () => undefined);
    client.setID(this.unit);
    client.setTimeout(this.timeoutMs);
    await client.linkTCP(socket, { port: this.port });
    const conn = { client, socket };
    this.#conn = conn;
    socket.once('close', () => {
      // A socket we dropped ourselves (resync) must not fail the request already on its successor.
      if (this.#conn === conn) {
        this.#watch.fail(new ModbusRelayError('io', `${this.name} closed the connection`));
        this.#conn = null;
        this.#setStatus('disconnected');
      }
    });
    this.#setStatus('connected');
    // The first connection has nothing to restore; a later one may find a board that rebooted.
    const fresh = this.#everConnected;
    this.#everConnected = true;
    return { client, fresh };
  }
}

// ---------------------------------------------------------------------------------------------

interface ModbusSerialError {
  message?: string;
  errno?: string;
  modbusCode?: number;
}

export class ModbusRelay extends TypedEmitter<ModbusRelayEvents> {
  readonly channels: number;
  readonly inputs: number;
  readonly #unit: number;
  readonly #coilBase: number;
  readonly #inputBase: number;
  readonly #link: ModbusLink;
  readonly #wanted = new Map<number, boolean>();
  readonly #name: string;
  #queue: Promise<unknown> = Promise.resolve();
  #restorePending = false;
  #closed = false;

  constructor(options: ModbusRelayOptions) {
    super();
    this.#unit = options.unit ?? 1;
    this.channels = options.channels ?? 8;
    this.inputs = options.inputs ?? 8;
    this.#coilBase = options.coilBase ?? 0;
    this.#inputBase = options.inputBase ?? 0;
    const timeoutMs = options.timeoutMs ?? 500;
    const t = options.transport;
    if (t.kind === 'rtu') {
      this.#name = `${t.path} unit ${this.#unit}`;
      this.#link = new RtuLink(
        t,
        this.#unit,
        timeoutMs,
        (s) => {
          this.emit('status', s);
          if (s === 'connected' && this.#wanted.size > 0) {
            this.#restorePending = true;
            void this.#exclusive(() => this.#restoreIfNeeded()).catch(() => undefined);
          }
        },
        (e) => this.emit('error', new ModbusRelayError('io', e.detail, undefined, { cause: e })),
      );
    } else {
      this.#name = `${t.host}:${t.port ?? 502} unit ${this.#unit}`;
      this.#link = new TcpLink(t.host, t.port ?? 502, this.#unit, timeoutMs, (s) => this.emit('status', s));
    }
  }

  get status(): ConnectionStatus {
    return this.#link.status;
  }

  /** The state last commanded for a channel (undefined if never set). */
  wanted(channel: number): boolean | undefined {
    return this.#wanted.get(channel);
  }

  set(channel: number, on: boolean): Promise<void> {
    return this.#exclusive(() => this.#write(channel, on));
  }

  /**
   * Every channel at once, in one write-multiple-coils request; a board without that function
   * (illegal function) gets one write-coil request per channel instead.
   */
  setAll(on: boolean): Promise<void> {
    return this.#exclusive(async () => {
      for (let ch = 1; ch <= this.channels; ch++) this.#wanted.set(ch, on);
      try {
        await this.#request('write coils', (c) => c.writeCoils(this.#coilBase, new Array<boolean>(this.channels).fill(on)));
      } catch (e) {
        if (!(e instanceof ModbusRelayError && e.code === 'exception' && e.exception === 0x01)) throw e;
        let failure: unknown = null;
        for (let ch = 1; ch <= this.channels; ch++) await this.#write(ch, on).catch((err: unknown) => (failure ??= err));
        if (failure) throw failure;
        return;
      }
      const at = new Date();
      for (let ch = 1; ch <= this.channels; ch++) this.emit('change', { channel: ch, on, at });
    });
  }

  /** Close the contact for `ms`, then open it; the off command is sent even when on failed. */
  pulse(channel: number, ms: number): Promise<void> {
    return this.#exclusive(async () => {
      let failure: unknown = null;
      try {
        await this.#write(channel, true);
        await new Promise((r) => setTimeout(r, ms));
      } catch (e) {
        failure = e;
      }
      try {
        await this.#write(channel, false);
      } catch (e) {
        failure ??= e;
      }
      if (failure) throw failure;
    });
  }

  /** The board's discrete inputs, input 1 first. */
  readInputs(): Promise<boolean[]> {
    return this.#exclusive(async () => {
      const r = await this.#request('read inputs', (c) => c.readDiscreteInputs(this.#inputBase, this.inputs));
      return r.data.slice(0, this.inputs);
    });
  }

  /** `count` holding (03) or input (04) registers from `address`. */
  readRegisters(table: 'input' | 'holding', address: number, count = 1): Promise<number[]> {
    return this.#exclusive(async () => {
      const what = `read ${table} registers`;
      const r = await this.#request(what, (c) => (table === 'input' ? c.readInputRegisters(address, count) : c.readHoldingRegisters(address, count)));
      return r.data.slice(0, count);
    });
  }

  /** The coils as the board reports them, channel 1 first. */
  readCoils(): Promise<boolean[]> {
    return this.#exclusive(async () => {
      const r = await this.#request('read coils', (c) => c.readCoils(this.#coilBase, this.channels));
      return r.data.slice(0, this.channels);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    await this.#link.close();
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(channel: number, on: boolean): Promise<void> {
    if (!Number.isInteger(channel) || channel < 1 || channel > this.channels) {
      throw new ModbusRelayError('bad_channel', `channel ${channel} is outside 1..${this.channels}`);
    }
    // Remember the intent first: if this write fails, the next reconnect restores it.
    this.#wanted.set(channel, on);
    await this.#request(`channel ${channel} ${on ? 'on' : 'off'}`, (c) => c.writeCoil(this.#coilBase + channel - 1, on));
    this.emit('change', { channel, on, at: new Date() });
  }

  async #restoreIfNeeded(): Promise<void> {
    if (!this.#restorePending) return;
    this.#restorePending = false;
    for (const [channel, on] of this.#wanted) {
      const { client } = await this.#link.client();
      await this.#call(client, `restore channel ${channel}`, (c) => c.writeCoil(this.#coilBase + channel - 1, on));
    }
  }

  /** One request, with (re)connection, a fresh-connection restore, and coded errors. */
  async #request<T>(what: string, fn: (c: ModbusRTU) => Promise<T>): Promise<T> {
    if (this.#closed) throw new ModbusRelayError('closed', `${this.#name} was closed`);
    let conn: { client: ModbusRTU; fresh: boolean };
    try {
      conn = await this.#link.client();
    } catch (e) {
      throw this.#report(e instanceof DriverError ? (e as ModbusRelayError) : new ModbusRelayError('io', String(e), undefined, { cause: e }));
    }
    if (conn.fresh && this.#wanted.size > 0) this.#restorePending = true;
    try {
      await this.#restoreIfNeeded();
    } catch (e) {
      this.#restorePending = true;
      throw e;
    }
    return this.#call(conn.client, what, fn);
  }

  async #call<T>(client: ModbusRTU, what: string, fn: (c: ModbusRTU) => Promise<T>): Promise<T> {
    const lost = this.#link.begin();
    let result: T;
    try {
      const reply = fn(client);
      // If the link dies first, modbus-serial's transaction still ends at its timeout: keep that quiet.
      reply.catch(() => undefined);
      result = await Promise.race([reply, lost]);
    } catch (e) {
      const err = e instanceof ModbusRelayError ? this.#report(new ModbusRelayError(e.code, `${this.#name} ${what}: ${e.detail}`, undefined, { cause: e })) : null;
      if (err) throw err;
      const classified = this.#classify(e as ModbusSerialError, what);
      if (classified.code !== 'exception' && classified.code !== 'io') this.#link.resync();
      throw this.#report(classified);
    } finally {
      this.#link.end();
    }
    const malformed = this.#link.malformed;
    if (malformed) {
      this.#link.resync();
      throw this.#report(new ModbusRelayError('bad_reply', `${this.#name} ${what}: ${malformed}`));
    }
    return result;
  }

  #classify(e: ModbusSerialError, what: string): ModbusRelayError {
    const msg = e?.message ?? String(e);
    const where = `${this.#name} ${what}`;
    if (typeof e?.modbusCode === 'number') {
      return new ModbusRelayError('exception', `${where}: ${msg}`, e.modbusCode, { cause: e });
    }
    if (e?.errno === 'ETIMEDOUT' || msg === 'Timed out') {
      const got = this.#link.received;
      const malformed = this.#link.malformed;
      if (got > 0) return new ModbusRelayError('bad_reply', `${where}: ${got} bytes received but no valid reply${malformed ? ` (${malformed})` : ''}`, undefined, { cause: e });
      return new ModbusRelayError('timeout', `${where}: no reply`, undefined, { cause: e });
    }
    if (/CRC error/i.test(msg)) return new ModbusRelayError('bad_crc', `${where}: reply failed its CRC check`, undefined, { cause: e });
    if (/Data length error|Unexpected data error/i.test(msg)) return new ModbusRelayError('bad_reply', `${where}: ${msg}`, undefined, { cause: e });
    if (/Port Not Open/i.test(msg)) return new ModbusRelayError('io', `${where}: link is down`, undefined, { cause: e });
    return new ModbusRelayError('io', `${where}: ${msg}`, undefined, { cause: e });
  }

  #report(e: ModbusRelayError): ModbusRelayError {
    this.emit('error', e);
    return e;
  }
}

export function openModbusRelay(options: ModbusRelayOptions): ModbusRelay {
  return new ModbusRelay(options);
}

/** Passage detection from the configured contact on the board's inputs. */
function passageFrom(contact: PassageContact | undefined, board: RelayBoard): PassageSettings | undefined {
  if (!contact || !board.readInputs) return undefined;
  const input = { readInputs: () => board.readInputs!() };
  const c = contact.counter;
  // A board (or a wrapper of one) that reads registers; any other keeps to the input's level.
  const registers = board as RelayBoard & Partial<Pick<ModbusRelay, 'readRegisters'>>;
  const counter = c && registers.readRegisters ? counterOf({ readRegisters: (t, a, n) => registers.readRegisters!(t, a, n) }, c) : undefined;
  return { input, inputs: contact.input, activeHigh: contact.activeHigh, pollMs: contact.pollMs, debounceMs: contact.debounceMs, timeoutMs: contact.noPassageTimeoutMs, counter };
}

/** The board's pulse counter as a PassageCounter; a 32-bit counter is two registers, high word first. */
export function counterOf(board: Pick<ModbusRelay, 'readRegisters'>, c: { table: 'input' | 'holding'; address: number; bits: 16 | 32 }): PassageCounter {
  return {
    bits: c.bits,
    read: async () => {
      const words = await board.readRegisters(c.table, c.address, c.bits / 16);
      return c.bits === 32 ? words[0]! * 0x10000 + words[1]! : words[0]!;
    },
  };
}

/** Modbus RTU IO board: coils open the gate, a discrete input reports the passage. */
export const modbusRtuProtocol = defineProtocol({
  class: 'relay',
  settings: {
    path: SerialPath,
    baudRate: Baud.default(9600),
    unit: z.number().int().min(1).max(247).default(1),
    ...turnstileSettings,
    passage: PassageContact.optional(),
  },
  open: (s, ctx) => openModbusRelay({ transport: { kind: 'rtu', path: s.path, baudRate: s.baudRate, ...ctx.reconnect }, unit: s.unit, channels: s.channels }),
  describe: describeSerial,
  passage: (s, board) => passageFrom(s.passage, board),
});

/** Modbus TCP IO board (or an RTU board behind a TCP gateway). */
export const modbusTcpProtocol = defineProtocol({
  class: 'relay',
  settings: {
    host: Host,
    port: Port.default(502),
    unit: z.number().int().min(0).max(255).default(1),
    ...turnstileSettings,
    passage: PassageContact.optional(),
  },
  open: (s) => openModbusRelay({ transport: { kind: 'tcp', host: s.host, port: s.port }, unit: s.unit, channels: s.channels }),
  describe: (s) => `modbus tcp ${s.host}:${s.port} unit ${s.unit}`,
  passage: (s, board) => passageFrom(s.passage, board),
});
