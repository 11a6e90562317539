// Owns a ZVT card terminal as a device of the terminal's configuration: its registry entry (settings,
// opening, description) and the running device — registered with the terminal on start, kept an eye on
// while idle (a connection test every checkMs; registration again once it answers after an outage), its
// state told as it changes (connecting, registered, busy while a command runs, fault with the cause),
// and the payment commands, each of which registers first when the terminal has not been.
import { z } from 'zod';
import { Socket } from 'node:net';
import { DriverError } from '../errors';
import { TypedEmitter } from '../events';
import { defineProtocol, type PaymentTerminalDriver, type PaymentTerminalState } from '../protocol';
import { ZvtSettings, ZvtTerminal, type ZvtResult } from './zvt-terminal';

/** A ZVT terminal's configuration: where it is, its ECR password, the currency it is registered in,
 *  its command deadlines, and how often it is checked while idle. */
export const zvtDeviceSettings = {
  ...ZvtSettings.shape,
  /** ISO 4217 code the terminal is registered in. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"')
    .default('EUR'),
  /** How often an idle terminal is checked (a connection test; registration when it was down). */
  checkMs: z.number().int().min(200).max(600_000).default(15_000),
};
export type ZvtDeviceSettings = z.output<z.ZodObject<typeof zvtDeviceSettings>>;

type Events = { state: [PaymentTerminalState, DriverError | null] };

const asDriverError = (e: unknown): DriverError =>
  e instanceof DriverError ? e : new DriverError('unreachable', e instanceof Error ? e.message : String(e));

export class ZvtDevice extends TypedEmitter<Events> implements PaymentTerminalDriver {
  readonly terminal: ZvtTerminal;
  readonly #currency: string;
  readonly #checkMs: number;
  #state: PaymentTerminalState = 'connecting';
  #cause: DriverError | null = null;
  #busy = 0;
  /** The terminal took this till's registration and has not failed since. */
  #registered = false;
  #timer: NodeJS.Timeout | null = null;
  #checking: Promise<void> | null = null;
  #closed = false;

  constructor(settings: Omit<ZvtDeviceSettings, 'currency' | 'checkMs'> & { currency?: string; checkMs?: number }) {
    super();
    this.terminal = new ZvtTerminal({ host: settings.host, port: settings.port, password: settings.password, ackMs: settings.ackMs, answerMs: settings.answerMs });
    this.#currency = settings.currency ?? 'EUR';
    this.#checkMs = settings.checkMs ?? 15_000;
  }

  get state(): PaymentTerminalState {
    return this.#state;
  }

  get cause(): DriverError | null {
    return this.#cause;
  }

  get currency(): string {
    return this.#currency;
  }

  describe(): string {
    return this.terminal.describe();
  }

  /** Register now, then keep checking. */
  start(): void {
    this.#check();
  }

  async authorize(amountMinor: number, currency: string): Promise<ZvtResult> {
    return this.#command(() => this.terminal.authorize(amountMinor, currency));
  }

  async reverse(receiptNumber: number): Promise<ZvtResult> {
    return this.#command(() => this.terminal.reverse(receiptNumber));
  }

  async refund(amountMinor: number): Promise<ZvtResult> {
    return this.#command(() => this.terminal.refund(amountMinor));
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#checking?.catch(() => undefined);
    this.removeAllListeners();
  }

  #set(state: PaymentTerminalState, cause: DriverError | null = null): void {
    if (this.#closed) return;
    if (this.#state === state && this.#cause?.code === cause?.code && this.#cause?.detail === cause?.detail) return;
    this.#state = state;
    this.#cause = cause;
    this.emit('state', state, cause);
  }

  /** One payment command: registration first when the terminal is not registered; busy meanwhile. */
  async #command<T>(run: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new DriverError('closed', 'the card terminal device is closed');
    // A check under way finishes first: one connection to the terminal at a time.
    await this.#checking?.catch(() => undefined);
    this.#busy++;
    this.#set('busy');
    try {
      if (this.#registered === false) await this.#register();
      const r = await run();
      this.#busy--;
      this.#set(this.#busy > 0 ? 'busy' : 'registered');
      return r;
    } catch (e) {
      this.#busy--;
      const err = asDriverError(e);
      // The card or the terminal refusing leaves it registered; a line that failed is a fault.
      if (err.code === 'declined' || err.code === 'refused') this.#set(this.#busy > 0 ? 'busy' : 'registered');
      else this.#fault(err);
      throw e;
    }
  }

  async #register(): Promise<void> {
    await this.terminal.register(this.#currency);
    this.#registered = true;
  }

  #fault(e: DriverError): void {
    this.#registered = false;
    this.#set('fault', e);
  }

  /** Checks the terminal unless a command is running, then schedules the next check. */
  #check(): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#busy === 0 && !this.#checking) {
      this.#checking = (async () => {
        try {
          if (this.#registered) await reachable(this.terminal.settings.host, this.terminal.settings.port, this.terminal.settings.ackMs);
          else await this.#register();
          if (this.#busy === 0) this.#set('registered');
        } catch (e) {
          this.#fault(asDriverError(e));
        }
      })().finally(() => {
        this.#checking = null;
      });
    }
    void (this.#checking ?? Promise.resolve()).then(() => {
      if (this.#closed) return;
      this.#timer = setTimeout(() => this.#check(), this.#checkMs);
      this.#timer.unref?.();
    });
  }
}

/** A connection test: the terminal accepts a connection within ms (and it is closed again at once). */
function reachable(host: string, port: number, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const done = (e: DriverError | null) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      if (e) reject(e);
      else resolve();
    };
    const timer = setTimeout(() => done(new DriverError('timeout', `no connection within ${ms} ms`)), ms);
    socket.once('error', (e) => done(new DriverError('unreachable', e.message)));
    socket.connect({ host, port }, () => done(null));
  });
}

export const zvtProtocol = defineProtocol({
  class: 'payment-terminal',
  settings: zvtDeviceSettings,
  open: (s) => {
    const d = new ZvtDevice(s);
    d.start();
    return d;
  },
  describe: (s) => `zvt tcp ${s.host}:${s.port}`,
});
