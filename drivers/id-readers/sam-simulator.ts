// Owns a simulated SAM ID card reader, device side: answers find / select / read / SAM id / status
// like a real reader with a configurable card on it, answers malformed requests with the reader's own
// error statuses, and injects faults on demand (corrupted XOR, truncated or overlong frames, noise,
// no card, failed select, slow or missing replies). Speaks over a PTY (serial) or a simulated USB
// bulk link.
import type { SerialPort } from 'serialport';
import { TypedEmitter } from '../events';
import { closeDevicePort, openDevicePort, writeAll } from '../serial/device-port';
import type { BulkTransport } from '../usb/bulk-transport';
import { createSimulatedBulkPair, type SimulatedBulkDevice } from '../usb/simulated';
import {
  ID_PHOTO_LENGTH,
  SW3,
  SamFrameReader,
  buildReadData,
  commandName,
  encodeIdCardText,
  encodeSamReply,
  parseSamRequest,
  type IdCardTextInput,
  type SamCommandName,
} from './sam';

export interface SimulatedIdCard extends IdCardTextInput {
  /** Opaque WLT photo bytes; default 1,024 bytes of a fixed pattern. */
  photo?: Uint8Array;
  fingerprint?: Uint8Array;
}

export type SamFault =
  /** Flip the reply's XOR byte. */
  | { kind: 'bad_checksum' }
  /** Send only the first `keepBytes` of the reply (default half), then nothing. */
  | { kind: 'truncate'; keepBytes?: number }
  /** Answer after `delayMs`. */
  | { kind: 'slow'; delayMs: number }
  /** Send noise instead of the reply. */
  | { kind: 'garbage'; bytes?: number }
  /** A header declaring Len 0xFFFF, followed by the reply's body. */
  | { kind: 'overlong' }
  /** Do not answer at all. */
  | { kind: 'silent' }
  /** Answer as if no card were on the reader. */
  | { kind: 'no_card' }
  /** select answers 0x81. */
  | { kind: 'select_fail' };

interface ArmedFault {
  fault: SamFault;
  command: SamCommandName | 'any';
}

/** The device end of a link, whatever carries it. */
export interface SamDeviceLink {
  write(bytes: Buffer): Promise<void>;
  onData(listener: (d: Buffer) => void): void;
  close(): Promise<void>;
}

export interface SamSimulatorOptions {
  card?: SimulatedIdCard | null;
  /** 16-byte SAM id. */
  samId?: Uint8Array;
}

type SamSimEvents = {
  request: [{ command: SamCommandName | null; bytes: Buffer }];
  /** A request the simulated reader refused (bad XOR, bad length, unknown command). */
  rejected: [{ sw3: number; detail: string }];
};

/** A specimen card (the ID number is the widely published sample, check digit X) for tests and the demo. */
export const SAMPLE_ID_CARD: SimulatedIdCard = {
  name: '张三',
  sex: 'male',
  nationCode: '01',
  birthDate: '1949-12-31',
  address: '北京市西城区复兴门外大街999号院11号楼3单元502室',
  idNumber: '11010519491231002X',
  authority: '北京市公安局西城分局',
  validFrom: '2010-01-01',
  validTo: '2030-01-01',
};

export const DEFAULT_SAM_ID = Buffer.from('0500010020c75f0171e0c31d4d3a0a0e', 'hex');

export function defaultPhoto(): Buffer {
  // A recognisable, non-trivial pattern: starts like a WLT file, then bytes 0..255 repeated.
  const p = Buffer.alloc(ID_PHOTO_LENGTH);
  for (let i = 0; i < p.length; i++) p[i] = i & 0xff;
  Buffer.from('WLT', 'latin1').copy(p, 0);
  return p;
}

export class SamSimulator extends TypedEmitter<SamSimEvents> {
  card: SimulatedIdCard | null;
  samId: Buffer;
  readonly requests: Array<SamCommandName | null> = [];
  readonly #frames = new SamFrameReader();
  readonly #faults: ArmedFault[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Replies go out in request order, even when one of them is slow. */
  #outQueue: Promise<void> = Promise.resolve();

  constructor(
    readonly link: SamDeviceLink,
    options: SamSimulatorOptions = {},
  ) {
    super();
    this.card = options.card === undefined ? null : options.card;
    this.samId = Buffer.from(options.samId ?? DEFAULT_SAM_ID);
    link.onData((d) => this.#onData(d));
  }

  /** Put a card on the reader (null: take it away). */
  setCard(card: SimulatedIdCard | null): void {
    this.card = card;
  }

  /** Arm a fault for the next matching request ('any' by default); faults fire once each, in order. */
  inject(fault: SamFault, command: SamCommandName | 'any' = 'any'): void {
    this.#faults.push({ fault, command });
  }

  get armedFaults(): number {
    return this.#faults.length;
  }

  /** Bytes straight onto the line (fault tests). */
  sendRaw(bytes: Uint8Array | number[]): Promise<void> {
    return this.link.write(Buffer.from(bytes as Uint8Array));
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await this.link.close();
  }

  #onData(d: Buffer): void {
    for (const f of this.#frames.push(d)) {
      if (!f.ok) {
        // A real reader answers a request it could frame but not accept; noise it ignores.
        if (f.code === 'bad_checksum') this.#reject(SW3.badChecksum, f.detail);
        else if (f.code === 'bad_length') this.#reject(SW3.badLength, f.detail);
        continue;
      }
      const req = parseSamRequest(f.body);
      if (!req) {
        this.#reject(SW3.badLength, 'request without CMD PARA');
        continue;
      }
      const name = commandName(req.cmd, req.para);
      this.requests.push(name);
      this.emit('request', { command: name, bytes: f.bytes });
      if (!name) {
        this.#reject(SW3.badCommand, `unknown command ${req.cmd.toString(16)} ${req.para.toString(16)}`);
        continue;
      }
      this.#answer(name);
    }
  }

