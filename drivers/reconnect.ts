// Owns reconnect-with-backoff, the one state machine every device link that can vanish runs (a serial
// adapter pulled, a HID or USB device unplugged, a port that never opened): open → connected → lost →
// disconnected → retry after a delay that doubles from initialDelayMs up to maxDelayMs → open … . It
// announces 'connecting' once per outage (failing retries stay 'disconnected' quietly), reports the
// first failure of an outage rather than a flood, can be nudged to try at once (a hot-plug event), and
// closes cleanly in any state — a link that finishes opening after close() is closed again. What a
// link is (SerialPort, HidTransport, BulkTransport) and how it is wired up is the owner's business.
import { DriverError, type ConnectionStatus } from './errors';
import { TypedEmitter } from './events';

export interface ReconnectOptions {
  /** First retry delay; doubles per failed attempt up to maxDelayMs. Default 100. */
  initialDelayMs?: number;
  /** Default 5000. */
  maxDelayMs?: number;
}

interface ReconnectorOptions extends ReconnectOptions {
  /** false: one link only (a transport handed in ready-made); once it is gone, it stays gone. */
  retry?: boolean;
}

export interface LinkHooks<L> {
  /** What the link is called in error details ("/dev/ttyUSB0", "HID relay"). */
  readonly name: string;
  /** Open the link. May throw or reject: that attempt failed, the next one comes after the backoff. */
  open(): Promise<L>;
  /**
   * Wire up a freshly opened link and make it ready (a mode switch, restoring relay states). Call
   * `lost` whenever the link goes away afterwards — even while attach is still running. A throw or
   * rejection counts as a failed attempt (the link is disposed of).
   */
  attach(link: L, lost: () => void): void | Promise<void>;
  /** Close a link (close(), or one that finished opening after close()). Failures are ignored. */
  dispose(link: L): Promise<void>;
}

type ReconnectorEvents = {
  status: [ConnectionStatus];
  /** The first failed attempt of an outage (its code is the open error's, else `io`). */
  error: [DriverError];
};

export class Reconnector<L> extends TypedEmitter<ReconnectorEvents> {
  readonly #hooks: LinkHooks<L>;
  readonly #initialDelay: number;
  readonly #maxDelay: number;
  readonly #retry: boolean;
  #link: L | null = null;
  #status: ConnectionStatus = 'disconnected';
  #delay: number;
  #timer: NodeJS.Timeout | null = null;
  #attempting = false;
  #started = false;
  #closed = false;
  #failures = 0;

  constructor(hooks: LinkHooks<L>, options: ReconnectorOptions = {}) {
    super();
    this.#hooks = hooks;
    this.#retry = options.retry ?? true;
    this.#initialDelay = options.initialDelayMs ?? 100;
    this.#maxDelay = options.maxDelayMs ?? 5000;
    this.#delay = this.#initialDelay;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The open link, or null while there is none. */
  get link(): L | null {
    return this.#link;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Start connecting. Deferred a tick, so listeners attached right after see 'connecting'. */
  start(): this {
    if (this.#started) return this;
    this.#started = true;
    queueMicrotask(() => void this.#attempt());
    return this;
  }

  /** Try again now, with the backoff reset (a matching device was just plugged in). */
  nudge(): void {
    if (!this.#started || !this.#retry || this.#closed || this.#link || this.#attempting) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#delay = this.#initialDelay;
    void this.#attempt();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const link = this.#link;
    this.#link = null;
    if (link) await this.#hooks.dispose(link).catch(() => undefined);
    this.#setStatus('disconnected');
  }

  #setStatus(s: ConnectionStatus): void {
    if (s === this.#status) return;
    this.#status = s;
    this.emit('status', s);
  }

  async #attempt(): Promise<void> {
    this.#timer = null;
    if (this.#closed || this.#link || this.#attempting) return;
    this.#attempting = true;
    try {
      if (this.#failures === 0) this.#setStatus('connecting');
      let link: L;
      try {
        link = await this.#hooks.open();
      } catch (e) {
        this.#failed(e);
        return;
      }
      if (this.#closed) {
        await this.#hooks.dispose(link).catch(() => undefined);
        return;
      }
      this.#link = link;
      let gone = false;
      const lost = () => {
        if (gone) return;
        gone = true;
        if (this.#link !== link) return;
        this.#link = null;
        if (this.#closed) return;
        this.#setStatus('disconnected');
        this.#schedule();
      };
      try {
        await this.#hooks.attach(link, lost);
      } catch (e) {
        if (this.#link === link) this.#link = null;
        gone = true;
        await this.#hooks.dispose(link).catch(() => undefined);
        this.#failed(e);
        return;
      }
      if (gone || this.#closed || this.#link !== link) return;
      this.#failures = 0;
      this.#delay = this.#initialDelay;
      this.#setStatus('connected');
    } finally {
      this.#attempting = false;
    }
  }

  #failed(e: unknown): void {
    if (this.#closed) return;
    this.#failures++;
    if (this.#failures === 1) {
      const code = e instanceof DriverError ? e.code : 'io';
      const detail = e instanceof DriverError ? e.detail : e instanceof Error ? e.message : String(e);
      this.emit('error', new DriverError(code, `cannot open ${this.#hooks.name}: ${detail}; retrying`, { cause: e }));
    }
    this.#setStatus('disconnected');
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#timer || !this.#retry) return;
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * 2, this.#maxDelay);
    this.#timer = setTimeout(() => void this.#attempt(), delay);
  }
}
