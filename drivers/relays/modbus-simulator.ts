// Owns simulated Modbus relay/IO boards, from the device side: a slave model (coils driving relays,
// discrete inputs fed by a turnstile's "passage" contact, held for a given time or latched until
// read, and optionally a pulse counter per input in its input or holding registers) reached either as an RTU slave on the
// device end of a PTY or as a Modbus TCP server on 127.0.0.1. Both decode requests with modbus.ts,
// keep every coil change and pulse with timestamps, and can be told to misbehave on the next
// requests: corrupt the CRC, answer with an exception, stay silent, answer late, or send noise.
import net from 'node:net';
import type { SerialPort } from 'serialport';
import { TypedEmitter } from '../events';
import { closeDevicePort, openDevicePort, writeAll } from '../serial/device-port';
import {
  EXCEPTION,
  FC,
  RtuRequestReader,
  TcpFrameReader,
  decodeRequestPdu,
  encodeResponsePdu,
  encodeRtuResponse,
  encodeTcpFrame,
  type Decoded,
  type ModbusFrameError,
  type ModbusRequest,
  type ModbusResponse,
} from './modbus';

/**
 * What the board does with one request instead of answering normally. "Applied" says whether the
 * request still took effect (a reply corrupted on the way back) or not (a request refused or lost).
 */
export type ModbusFault =
  /** Applied; the reply's CRC is wrong (RTU). Over TCP, which has no CRC, the reply's MBAP protocol id is wrong. */
  | { kind: 'bad_crc' }
  /** Not applied; an exception reply (default: slave device busy). */
  | { kind: 'exception'; code?: number }
  /** Not applied; no reply at all. */
  | { kind: 'no_reply' }
  /** Applied; the reply comes after `delayMs`. */
  | { kind: 'slow'; delayMs: number }
  /** Not applied; noise instead of a reply. */
  | { kind: 'garbage'; bytes?: Buffer }
  /** Applied; the reply claims to come from another unit. */
  | { kind: 'wrong_unit' };

export interface ModbusSimChange {
  coil: number;
  on: boolean;
  at: Date;
}
export interface ModbusSimPulse extends ModbusSimChange {
  on: false;
  startedAt: Date;
  durationMs: number;
}
export interface ModbusSimRequest {
  request: ModbusRequest;
  fault: ModbusFault | null;
  at: Date;
}
export interface ModbusSimRejected extends ModbusFrameError {
  at: Date;
}

export interface ModbusSlaveOptions {
  /** Slave address (RTU) / unit id (TCP). Default 1. */
  unit?: number;
  coils?: number;
  inputs?: number;
  /** Function codes this board does not implement (answered with illegal function), e.g. [0x0f]. */
  unsupported?: number[];
  /** Registers of each table (03 holding, 04 input). Default 16. */
  registers?: number;
  /** The board counts each rising edge of input n into register n of this table (16 bits, wrapping). */
  inputCounters?: 'input' | 'holding';
}

type SlaveEvents = {
  change: [ModbusSimChange];
  pulse: [ModbusSimPulse];
  request: [ModbusSimRequest];
  rejected: [ModbusSimRejected];
  /** Each read of the discrete inputs, with what it returned. */
  'inputs-read': [boolean[]];
};

const DEFAULT_GARBAGE = Buffer.from('13f7a0005e21c4ff0899', 'hex');

/** The board itself, transport aside. */
export class ModbusSlave extends TypedEmitter<SlaveEvents> {
  readonly unit: number;
  readonly changes: ModbusSimChange[] = [];
  readonly pulses: ModbusSimPulse[] = [];
  readonly requests: ModbusSimRequest[] = [];
  readonly rejected: ModbusSimRejected[] = [];
  readonly #coils: boolean[];
  readonly #inputs: boolean[];
  /** Per input: values the next reads return, before falling back to the steady value. */
  readonly #script = new Map<number, boolean[]>();
  readonly #onSince = new Map<number, { at: Date; t: number }>();
  readonly #unsupported: Set<number>;
  readonly #registers: { input: number[]; holding: number[] };
  readonly #inputCounters: 'input' | 'holding' | null;
  /** Inputs latched active until a read has returned them: the resting level to return to then. */
  readonly #releaseOnRead = new Map<number, boolean>();
  readonly #inputTimers = new Set<NodeJS.Timeout>();
  #faults: ModbusFault[] = [];
  #sticky: ModbusFault | null = null;
  inputReads = 0;
  registerReads = 0;

