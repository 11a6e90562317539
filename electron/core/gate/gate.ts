// Owns a scan at a gate: resolve the code offline, decide with the point's rules in about a
// millisecond, claim tickets whose history matters at the server within the budget when online (the
// intent to claim on disk first), record scan + check-in + outbox in one transaction that closes the
// intent, then open the turnstile. Also the operator's other ways in (search, ID card), annulment when
// no passage followed, and after a restart the release of claims that were never acted on.
import { AdmitError, type Verdict } from '../../contract';
import type { CheckInPointRow } from '../../../domain/wire';
import { ANNUL_WINDOW_MS, type AnnulReason } from '../../../domain/outbox';
import { decide, DEFAULT_POINT, needsClaim, type Decision, type PointRules } from '../../../domain/rules';
import { idNumberHash, MIN_SALT_BYTES } from '../../../domain/hashing';
import type { Meta } from '../db/meta';
import { ASSIGNED_POINT_KEY, CHOSEN_POINT_KEY } from '../sync/assignment';
import type { CacheReader, TicketRecord } from '../sync/cache';
import type { SyncClient } from '../sync/client';
import type { CheckinStore, ScanRecord } from './checkins';
import { resolveCode, resolveTicket, type Resolved } from './validation';

/** Where a scan came from: the device and its lane (null: the terminal's default lane). */
export type ScanSource = { deviceId: string; lane: string | null };

export type GateHooks = {
  /**
   * Opens the turnstile of the scan's lane (no source: an admission at the screen, the default
   * lane); failures are reported by the device supervisor, never fail the verdict.
   */
  open(checkinId: string, source: ScanSource | null): void;
  verdict(v: Verdict): void;
  /** A claim for this scan is out at the server: the screen shows "checking…" until its verdict. */
  checking(e: { scanId: string; at: string }): void;
};

/** How long after an admission a check-in may still be annulled; declared in domain, the server holds it too. */
export { ANNUL_WINDOW_MS };

export type TicketMatch = {
  ticketId: string;
  code: string;
  attendeeName: string | null;
  orderCode: string | null;
  ticketTypeName: Record<string, string> | null;
  status: TicketRecord['status'];
};

/** What the gate needs of sync: claims, pushes, the link's state, this terminal's device id, and the
 *  server's time (check-in times, validity windows and ids are on it). */
export type GateSync = Pick<SyncClient, 'claim' | 'push' | 'isOnline' | 'deviceId' | 'clock' | 'newId'>;

export class Gate {
  constructor(
    private readonly cache: CacheReader,
    private readonly checkins: CheckinStore,
    private readonly meta: Meta,
    private readonly sync: GateSync,
    private readonly hooks: GateHooks,
  ) {}

  /** Whether this terminal, with this operator signed in, may serve the point (the organizer's point
   *  staff; empty lists: anyone). A scan from a device with no one signed in (null) is judged by the
   *  terminal alone: the point was chosen by an operator who may serve it. */
  mayServe(point: CheckInPointRow, operatorId: string | null): boolean {
    const deviceId = this.sync.deviceId;
    if (point.deviceIds.length > 0 && (deviceId === null || !point.deviceIds.includes(deviceId))) return false;
    return operatorId === null || point.operatorIds.length === 0 || point.operatorIds.includes(operatorId);
  }

  /** The points this terminal and operator may serve. */
  points(operatorId: string | null): CheckInPointRow[] {
    return this.cache.points().filter((p) => this.mayServe(p, operatorId));
  }

  /** The point this terminal serves: the one chosen here, else the one the organizer assigned, else the
   *  event's first entry point, else a single-entry default — each only if this terminal and operator
   *  may serve it. `closed`: there are points, but none this terminal and operator may serve. */
  currentPoint(operatorId: string | null = null): { row: CheckInPointRow | null; rules: PointRules; closed: boolean } {
    const allowed = (id: string | null) => {
      const p = id ? this.cache.point(id) : undefined;
      return p && this.mayServe(p, operatorId) ? p : undefined;
    };
    const open = this.points(operatorId);
    const row =
      allowed(this.meta.getMeta(CHOSEN_POINT_KEY)) ??
      allowed(this.meta.getMeta(ASSIGNED_POINT_KEY)) ??
      open.find((p) => p.direction === 'entry') ??
      null;
    const eventId = row ? row.eventId : this.cache.anyEventId();
    const timezone = (eventId ? this.cache.event(eventId)?.timezone : undefined) ?? 'UTC';
    if (!row) return { row: null, rules: { ...DEFAULT_POINT, timezone }, closed: open.length === 0 && this.cache.points().length > 0 };
    return { row, rules: { ...row, timezone }, closed: false };
  }

