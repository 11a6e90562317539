// Owns a simulated ESC/POS printer for tests and demos: it answers DLE EOT / GS r status from a
// settable state, splits the stream into jobs at each cut (or when the line closes), and renders every
// job to a PNG of an 80 mm roll. Bad bytes become job errors. Reachable over raw TCP (like port 9100),
// a serial PTY (attachSerial) or a simulated USB printer-class device (createUsbDevice).
import { EscPosParser, type EscPosCommand } from './escpos-parser';
import { JobRenderer, type RenderError } from './escpos-render';
import { encodePaperSensorReply, encodeStatusReply, type PrinterState, type StatusKind } from './escpos';
import { PrinterSimulator, type DeviceSession } from './printer-simulator';

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

export class EscPosSimulator extends PrinterSimulator<PrintedJob> {
  #state: PrinterState = { paper: 'ok', coverOpen: false, error: false };
  #mute = false;

  constructor(options: EscPosSimulatorOptions = {}) {
    super(options, 'escpos-');
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

  protected createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
    const parser = new EscPosParser();
    let job = new JobRenderer();

    const finishJob = () => {
      if (!job.hasContent && job.errorCount === 0) return;
      const offline = this.#state.paper === 'out' || this.#state.coverOpen || this.#state.error;
      if (offline) job.addError(`printer offline (paper ${this.#state.paper}, cover ${this.#state.coverOpen ? 'open' : 'closed'}): a real printer would not print this job`);
      const r = job.finish();
      this.recordJob({ bytes: r.bytes, text: r.text, qrData: r.qrData, png: r.png, errors: r.errors });
      job = new JobRenderer();
    };
    const handle = (cmd: EscPosCommand) => {
      if (cmd.op === 'status_request') {
        if (!this.#mute && cmd.n !== 3) reply(Buffer.from([encodeStatusReply(cmd.n as StatusKind, this.#state)]));
        return;
      }
      if (cmd.op === 'paper_sensor_request') {
        if (!this.#mute) reply(Buffer.from([encodePaperSensorReply(this.#state)]));
        return;
      }
      job.apply(cmd);
      if (cmd.op === 'cut') finishJob();
    };
    return {
      push: (chunk) => {
        // The parser never throws by design; this guard keeps even a renderer bug from killing the line.
        try {
          for (const cmd of parser.push(chunk)) handle(cmd);
        } catch (e) {
          job.addError(`simulator fault: ${(e as Error).message}`, chunk);
        }
      },
      end: () => {
        for (const cmd of parser.end()) handle(cmd);
        finishJob();
      },
    };
  }
}

export async function startEscPosSimulator(options: EscPosSimulatorOptions = {}): Promise<EscPosSimulator> {
  return new EscPosSimulator(options).listen(options.port ?? 0);
}

/** The same simulated printer on the device end of a serial line (e.g. a socat PTY's devicePath). */
export async function startSerialEscPosSimulator(
  path: string,
  options: Omit<EscPosSimulatorOptions, 'port'> & { baudRate?: number } = {},
): Promise<EscPosSimulator> {
  return new EscPosSimulator(options).attachSerial(path, options.baudRate);
}