  #reject(sw3: number, detail: string): void {
    this.emit('rejected', { sw3, detail });
    this.#send(encodeSamReply(sw3));
  }

  #takeFault(name: SamCommandName): SamFault | null {
    const i = this.#faults.findIndex((f) => f.command === 'any' || f.command === name);
    if (i < 0) return null;
    return this.#faults.splice(i, 1)[0]!.fault;
  }

  #answer(name: SamCommandName): void {
    const fault = this.#takeFault(name);
    const card = fault?.kind === 'no_card' ? null : this.card;
    let reply: Buffer;
    switch (name) {
      case 'find':
        reply = card ? encodeSamReply(SW3.findOk, Buffer.alloc(4)) : encodeSamReply(SW3.findFailed);
        break;
      case 'select':
        reply = card && fault?.kind !== 'select_fail' ? encodeSamReply(SW3.ok, Buffer.alloc(8)) : encodeSamReply(SW3.selectFailed);
        break;
      case 'read':
      case 'readWithFingerprint': {
        if (!card) {
          reply = encodeSamReply(SW3.readFailed);
          break;
        }
        const text = encodeIdCardText(card);
        const photo = card.photo ?? defaultPhoto();
        const fingerprint = name === 'readWithFingerprint' ? (card.fingerprint ?? Buffer.alloc(0)) : undefined;
        reply = encodeSamReply(SW3.ok, buildReadData(text, photo, fingerprint));
        break;
      }
      case 'samId':
        reply = encodeSamReply(SW3.ok, this.samId);
        break;
      case 'status':
      case 'reset':
        reply = encodeSamReply(SW3.ok);
        break;
    }
    this.#send(this.#applyFault(reply, fault), fault?.kind === 'slow' ? fault.delayMs : 0);
  }

  #applyFault(reply: Buffer, fault: SamFault | null): Buffer | null {
    switch (fault?.kind) {
      case 'bad_checksum': {
        const b = Buffer.from(reply);
        b[b.length - 1] = b[b.length - 1]! ^ 0x5a;
        return b;
      }
      case 'truncate':
        return reply.subarray(0, fault.keepBytes ?? Math.floor(reply.length / 2));
      case 'garbage': {
        const n = fault.bytes ?? 16;
        const b = Buffer.alloc(n);
        for (let i = 0; i < n; i++) b[i] = (i * 37 + 11) & 0xff;
        return b;
      }
      case 'overlong': {
        const b = Buffer.from(reply);
        b.writeUInt16BE(0xffff, 5);
        return b;
      }
      case 'silent':
        return null;
      default:
        return reply;
    }
  }

  #send(bytes: Buffer | null, delayMs = 0): void {
    if (!bytes) return;
    this.#outQueue = this.#outQueue.then(async () => {
      if (delayMs > 0) {
        await new Promise<void>((r) => {
          const t = setTimeout(() => {
            this.#timers.delete(t);
            r();
          }, delayMs);
          this.#timers.add(t);
        });
      }
      await this.link.write(bytes).catch(() => undefined);
    });
  }
}

export function serialDeviceLink(port: SerialPort): SamDeviceLink {
  return {
    write: (b) => writeAll(port, b),
    onData: (l) => port.on('data', l),
    close: () => closeDevicePort(port),
  };
}

export function bulkDeviceLink(device: SimulatedBulkDevice): SamDeviceLink {
  return {
    write: (b) => device.send(b),
    onData: (l) => device.on('data', l),
    close: async () => device.unplug(),
  };
}

/** A simulated reader on the device end of a PTY (115200 baud). */
export async function startSamSimulator(devicePath: string, options: SamSimulatorOptions & { baudRate?: number } = {}): Promise<SamSimulator> {
  const port = await openDevicePort(devicePath, options.baudRate ?? 115200);
  return new SamSimulator(serialDeviceLink(port), options);
}

/** A simulated USB reader; `transport` is the host end to give openSamReader. */
export function createUsbSamSimulator(options: SamSimulatorOptions & { packetSize?: number } = {}): { simulator: SamSimulator; transport: BulkTransport; device: SimulatedBulkDevice } {
  const { host, device } = createSimulatedBulkPair({ packetSize: options.packetSize ?? 64, info: { product: 'Simulated SAM ID reader' } });
  return { simulator: new SamSimulator(bulkDeviceLink(device), options), transport: host, device };
}
