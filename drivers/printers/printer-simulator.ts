// Owns the device side that every printer simulator shares: the lines a host can reach it by (a TCP
// listener like port 9100, the device end of a serial PTY, a simulated USB printer-class device), one
// protocol session per line, and the job log with each job's PNG written for a person to look at.
// A protocol simulator only says how a session turns bytes into jobs and replies.
import net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SerialPort } from 'serialport';
import { TypedEmitter, nextEvent } from '../events';
import { closeDevicePort, openDevicePort } from '../serial/device-port';
import { SimulatedUsbPrinter, type SimulatedUsbOptions } from './transports/usb-simulated';

export interface DeviceSession {
  push(chunk: Buffer): void;
  /** The line closed (socket end, port closed, USB reset): flush what is pending. */
  end(): void;
}

/** Something a simulator received that a real printer would have choked on or silently dropped. */
export interface SimError {
  reason: string;
  /** The offending bytes, hex. */
  hex: string;
}

export interface SimJobBase {
  id: number;
  png: Buffer;
  pngPath?: string;
  receivedAt: Date;
}

export type SimulatorEvents<J> = {
  job: [J];
  connection: [{ remote: string; open: boolean }];
  error: [Error];
};

export interface PrinterSimulatorOptions {
  host?: string;
  /** Write each job's PNG here (created if missing). */
  outDir?: string;
  /** File name prefix for PNGs, so several simulators can share outDir. */
  filePrefix?: string;
}

let instances = 0;

export abstract class PrinterSimulator<J extends SimJobBase> extends TypedEmitter<SimulatorEvents<J>> {
  readonly jobs: J[] = [];
  readonly host: string;
  port = 0;
  readonly #server: net.Server;
  #listening = false;
  readonly #sockets = new Set<net.Socket>();
  readonly #serial = new Set<SerialPort>();
  readonly #usb = new Set<SimulatedUsbPrinter>();
  readonly #outDir: string | undefined;
  readonly #prefix: string;
  readonly #instance = ++instances;
  /** Every byte any host sent, on any line (a refused job must leave it unchanged). */
  bytesReceived = 0;
  #nextId = 1;

  constructor(options: PrinterSimulatorOptions, defaultPrefix: string) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.#outDir = options.outDir;
    this.#prefix = options.filePrefix ?? defaultPrefix;
    this.#server = net.createServer((socket) => this.#accept(socket));
    this.#server.on('error', (e) => this.emit('error', e));
  }

  /** One protocol conversation: `reply` writes back to the host on the same line. */
  protected abstract createSession(reply: (bytes: Uint8Array) => void, remote: string): DeviceSession;

  /** Serve raw TCP on 127.0.0.1 (port 0 picks a free one). */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, this.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#listening = true;
    const addr = this.#server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    return this;
  }

  /** Serve on the device end of a serial line (a socat PTY), with the real serialport binding. */
  async attachSerial(path: string, baudRate = 9600): Promise<this> {
    const port = await openDevicePort(path, baudRate);
    this.#serial.add(port);
    const session = this.#guarded(
      this.createSession((b) => {
        if (port.isOpen) port.write(Buffer.from(b));
      }, path),
    );
    this.emit('connection', { remote: path, open: true });
    port.on('data', (d: Buffer) => session.push(d));
    port.on('close', () => {
      this.#serial.delete(port);
      session.end();
      this.emit('connection', { remote: path, open: false });
    });
    return this;
  }

  /** A simulated USB printer-class device wired to this simulator; a new session per open. */
  createUsbDevice(options: SimulatedUsbOptions = {}): SimulatedUsbPrinter {
    const dev = new SimulatedUsbPrinter(options);
    this.#usb.add(dev);
    const remote = `usb:${dev.serialNumber ?? ''}`;
    let session: DeviceSession | null = null;
    dev.onHostData((bytes) => {
      if (!session) {
        session = this.#guarded(this.createSession((b) => dev.deviceWrite(b), remote));
        this.emit('connection', { remote, open: true });
      }
      session.push(bytes);
    });
    dev.onReset(() => {
      const s = session;
      session = null;
      if (!s) return;
      s.end();
      this.emit('connection', { remote, open: false });
    });
    return dev;
  }

  /**
   * Resolve with `jobs[index]`, waiting for it if it has not arrived. Take `index = jobs.length`
   * before printing; without it, this waits for the job after those already received.
   */
  async waitForJob(index = this.jobs.length, timeoutMs = 5000): Promise<J> {
    const have = this.jobs[index];
    if (have) return have;
    await nextEvent(this, 'job', timeoutMs, () => this.jobs.length > index);
    return this.jobs[index]!;
  }

  /** Drop every open TCP connection (a printer power-cycle, from the host's point of view). */
  dropConnections(): void {
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    for (const dev of this.#usb) dev.unplug();
    this.#usb.clear();
    await Promise.all([...this.#serial].map((p) => closeDevicePort(p)));
    if (this.#listening) {
      this.#listening = false;
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    }
  }

  /** Add a finished job: number it, write its PNG, announce it. */
  protected recordJob(job: Omit<J, 'id' | 'pngPath' | 'receivedAt'>): J {
    const id = this.#nextId++;
    const full = { ...job, id, receivedAt: new Date() } as J;
    if (this.#outDir) {
      try {
        mkdirSync(this.#outDir, { recursive: true });
        const where = this.port ? String(this.port) : `sim${this.#instance}`;
        const path = join(this.#outDir, `${this.#prefix}${where}-job-${id}.png`);
        writeFileSync(path, full.png);
        full.pngPath = path;
      } catch (e) {
        this.emit('error', e as Error);
      }
    }
    this.jobs.push(full);
    this.emit('job', full);
    return full;
  }

  /** A session must never take the simulator down: a fault in it is reported and the line goes on. */
  #guarded(session: DeviceSession): DeviceSession {
    return {
      push: (chunk) => {
        this.bytesReceived += chunk.length;
        try {
          session.push(chunk);
        } catch (e) {
          this.emit('error', new Error(`simulator fault: ${(e as Error).message}`, { cause: e }));
        }
      },
      end: () => {
        try {
          session.end();
        } catch (e) {
          this.emit('error', new Error(`simulator fault at end of stream: ${(e as Error).message}`, { cause: e }));
        }
      },
    };
  }

  #accept(socket: net.Socket): void {
    this.#sockets.add(socket);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.emit('connection', { remote, open: true });
    const session = this.#guarded(
      this.createSession((b) => {
        if (!socket.destroyed) socket.write(Buffer.from(b));
      }, remote),
    );
    let finished = false;
    const end = () => {
      if (finished) return;
      finished = true;
      this.#sockets.delete(socket);
      session.end();
      this.emit('connection', { remote, open: false });
    };
    socket.on('data', (chunk: Buffer) => session.push(chunk));
    socket.on('error', end);
    socket.on('close', end);
  }
}
