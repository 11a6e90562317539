// Owns a simulated Wiegand-to-serial converter on the device end of a PTY: presents cards as
// `W26:`/`W34:` lines (see wiegand.ts), and sends raw bits or bytes for fault tests.
import type { SerialPort } from 'serialport';
import { closeDevicePort, openDevicePort, writeAll } from '../serial/device-port';
import { encodeWiegand26, encodeWiegand34, formatWiegandLine, type Bit } from './wiegand';

export type SimulatedCard = { format: 'W26'; facility: number; number: number } | { format: 'W34'; cardNumber: number };

export interface WiegandSimulatorOptions {
  baudRate?: number;
  terminator?: 'CR' | 'CRLF';
}

export class WiegandSimulator {
  constructor(
    readonly port: SerialPort,
    private readonly options: WiegandSimulatorOptions = {},
  ) {}

  get path(): string {
    return this.port.path;
  }

  /** A card held to the reader. */
  present(card: SimulatedCard): Promise<void> {
    const bits = card.format === 'W26' ? encodeWiegand26(card.facility, card.number) : encodeWiegand34(card.cardNumber);
    return this.sendBits(bits);
  }

  /** Any raw frame (e.g. with a flipped parity bit). */
  sendBits(bits: readonly Bit[]): Promise<void> {
    return this.sendLine(formatWiegandLine(bits));
  }

  sendLine(line: string): Promise<void> {
    const end = (this.options.terminator ?? 'CR') === 'CRLF' ? '\r\n' : '\r';
    return writeAll(this.port, Buffer.from(line + end, 'latin1'));
  }

  sendRaw(bytes: Uint8Array | number[]): Promise<void> {
    return writeAll(this.port, Buffer.from(bytes as Uint8Array));
  }

  close(): Promise<void> {
    return closeDevicePort(this.port);
  }
}

export async function startWiegandSimulator(devicePath: string, options: WiegandSimulatorOptions = {}): Promise<WiegandSimulator> {
  return new WiegandSimulator(await openDevicePort(devicePath, options.baudRate ?? 9600), options);
}
