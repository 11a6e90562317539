// Owns a simulated ESC/POS network printer (raw TCP, like port 9100) for tests and demos: it answers
// DLE EOT / GS r status from a settable state, splits the stream into jobs at each cut (or when the
// connection ends), and renders every job to a PNG of an 80 mm roll. Bad bytes become job errors.
import net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TypedEmitter, nextEvent } from '../events';
import { EscPosParser, type EscPosCommand } from './escpos-parser';
import { JobRenderer, type RenderError } from './escpos-render';
import { encodePaperSensorReply, encodeStatusReply, type PrinterState, type StatusKind } from './escpos';

export interface PrintedJob {
  id: number;
  /** Bytes of the job as received, without the status requests that arrived in between. */
  bytes: Buffer;
  /** Decoded text lines, joined with \n. */
  text: string;
  /** Each stored-and-printed QR payload, decoded as UTF-8. */
  qrData: string[];
  png: Buffer;
  pngPath?: string;
  errors: RenderError[];
  receivedAt: Date;
}

export interface EscPosSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Write each job's PNG here (created if missing). */
  outDir?: string;
  /** File name prefix for PNGs, so several simulators can share outDir. */
  filePrefix?: string;
}

type SimulatorEvents = {
  job: [PrintedJob];
  connection: [{ remote: string; open: boolean }];
  error: [Error];
};

export class EscPosSimulator extends TypedEmitter<SimulatorEvents> {
  readonly jobs: PrintedJob[] = [];
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #outDir: string | undefined;
  readonly #prefix: string;
  #state: PrinterState = { paper: 'ok', coverOpen: false, error: false };
  #mute = false;
  #nextId = 1;
  port = 0;
  readonly host: string;

  constructor(options: EscPosSimulatorOptions = {}) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.#outDir = options.outDir;
    this.#prefix = options.filePrefix ?? 'escpos-';
    this.#server = net.createServer((socket) => this.#accept(socket));
    this.#server.on('error', (e) => this.emit('error', e));
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

  setPaper(paper: PrinterState['paper']): void {
    this.#state = { ...this.#state, paper };
  }
  setCover(open: boolean): void {
    this.#state = { ...this.#state, coverOpen: open };
  }
  /** An unrecoverable error (cutter jam, head overheat): offline with the error bit. */
  setError(on: boolean): void {
    this.#state = { ...this.#state, error: on };
  }
  /** Stop answering status requests, like a printer whose firmware has hung. */
  setMute(mute: boolean): void {
    this.#mute = mute;
  }
  get state(): Readonly<PrinterState> {
    return this.#state;
  }

  /**
   * Resolve with `jobs[index]`, waiting for it if it has not arrived. Take `index = jobs.length`
   * before printing; without it, this waits for the job after those already received.
   */
  async waitForJob(index = this.jobs.length, timeoutMs = 5000): Promise<PrintedJob> {
    const have = this.jobs[index];
    if (have) return have;
    await nextEvent(this, 'job', timeoutMs, () => this.jobs.length > index);
    return this.jobs[index]!;
  }

  /** Drop every open connection (a printer power-cycle, from the host's point of view). */
  dropConnections(): void {
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: net.Socket): void {
    this.#sockets.add(socket);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.emit('connection', { remote, open: true });
    const parser = new EscPosParser();
    let job = new JobRenderer();
    let finished = false;

    const finishJob = () => {
      if (!job.hasContent && job.errorCount === 0) return;
      const offline = this.#state.paper === 'out' || this.#state.coverOpen || this.#state.error;
      if (offline) job.addError(`printer offline (paper ${this.#state.paper}, cover ${this.#state.coverOpen ? 'open' : 'closed'}): a real printer would not print this job`);
      this.#emitJob(job);
      job = new JobRenderer();
    };
    const handle = (cmd: EscPosCommand) => {
      if (cmd.op === 'status_request') {
        if (!this.#mute && cmd.n !== 3) socket.write(Buffer.from([encodeStatusReply(cmd.n as StatusKind, this.#state)]));
        return;
      }
      if (cmd.op === 'paper_sensor_request') {
        if (!this.#mute) socket.write(Buffer.from([encodePaperSensorReply(this.#state)]));
        return;
      }
      job.apply(cmd);
      if (cmd.op === 'cut') finishJob();
    };
    const end = () => {
      if (finished) return;
      finished = true;
      this.#sockets.delete(socket);
      for (const cmd of parser.end()) handle(cmd);
      finishJob();
      this.emit('connection', { remote, open: false });
    };

    socket.on('data', (chunk) => {
      // The parser never throws by design; this guard keeps even a renderer bug from killing the server.
      try {
        for (const cmd of parser.push(chunk)) handle(cmd);
      } catch (e) {
        job.addError(`simulator fault: ${(e as Error).message}`, chunk);
      }
    });
    socket.on('error', () => end());
    socket.on('close', () => end());
  }

  #emitJob(rendered: JobRenderer): void {
    const r = rendered.finish();
    const id = this.#nextId++;
    const job: PrintedJob = { id, bytes: r.bytes, text: r.text, qrData: r.qrData, png: r.png, errors: r.errors, receivedAt: new Date() };
    if (this.#outDir) {
      try {
        mkdirSync(this.#outDir, { recursive: true });
        const path = join(this.#outDir, `${this.#prefix}${this.port}-job-${id}.png`);
        writeFileSync(path, r.png);
        job.pngPath = path;
      } catch (e) {
        this.emit('error', e as Error);
      }
    }
    this.jobs.push(job);
    this.emit('job', job);
  }
}

export async function startEscPosSimulator(options: EscPosSimulatorOptions = {}): Promise<EscPosSimulator> {
  return new EscPosSimulator(options).listen(options.port ?? 0);
}