  constructor(options: ModbusSlaveOptions = {}) {
    super();
    this.unit = options.unit ?? 1;
    this.#coils = new Array<boolean>(options.coils ?? 8).fill(false);
    this.#inputs = new Array<boolean>(options.inputs ?? 8).fill(false);
    this.#unsupported = new Set(options.unsupported ?? []);
    const registers = options.registers ?? 16;
    this.#registers = { input: new Array<number>(registers).fill(0), holding: new Array<number>(registers).fill(0) };
    this.#inputCounters = options.inputCounters ?? null;
  }

  register(table: 'input' | 'holding', address: number): number {
    return this.#registers[table][address] ?? 0;
  }
  /** Set a register (e.g. a counter just below its wrap-around). */
  setRegister(table: 'input' | 'holding', address: number, value: number): void {
    this.#registers[table][address] = value & 0xffff;
  }

  coil(address: number): boolean {
    return this.#coils[address] ?? false;
  }
  get coils(): boolean[] {
    return [...this.#coils];
  }
  input(address: number): boolean {
    return this.#inputs[address] ?? false;
  }

  /** Set a discrete input's steady value (a contact closing or opening). */
  setInput(address: number, on: boolean): void {
    const was = this.#inputs[address] ?? false;
    this.#inputs[address] = on;
    this.#script.delete(address);
    this.#releaseOnRead.delete(address);
    if (on && !was && this.#inputCounters) {
      const t = this.#registers[this.#inputCounters];
      if (address < t.length) t[address] = (t[address]! + 1) & 0xffff;
    }
  }

  /**
   * The contact closes (`active`, default true) for `ms`, then returns to its resting level. With
   * `latch`, it stays active past `ms` until a read has returned it active (a latching input), so a
   * stalled poll cannot miss it. Resolves when the contact has released.
   */
  pulseInput(address: number, ms: number, options: { active?: boolean; latch?: boolean } = {}): Promise<void> {
    const active = options.active ?? true;
    const rest = this.#inputs[address] ?? false;
    this.setInput(address, active);
    const readsAtStart = this.#readsOf.get(address) ?? 0;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#inputTimers.delete(timer);
        if (this.#inputs[address] !== active) return resolve(); // changed meanwhile
        if (!options.latch || (this.#readsOf.get(address) ?? 0) > readsAtStart) {
          this.setInput(address, rest);
          return resolve();
        }
        this.#releaseOnRead.set(address, rest);
        this.#released.set(address, resolve);
      }, ms);
      this.#inputTimers.add(timer);
    });
  }
  readonly #readsOf = new Map<number, number>();
  readonly #released = new Map<number, () => void>();

  /** Cancel contacts still timed (close()). */
  protected stopInputs(): void {
    for (const t of this.#inputTimers) clearTimeout(t);
    this.#inputTimers.clear();
  }

  /**
   * The next `reads` reads of this input return `value`, then the steady value returns. Lets a test
   * make a contact bounce for exactly one poll, or stay closed for exactly four, without sleeping.
   */
  setInputForReads(address: number, value: boolean, reads: number): void {
    const script = this.#script.get(address) ?? [];
    for (let i = 0; i < reads; i++) script.push(value);
    this.#script.set(address, script);
  }

  /** Misbehave on each of the next `times` requests (queued after faults injected earlier). */
  inject(fault: ModbusFault, times = 1): void {
    for (let i = 0; i < times; i++) this.#faults.push(fault);
  }
  /** Misbehave on every request until clearFaults(). */
  failAlways(fault: ModbusFault): void {
    this.#sticky = fault;
  }
  clearFaults(): void {
    this.#faults = [];
    this.#sticky = null;
  }

  reject(error: ModbusFrameError): void {
    const r: ModbusSimRejected = { ...error, at: new Date() };
    this.rejected.push(r);
    this.emit('rejected', r);
  }

  /**
   * Apply a decoded request. Returns the reply to send (null: none, e.g. a broadcast or a fault
   * that swallows it) and the fault, if one was taken.
   */
  process(req: ModbusRequest): { reply: ModbusResponse | null; fault: ModbusFault | null } {
    const broadcast = req.unit === 0;
    if (!broadcast && req.unit !== this.unit) return { reply: null, fault: null }; // another slave on the bus
    const fault = broadcast ? null : (this.#faults.shift() ?? this.#sticky);
    const record: ModbusSimRequest = { request: req, fault, at: new Date() };
    this.requests.push(record);
    this.emit('request', record);
    const applied = !fault || fault.kind === 'bad_crc' || fault.kind === 'slow' || fault.kind === 'wrong_unit';
    if (fault?.kind === 'exception') return { reply: { unit: this.unit, fc: req.fc, exception: fault.code ?? EXCEPTION.slaveDeviceBusy }, fault };
    if (!applied) return { reply: null, fault };
    const reply = this.#apply(req);
    if (broadcast) return { reply: null, fault: null };
    if (fault?.kind === 'wrong_unit') return { reply: { ...reply, unit: (this.unit % 247) + 1 }, fault };
    return { reply, fault };
  }

  #apply(req: ModbusRequest): ModbusResponse {
    const unit = this.unit;
    if ('unsupported' in req || this.#unsupported.has(req.fc)) return { unit, fc: req.fc, exception: EXCEPTION.illegalFunction };
    switch (req.fc) {
      case FC.readCoils:
      case FC.readDiscreteInputs: {
        const table = req.fc === FC.readCoils ? this.#coils : this.#inputs;
        if (req.address + req.count > table.length) return { unit, fc: req.fc, exception: EXCEPTION.illegalDataAddress };
        const bits: boolean[] = [];
        for (let i = 0; i < req.count; i++) {
          const a = req.address + i;
          if (req.fc === FC.readDiscreteInputs) {
            const script = this.#script.get(a);
            const scripted = script?.shift();
            if (script && script.length === 0) this.#script.delete(a);
            bits.push(scripted ?? table[a]!);
            this.#readsOf.set(a, (this.#readsOf.get(a) ?? 0) + 1);
            // A latched contact that has now been read goes back to rest.
            const rest = this.#releaseOnRead.get(a);
            if (rest !== undefined && scripted === undefined) {
              this.setInput(a, rest);
              const done = this.#released.get(a);
              this.#released.delete(a);
              done?.();
            }
          } else bits.push(table[a]!);
        }
        if (req.fc === FC.readDiscreteInputs) {
          this.inputReads++;
          this.emit('inputs-read', bits);
        }
        return { unit, fc: req.fc, bits };
      }
      case FC.readHoldingRegisters:
      case FC.readInputRegisters: {
        const table = this.#registers[req.fc === FC.readInputRegisters ? 'input' : 'holding'];
        if (req.address + req.count > table.length) return { unit, fc: req.fc, exception: EXCEPTION.illegalDataAddress };
        this.registerReads++;
        return { unit, fc: req.fc, words: table.slice(req.address, req.address + req.count) };
      }
      case FC.writeSingleCoil:
        if (req.address >= this.#coils.length) return { unit, fc: req.fc, exception: EXCEPTION.illegalDataAddress };
        this.#setCoil(req.address, req.on);
        return { unit, fc: req.fc, address: req.address, on: req.on };
      case FC.writeMultipleCoils:
        if (req.address + req.states.length > this.#coils.length) return { unit, fc: req.fc, exception: EXCEPTION.illegalDataAddress };
        req.states.forEach((on, i) => this.#setCoil(req.address + i, on));
        return { unit, fc: req.fc, address: req.address, count: req.states.length };
    }
  }

  #setCoil(address: number, on: boolean): void {
    const t = performance.now();
    const at = new Date();
    const was = this.#coils[address] ?? false;
    this.#coils[address] = on;
    if (was === on) return;
    const change: ModbusSimChange = { coil: address, on, at };
    this.changes.push(change);
    this.emit('change', change);
    if (on) this.#onSince.set(address, { at, t });
    else {
      const since = this.#onSince.get(address);
      this.#onSince.delete(address);
      if (since) {
        const pulse: ModbusSimPulse = { coil: address, on: false, at, startedAt: since.at, durationMs: t - since.t };
        this.pulses.push(pulse);
        this.emit('pulse', pulse);
      }
    }
  }
}

/** Send now, or after the fault's delay (tracked in `timers` so close() can cancel it). */
function deliver(fault: ModbusFault | null, timers: Set<NodeJS.Timeout>, send: () => void): void {
  if (fault?.kind !== 'slow') {
    send();
    return;
  }
  const timer = setTimeout(() => {
    timers.delete(timer);
    send();
  }, fault.delayMs);
  timers.add(timer);
}

// ---------------------------------------------------------------------------------------------
// RTU slave on a PTY.

export interface ModbusRtuSimulatorOptions extends ModbusSlaveOptions {
  baudRate?: number;
  /** Quiet time that ends a frame of unknown length or drops a truncated one. */
  idleMs?: number;
}

export class ModbusRtuSimulator extends ModbusSlave {
  readonly #reader = new RtuRequestReader();
  readonly #idleMs: number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly port: SerialPort,
    options: ModbusRtuSimulatorOptions = {},
  ) {
    super(options);
    this.#idleMs = options.idleMs ?? 50;
    port.on('data', (d: Buffer) => this.#onData(d));
  }

  async close(): Promise<void> {
    this.stopInputs();
    for (const t of this.#timers) clearTimeout(t);
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    await closeDevicePort(this.port);
  }

  #onData(d: Buffer): void {
    this.#handle(this.#reader.push(d));
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    if (this.#reader.pending > 0) {
      this.#idleTimer = setTimeout(() => {
        this.#idleTimer = null;
        this.#handle(this.#reader.idle());
      }, this.#idleMs);
    }
  }

  #handle(results: Decoded<ModbusRequest>[]): void {
    for (const r of results) {
      // A real slave stays silent on a frame it cannot trust; the host times out.
      if (!r.ok) {
        this.reject(r.error);
        continue;
      }
      const { reply, fault } = this.process(r.value);
      let bytes: Buffer | null = null;
      if (fault?.kind === 'garbage') bytes = fault.bytes ?? DEFAULT_GARBAGE;
      else if (reply) {
        bytes = encodeRtuResponse(reply);
        if (fault?.kind === 'bad_crc') bytes[bytes.length - 1]! ^= 0x5a;
      }
      if (!bytes) continue;
      const out = bytes;
      deliver(fault, this.#timers, () => void writeAll(this.port, out).catch(() => undefined));
    }
  }
}

export async function startModbusRtuSimulator(devicePath: string, options: ModbusRtuSimulatorOptions = {}): Promise<ModbusRtuSimulator> {
  return new ModbusRtuSimulator(await openDevicePort(devicePath, options.baudRate ?? 9600), options);
}

// ---------------------------------------------------------------------------------------------
// Modbus TCP server on 127.0.0.1.

export interface ModbusTcpSimulatorOptions extends ModbusSlaveOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

export class ModbusTcpSimulator extends ModbusSlave {
  readonly host: string;
  port = 0;
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  connections = 0;

  constructor(options: ModbusTcpSimulatorOptions = {}) {
    super(options);
    this.host = options.host ?? '127.0.0.1';
    this.#server = net.createServer((s) => this.#accept(s));
    this.#server.on('error', () => undefined);
  }

  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, this.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const addr = this.#server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    return this;
  }

  /** Cut every open connection (the board rebooted or a cable was pulled). */
  dropConnections(): void {
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.stopInputs();
    for (const t of this.#timers) clearTimeout(t);
    this.dropConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: net.Socket): void {
    this.connections++;
    this.#sockets.add(socket);
    socket.setNoDelay(true);
    const reader = new TcpFrameReader();
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('data', (chunk) => {
      for (const f of reader.push(chunk)) {
        if (!f.ok) {
          // Garbage on a TCP stream: a real gateway closes the connection.
          this.reject(f.error);
          socket.destroy();
          return;
        }
        const { transactionId, unit, pdu } = f.value;
        const decoded = decodeRequestPdu(unit, pdu);
        if (!decoded.ok) {
          this.reject(decoded.error);
          this.#send(socket, null, encodeTcpFrame({ transactionId, unit, pdu: Buffer.from([(pdu[0] ?? 0) | 0x80, EXCEPTION.illegalDataValue]) }));
          continue;
        }
        const { reply, fault } = this.process(decoded.value);
        if (fault?.kind === 'garbage') {
          this.#send(socket, fault, fault.bytes ?? DEFAULT_GARBAGE);
          continue;
        }
        if (!reply) continue;
        const frame = encodeTcpFrame({ transactionId, unit: reply.unit, pdu: encodeResponsePdu(reply) });
        if (fault?.kind === 'bad_crc') frame.writeUInt16BE(0x5a5a, 2);
        this.#send(socket, fault, frame);
      }
    });
  }

  #send(socket: net.Socket, fault: ModbusFault | null, bytes: Buffer): void {
    deliver(fault, this.#timers, () => {
      if (!socket.destroyed) socket.write(bytes);
    });
  }
}

export async function startModbusTcpSimulator(options: ModbusTcpSimulatorOptions = {}): Promise<ModbusTcpSimulator> {
  return new ModbusTcpSimulator(options).listen(options.port ?? 0);
}
