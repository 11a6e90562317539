// Owns a simulated serial barcode scanner on the device end of a PTY: "scans" codes with a chosen
// terminator, sends arbitrary bytes for fault tests, and notices software-trigger commands.
import type { SerialPort } from 'serialport';
import { TypedEmitter } from '../events';
import { closeDevicePort, openDevicePort, writeAll } from '../serial/device-port';
import { GM65_TRIGGER, HONEYWELL_TRIGGER, type TriggerKind } from './serial-framing';

export type SimTerminator = 'CR' | 'LF' | 'CRLF' | 'none';
const TERMINATORS: Record<SimTerminator, Buffer> = {
  CR: Buffer.from([0x0d]),
  LF: Buffer.from([0x0a]),
  CRLF: Buffer.from([0x0d, 0x0a]),
  none: Buffer.alloc(0),
};

export interface ScannerSimulatorOptions {
  baudRate?: number;
  /** Answer a software trigger by scanning this code (like aiming at a ticket). */
  onTrigger?: (kind: TriggerKind) => string | undefined;
  terminator?: SimTerminator;
}

type ScannerSimEvents = {
  trigger: [TriggerKind];
  /** Bytes from the host that are not a trigger command. */
  received: [Buffer];
};

export class ScannerSimulator extends TypedEmitter<ScannerSimEvents> {
  triggers = 0;
  #rx: Buffer = Buffer.alloc(0);

  constructor(
    readonly port: SerialPort,
    private readonly options: ScannerSimulatorOptions = {},
  ) {
    super();
    port.on('data', (d: Buffer) => this.#onData(d));
  }

  get path(): string {
    return this.port.path;
  }

  /** Send `code` (UTF-8) followed by the terminator, as a scanner does when it reads a symbol. */
  scan(code: string, terminator: SimTerminator = this.options.terminator ?? 'CR'): Promise<void> {
    return writeAll(this.port, Buffer.concat([Buffer.from(code, 'utf8'), TERMINATORS[terminator]]));
  }

  sendRaw(bytes: Uint8Array | number[]): Promise<void> {
    return writeAll(this.port, Buffer.from(bytes as Uint8Array));
  }

  close(): Promise<void> {
    return closeDevicePort(this.port);
  }

  #onData(d: Buffer): void {
    this.#rx = Buffer.concat([this.#rx, d]);
    for (;;) {
      const h = this.#rx.indexOf(HONEYWELL_TRIGGER);
      const g = this.#rx.indexOf(GM65_TRIGGER);
      const hit = h >= 0 && (g < 0 || h < g) ? { at: h, kind: 'honeywell' as const, len: HONEYWELL_TRIGGER.length } : g >= 0 ? { at: g, kind: 'gm65' as const, len: GM65_TRIGGER.length } : null;
      if (!hit) break;
      if (hit.at > 0) this.emit('received', Buffer.from(this.#rx.subarray(0, hit.at)));
      this.#rx = this.#rx.subarray(hit.at + hit.len);
      this.triggers++;
      this.emit('trigger', hit.kind);
      const code = this.options.onTrigger?.(hit.kind);
      if (code !== undefined) void this.scan(code).catch(() => undefined);
    }
    // Keep a possible trigger prefix; anything longer than a trigger without one is just data.
    if (this.#rx.length > GM65_TRIGGER.length) {
      this.emit('received', Buffer.from(this.#rx));
      this.#rx = Buffer.alloc(0);
    }
  }
}

export async function startScannerSimulator(devicePath: string, options: ScannerSimulatorOptions = {}): Promise<ScannerSimulator> {
  return new ScannerSimulator(await openDevicePort(devicePath, options.baudRate ?? 9600), options);
}