  setPoint(pointId: string, operatorId: string | null = null): CheckInPointRow {
    const row = this.cache.point(pointId);
    if (!row) throw new AdmitError('invalid_input', 'unknown point');
    if (!this.mayServe(row, operatorId)) throw new AdmitError('point_not_allowed');
    this.meta.setMeta(CHOSEN_POINT_KEY, pointId);
    return row;
  }

  /** `now`: when the scan was read (a device's scan carries its driver's timestamp). */
  scan(rawCode: string, operatorId: string | null, now = this.sync.clock.now(), source: ScanSource | null = null): Promise<Verdict> {
    const code = rawCode.trim();
    return this.check(code, resolveCode(this.cache, code, now.getTime()), operatorId, now, source);
  }

  /** The operator found the ticket by search and admits it. `open: false`: no turnstile goes with it
   *  (the badge desk checks in as it prints). */
  admitTicket(ticketId: string, operatorId: string | null, now = this.sync.clock.now(), options: { open?: boolean } = {}): Promise<Verdict> {
    const t = this.cache.ticketById(ticketId);
    const resolved: Resolved = t ? resolveTicket(t) : { ok: false, reason: 'unknown', ticket: null };
    return this.check(t?.code ?? ticketId, resolved, operatorId, now, null, options.open ?? true);
  }

  /** An ID card was read: admit the one ticket it holds, or say it is ambiguous. */
  async scanIdCard(idNumber: string, operatorId: string | null, now = this.sync.clock.now(), source: ScanSource | null = null): Promise<Verdict> {
    const matches = await this.searchIdNumber(idNumber);
    // The scan history names the kind of read, never the number (only its salted hash is kept).
    const shown = 'ID-CARD';
    if (matches.length === 1) return this.check(shown, resolveTicket(matches[0]!), operatorId, now, source);
    return this.check(shown, { ok: false, reason: matches.length === 0 ? 'unknown' : 'ambiguous', ticket: null }, operatorId, now, source);
  }

  /** The tickets an ID number's hash finds: one slow hash per event (domain/hashing.ts), computed off the
   *  event loop, so scans at other lanes go on meanwhile. */
  ticketsByIdNumber(idNumber: string): Promise<TicketRecord[]> {
    return this.searchIdNumber(idNumber);
  }

  private async searchIdNumber(idNumber: string): Promise<TicketRecord[]> {
    const salts = this.cache.idSalts();
    // Events without a proper salt cannot be searched by ID card (the hash would be guessable).
    const idHashes = await Promise.all(salts.filter((s) => Buffer.byteLength(s, 'utf8') >= MIN_SALT_BYTES).map((s) => idNumberHash(idNumber, s)));
    return this.cache.search({ idHashes });
  }

  async search(query: string): Promise<TicketMatch[]> {
    const q = query.trim();
    if (q.length < 2) return [];
    const found = /^\d{4}$/.test(q)
      ? this.cache.search({ phoneLast4: q, orderCode: q })
      : /^[0-9Xx]{15,18}$/.test(q)
        ? await this.searchIdNumber(q)
        : this.cache.search({ orderCode: q.toUpperCase(), name: q });
    return found.map((t) => ({
      ticketId: t.id,
      code: t.code,
      attendeeName: t.attendeeName,
      orderCode: t.orderCode,
      ticketTypeName: t.ticketTypeName,
      status: t.status,
    }));
  }

