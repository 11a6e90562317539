// Owns the audit feature: this terminal's tamper-evident trail of operator and device actions. Other
// features call AuditTrail.record where an action happens (sign-in, a turnstile left without passage,
// a reprint, a device configuration); every contract call that changes something is recorded through the
// dispatcher's observer with the operator who made it (calls.ts). Entries are chained by hash in
// audit_log (store.ts) and pushed, in seq order, to the server (POST /v1/audit), which verifies the
// chain; they are sent again until the server acknowledges them, across restarts. The audit slice of
// the contract lets a manager read the recent entries and whether the chain verifies.
import type { z } from 'zod';
import { AUDIT_PUSH_MAX, AuditPushResponse, parseDetail, type AuditAction, type AuditDetail, type AuditEntry } from '../../../domain/audit';
import type { AuditCall, AuditChainState, AuditListEntry, CallName } from '../../contract';
import type { Meta } from '../db/meta';
import type { CallOutcome, CoreModule, Logger } from '../dispatcher';
import { newId } from '../ids';
import { AUDITED_CALLS } from './calls';
import type { AuditStore } from './store';

/** What the trail needs of sync: whether (and as which device) it can reach the server, and one POST. */
export interface AuditLink {
  readonly paired: boolean;
  readonly isOnline: boolean;
  readonly deviceId: string | null;
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>>;
}

/** What a feature records: the action, who did it (null: the terminal by itself), on what, and a
 *  small detail — never a PIN, a token, a ticket code or an ID number. */
export type AuditRecord = { action: AuditAction; operatorId?: string | null; subject?: string | null; detail?: AuditDetail };

/** The one thing other features hold of the audit trail. */
export interface AuditRecorder {
  record(e: AuditRecord): void;
}

export type AuditOptions = {
  /** The clock entries are dated with. Default: the system clock. */
  now?: () => Date;
  /** How often entries the server has not acknowledged are offered again. Default 2000 ms. */
  retryMs?: number;
};

/** Meta keys (the audit feature's): how far the server holds the chain, and the breaks it flagged. */
const PUSHED_KEY = 'audit_pushed';
const SERVER_BREAKS_KEY = 'audit_server_breaks';

/** A push stays well inside the server's body limit (MAX_BODY_BYTES), whatever the details hold. */
const PUSH_MAX_BYTES = 512 * 1024;

/** The longest head of `entries` whose JSON fits in `max` bytes (at least one entry). */
function withinBytes(entries: AuditEntry[], max: number): AuditEntry[] {
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(entries[i])) + 1;
    if (bytes > max && i > 0) return entries.slice(0, i);
  }
  return entries;
}

export class AuditTrail implements AuditRecorder {
  readonly #now: () => Date;
  readonly #retryMs: number;
  #timer: NodeJS.Timeout | null = null;
  #soon: NodeJS.Timeout | null = null;
  #pushing: Promise<void> | null = null;
  #stopped = true;

  constructor(
    private readonly store: AuditStore,
    private readonly meta: Meta,
    private readonly link: AuditLink,
    private readonly log: Logger,
    opts: AuditOptions = {},
  ) {
    this.#now = opts.now ?? (() => new Date());
    this.#retryMs = opts.retryMs ?? 2000;
  }

  /** Appends an entry to the chain (durably, before returning) and offers it to the server soon. */
  record(e: AuditRecord): AuditEntry {
    const entry = this.store.append({
      id: newId(),
      at: this.#now().toISOString(),
      deviceId: this.link.deviceId,
      operatorId: e.operatorId ?? null,
      action: e.action,
      subject: e.subject ?? null,
      detail: e.detail ?? {},
    });
    this.pushSoon();
    return entry;
  }

  /** Records a contract call as AUDITED_CALLS describes it (the dispatcher's observer). */
  observeCall(outcome: CallOutcome): void {
    const describe = AUDITED_CALLS[outcome.name] as ((input: unknown, output: unknown) => ReturnType<NonNullable<(typeof AUDITED_CALLS)[CallName]>>) | null;
    if (!describe) return;
    const d = describe(outcome.input, outcome.result.ok ? outcome.result.value : null);
    this.record({
      action: d.action,
      operatorId: outcome.session?.operatorId ?? null,
      subject: d.subject,
      detail: { ...d.detail, result: outcome.result.ok ? 'ok' : outcome.result.error.code },
    });
  }

