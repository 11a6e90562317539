// Owns a simulated MRZ reader on the device end of a PTY: "swipes" documents as CR/LF-separated lines,
// and sends arbitrary lines or bytes for fault tests.
import type { SerialPort } from 'serialport';
import { closeDevicePort, openDevicePort, writeAll } from '../serial/device-port';
import { composeMrz, type MrzInput } from './mrz';

export interface MrzSimulatorOptions {
  baudRate?: number;
  terminator?: 'CR' | 'LF' | 'CRLF';
}

export class MrzSimulator {
  constructor(
    readonly port: SerialPort,
    private readonly options: MrzSimulatorOptions = {},
  ) {}

  get path(): string {
    return this.port.path;
  }

  /** Read a document: its MRZ lines, each with the terminator. */
  present(doc: MrzInput | readonly string[]): Promise<void> {
    const lines = Array.isArray(doc) ? (doc as readonly string[]) : composeMrz(doc as MrzInput);
    return this.sendLines(lines);
  }

  sendLines(lines: readonly string[]): Promise<void> {
    const t = this.options.terminator ?? 'CR';
    const end = t === 'CRLF' ? '\r\n' : t === 'LF' ? '\n' : '\r';
    return writeAll(this.port, Buffer.from(lines.map((l) => l + end).join(''), 'latin1'));
  }

  sendRaw(bytes: Uint8Array | number[]): Promise<void> {
    return writeAll(this.port, Buffer.from(bytes as Uint8Array));
  }

  close(): Promise<void> {
    return closeDevicePort(this.port);
  }
}

export async function startMrzSimulator(devicePath: string, options: MrzSimulatorOptions = {}): Promise<MrzSimulator> {
  return new MrzSimulator(await openDevicePort(devicePath, options.baudRate ?? 9600), options);
}