  private async check(code: string, resolved: Resolved, operatorId: string | null, now: Date, source: ScanSource | null = null, open = true): Promise<Verdict> {
    const at = now.toISOString();
    const scanId = this.sync.newId();
    const { row: point, rules, closed } = this.currentPoint(operatorId);
    if (closed) throw new AdmitError('point_not_allowed');
    let decision: Decision;
    let confirmation: Verdict['confirmation'] = 'local';
    const checkinId = this.sync.newId();
    let intentId: string | undefined;
    if (!resolved.ok) decision = { reason: resolved.reason, admitted: false, firstUsedAt: null };
    else {
      // A point that redeems an entitlement decides on the ticket's active ones (replicated with the cache).
      const facts = rules.entitlement ? { ...resolved.facts, entitlements: this.cache.entitlements(resolved.ticketId) } : resolved.facts;
      decision = decide(facts, rules, this.checkins.history(resolved.ticketId), now);
      // Online, every admission is claimed within the budget: for single-use points so that two gates
      // cannot both admit; for exits and unlimited points so the server's history (which later claims
      // are judged on) is never behind this gate's.
      if (decision.admitted && (needsClaim(rules) || this.sync.isOnline)) {
        // Offline, a claim sends nothing, so there is nothing the server could hold.
        if (this.sync.isOnline) {
          this.checkins.openIntent({ checkinId, ticketId: resolved.ticketId, at, pointId: point?.id ?? null, lane: source?.lane ?? null, direction: rules.direction });
          intentId = checkinId;
          this.hooks.checking({ scanId, at });
        }
        const claim = await this.sync.claim(checkinId, resolved.ticketId, at, point?.id ?? null, rules.direction).catch((e: unknown) => {
          this.releaseIntent(intentId);
          throw e;
        });
        if (claim.outcome === 'accepted' || claim.outcome === 'duplicate') confirmation = 'confirmed';
        else if (claim.outcome === 'conflict') {
          // The server knows more (another gate's entry, a revocation): its reason stands.
          const reason = claim.reason && claim.reason !== 'ok' ? claim.reason : 'already_used';
          decision = { reason, admitted: false, firstUsedAt: claim.firstAt };
          confirmation = 'confirmed';
        }
      }
    }
    const ticketId = resolved.ok ? resolved.ticketId : (resolved.ticket?.id ?? null);
    const ticket = resolved.ok ? resolved.ticket : resolved.ticket;
    const verdict: Verdict = {
      scanId,
      code: code.slice(0, 512),
      at,
      admitted: decision.admitted,
      reason: decision.reason,
      confirmation,
      ticketId,
      ticketTypeName: resolved.ok ? resolved.typeName : (ticket?.ticketTypeName ?? null),
      attendeeName: ticket?.attendeeName ?? null,
      firstUsedAt: decision.firstUsedAt,
      checkinId: decision.admitted ? checkinId : null,
      pointId: point?.id ?? null,
      direction: rules.direction,
      ...(source ? { deviceId: source.deviceId, lane: source.lane } : {}),
    };
    const scan: ScanRecord = {
      ...(intentId !== undefined ? { intentId } : {}),
      id: scanId,
      code: verdict.code,
      ticketId,
      reason: verdict.reason,
      admitted: verdict.admitted,
      confirmation,
      operatorId,
      at,
      pointId: point?.id ?? null,
      ...(verdict.admitted && ticketId
        ? {
            checkin: {
              id: checkinId,
              ticketId,
              deviceId: this.sync.deviceId,
              state: confirmation === 'confirmed' ? ('accepted' as const) : ('local' as const),
              direction: rules.direction,
            },
          }
        : {}),
    };
    try {
      this.checkins.recordScan(scan);
    } catch (e) {
      this.releaseIntent(intentId);
      throw e;
    }
    // The intent closed with the verdict's commit; the turnstile opens in the same synchronous run, with
    // no await between them.
    if (verdict.admitted && open) this.hooks.open(checkinId, source);
    this.hooks.verdict(verdict);
    if (this.sync.isOnline) this.sync.push().catch(() => undefined);
    return verdict;
  }

  /**
   * Releases every claim that went out and was never acted on (the terminal stopped between claiming
   * and recording the verdict): each becomes an annulment with reason not_acted, pushed like any other,
   * so the ticket admits its holder again without an operator. Run at start-up, before sync starts.
   */
  reconcile(now = this.sync.clock.now()): number {
    const open = this.checkins.openIntents();
    for (const intent of open) this.checkins.releaseIntent(intent, this.sync.deviceId, this.sync.newId(), now.toISOString());
    return open.length;
  }

  private releaseIntent(checkinId: string | undefined): void {
    if (checkinId === undefined) return;
    const intent = this.checkins.intentOf(checkinId);
    if (intent) this.checkins.releaseIntent(intent, this.sync.deviceId, this.sync.newId(), this.sync.clock.now().toISOString());
  }

  /** Annuls one of this terminal's own check-ins within the window (the turnstile saw no passage,
   *  or the operator cancels it). */
  annul(checkinId: string, reason: AnnulReason, now = this.sync.clock.now()): { checkinId: string; annulled: true } {
    const c = this.checkins.checkinById(checkinId);
    if (!c || c.own !== 1) throw new AdmitError('invalid_input', 'not a check-in of this terminal');
    if (c.state === 'annulled') return { checkinId, annulled: true };
    if (c.state === 'conflict' || now.getTime() - Date.parse(c.at) > ANNUL_WINDOW_MS) throw new AdmitError('annul_window_passed');
    this.checkins.annul(checkinId, this.sync.newId(), now.toISOString(), reason);
    if (this.sync.isOnline) this.sync.push().catch(() => undefined);
    return { checkinId, annulled: true };
  }

  recent(limit: number): Verdict[] {
    return this.checkins.recent(limit).map((r) => {
      const ticket = r.ticketId ? this.cache.ticketById(r.ticketId) : undefined;
      return {
        scanId: r.id,
        code: r.code,
        ticketId: r.ticketId,
        reason: r.reason,
        admitted: r.admitted === 1,
        confirmation: r.confirmation,
        at: r.at,
        ticketTypeName: ticket?.ticketTypeName ?? null,
        attendeeName: ticket?.attendeeName ?? null,
        firstUsedAt: null,
        checkinId: r.checkinId,
        pointId: r.pointId,
        direction: r.direction ?? 'entry',
      };
    });
  }
}