  /** How far the server holds this device's chain (0 after pairing as another device: all is sent again). */
  pushedSeq(): number {
    const raw = this.meta.getMeta(PUSHED_KEY);
    if (!raw) return 0;
    try {
      const p = JSON.parse(raw) as { deviceId?: unknown; seq?: unknown };
      return p.deviceId === this.link.deviceId && typeof p.seq === 'number' ? p.seq : 0;
    } catch {
      return 0;
    }
  }

  /** Entries of this terminal's chain the server does not hold yet. */
  backlog(): number {
    return Math.max(0, this.store.headSeq() - this.pushedSeq());
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#timer = setInterval(() => {
      if (this.link.paired && this.link.isOnline && this.store.headSeq() > this.pushedSeq()) this.pushSoon();
    }, this.#retryMs);
    this.#timer.unref();
    this.pushSoon();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    this.#timer = null;
    this.#soon = null;
    await this.#pushing?.catch(() => undefined);
  }

  /** Pushes soon (once for many records made together); failures are retried by the timer. */
  pushSoon(): void {
    if (this.#stopped || this.#soon) return;
    this.#soon = setTimeout(() => {
      this.#soon = null;
      this.push().catch((e: unknown) => this.log.warn('audit entries not pushed yet', { error: e instanceof Error ? e.message : String(e) }));
    }, 0);
    this.#soon.unref();
  }

  /** Sends the entries the server does not hold yet, oldest first, until it holds them all. */
  push(): Promise<void> {
    if (this.#pushing) return this.#pushing;
    this.#pushing = (async () => {
      while (this.link.paired && this.link.isOnline) {
        const pushed = this.pushedSeq();
        const batch = withinBytes(this.store.after(pushed, AUDIT_PUSH_MAX), PUSH_MAX_BYTES);
        const last = batch.at(-1);
        if (!last) return;
        const res = await this.link.post('/v1/audit', { entries: batch }, AuditPushResponse);
        this.meta.setMeta(SERVER_BREAKS_KEY, String(res.breaks));
        const acked = Math.min(res.ackedSeq, last.seq);
        // The server took none of them (entries it cannot read at all): offered again by the timer.
        if (acked <= pushed) return;
        this.meta.setMeta(PUSHED_KEY, JSON.stringify({ deviceId: this.link.deviceId, seq: acked }));
      }
    })().finally(() => {
      this.#pushing = null;
    });
    return this.#pushing;
  }

  /** The newest entries and the state of the whole chain, as a manager reads them. */
  list(limit: number): { entries: AuditListEntry[]; chain: AuditChainState } {
    const check = this.store.check();
    const pushedSeq = this.pushedSeq();
    const names = this.store.operatorNames();
    const breaks = this.meta.getMeta(SERVER_BREAKS_KEY);
    const entries = this.store.recent(limit).map((e): AuditListEntry => {
      const result = parseDetail(e.detail)['result'];
      return {
        seq: e.seq,
        id: e.id,
        at: e.at,
        operatorId: e.operatorId,
        operatorName: e.operatorId ? (names.get(e.operatorId) ?? null) : null,
        action: e.action,
        subject: e.subject,
        result: typeof result === 'string' ? result : 'ok',
        verified: !check.broken.has(e.seq),
        pushed: e.seq <= pushedSeq,
      };
    });
    return {
      entries,
      chain: {
        verified: check.firstBreakSeq === null,
        length: check.length,
        firstBreakSeq: check.firstBreakSeq,
        pushedSeq,
        serverBreaks: breaks === null ? null : Number(breaks),
      },
    };
  }
}

export function auditModule(trail: AuditTrail): CoreModule<AuditCall> {
  return {
    name: 'audit',
    handlers: {
      'audit.list': ({ limit }) => trail.list(limit),
    },
    close: () => trail.stop(),
  };
}
