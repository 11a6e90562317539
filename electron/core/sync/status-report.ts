// Owns this terminal's status report to the server (POST /v1/status): its modes, the point its gate
// serves, its backlogs (outbox records and audit entries the server does not hold yet), its version and
// its devices (kind, driver, state — never a read value, never personal data). Sent on every connection,
// whenever what it says changes, and at least every STATUS_REPORT_EVERY_MS while online, so the
// organizer's list of terminals shows each one as it is. A report that fails is sent again on the next
// check; nothing waits on it.
import { MAX_STATUS_DEVICES, STATUS_REPORT_EVERY_MS, StatusReportResponse, type TerminalStatusReport } from '../../../domain/wire';
import type { SyncClient } from './client';

export type StatusLink = Pick<SyncClient, 'post' | 'isOnline' | 'paired' | 'on' | 'off'>;

export type StatusReporterOptions = {
  /** The longest between two reports while online (default STATUS_REPORT_EVERY_MS). */
  everyMs?: number;
  /** How often the status is read to see whether it changed (default 1000). */
  checkMs?: number;
};

const SHORT = /[^A-Za-z0-9_.-]/g;
/** A code-like value as the wire takes it (letters, digits, _ . -; at most 40). */
export const shortCode = (text: string): string => text.replace(SHORT, '_').slice(0, 40) || '_';

/** Bounds a collected report to what the server accepts, so one odd device name never loses the report. */
export function boundedReport(r: TerminalStatusReport): TerminalStatusReport {
  return {
    version: r.version.slice(0, 64),
    modes: r.modes.slice(0, 10).map(shortCode),
    pointId: r.pointId,
    outbox: Math.min(r.outbox, 100_000_000),
    audit: Math.min(r.audit, 100_000_000),
    devices: r.devices.slice(0, MAX_STATUS_DEVICES).map((d) => ({
      id: d.id.slice(0, 64) || '_',
      kind: shortCode(d.kind),
      model: shortCode(d.model),
      name: d.name.slice(0, 80),
      state: shortCode(d.state),
      reason: d.reason === null ? null : shortCode(d.reason),
    })),
  };
}

export class StatusReporter {
  readonly #link: StatusLink;
  readonly #collect: () => TerminalStatusReport;
  readonly #everyMs: number;
  readonly #checkMs: number;
  #timer: NodeJS.Timeout | null = null;
  #lastSent: string | null = null;
  #lastSentAt = 0;
  #sending: Promise<void> | null = null;
  #wasOnline = false;
  readonly #onStatus = (s: { online: boolean }) => {
    // A new connection: the server hears from this terminal at once.
    if (s.online && !this.#wasOnline) this.#lastSent = null;
    this.#wasOnline = s.online;
    if (s.online) this.check();
  };

  constructor(link: StatusLink, collect: () => TerminalStatusReport, opts: StatusReporterOptions = {}) {
    this.#link = link;
    this.#collect = collect;
    this.#everyMs = opts.everyMs ?? STATUS_REPORT_EVERY_MS;
    this.#checkMs = opts.checkMs ?? 1000;
  }

  start(): void {
    if (this.#timer) return;
    this.#link.on('status', this.#onStatus);
    this.#timer = setInterval(() => this.check(), this.#checkMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#link.off('status', this.#onStatus);
    await this.#sending;
  }

  /** Sends the report when it changed or is due; at most one request at a time. */
  check(): void {
    if (this.#sending || !this.#link.paired || !this.#link.isOnline) return;
    const report = boundedReport(this.#collect());
    const text = JSON.stringify(report);
    if (text === this.#lastSent && Date.now() - this.#lastSentAt < this.#everyMs) return;
    this.#sending = this.#link
      .post('/v1/status', report, StatusReportResponse)
      .then(
        () => {
          this.#lastSent = text;
          this.#lastSentAt = Date.now();
        },
        () => undefined,
      )
      .finally(() => {
        this.#sending = null;
      });
  }
}
