// Owns a scan at a gate: validate locally in about a millisecond, claim single-use tickets at the server
// within the budget when online, record scan + check-in + outbox in one transaction, then open the gate.
import { AdmitError, type Verdict } from '../../contract';
import { newId } from '../ids';
import type { Store } from '../store';
import type { SyncClient } from '../sync/client';
import { decide, isWellFormedCode } from '../validation';

export type GateHooks = {
  /** Opens the turnstile; failures are reported by the device supervisor, never fail the verdict. */
  open(): void;
  verdict(v: Verdict): void;
};

export class Gate {
  constructor(
    private readonly store: Store,
    private readonly sync: SyncClient,
    private readonly hooks: GateHooks,
  ) {}

  async scan(rawCode: string, operatorId: string | null): Promise<Verdict> {
    const code = rawCode.trim();
    const at = new Date().toISOString();
    const scanId = newId();
    const base = {
      scanId,
      code: code.slice(0, 512),
      at,
      ticketId: null,
      ticketTypeName: null,
      attendeeName: null,
      firstUsedAt: null,
    };
    if (!isWellFormedCode(code)) {
      const v: Verdict = { ...base, admitted: false, reason: 'malformed', confirmation: 'local' };
      this.store.recordScan({ id: scanId, code: v.code, ticketId: null, reason: v.reason, admitted: false, confirmation: 'local', operatorId, at });
      this.hooks.verdict(v);
      return v;
    }
    const ticket = this.store.ticketByCode(code);
    let decision = decide(ticket, ticket ? this.store.history(ticket.id) : []);
    let confirmation: Verdict['confirmation'] = 'local';
    const checkinId = newId();
    if (decision.admitted && ticket) {
      const claim = await this.sync.claim(checkinId, ticket.id, at).catch((e: unknown) => {
        // The server refused the request itself (not the ticket): decide locally, upload later.
        if (e instanceof AdmitError) throw e;
        return { outcome: 'offline' as const, firstAt: null };
      });
      if (claim.outcome === 'accepted' || claim.outcome === 'duplicate') confirmation = 'confirmed';
      else if (claim.outcome === 'conflict') {
        decision = { reason: 'already_used', admitted: false, firstUsedAt: claim.firstAt };
        confirmation = 'confirmed';
      }
    }
    const verdict: Verdict = {
      ...base,
      admitted: decision.admitted,
      reason: decision.reason,
      confirmation,
      ticketId: ticket?.id ?? null,
      ticketTypeName: ticket?.ticketTypeName ?? null,
      attendeeName: ticket?.attendeeName ?? null,
      firstUsedAt: decision.firstUsedAt,
    };
    this.store.recordScan({
      id: scanId,
      code,
      ticketId: verdict.ticketId,
      reason: verdict.reason,
      admitted: verdict.admitted,
      confirmation,
      operatorId,
      at,
      ...(verdict.admitted && ticket
        ? {
            checkin: {
              id: checkinId,
              ticketId: ticket.id,
              deviceId: this.sync.deviceId,
              state: confirmation === 'confirmed' ? ('accepted' as const) : ('local' as const),
            },
          }
        : {}),
    });
    if (verdict.admitted) this.hooks.open();
    this.hooks.verdict(verdict);
    if (verdict.admitted && confirmation === 'local' && this.sync.isOnline) this.sync.push().catch(() => undefined);
    return verdict;
  }

  recent(limit: number): Verdict[] {
    const rows = this.store.raw
      .prepare(
        `select s.id, s.code, s.ticket_id as ticketId, s.reason, s.admitted, s.confirmation, s.at,
                tt.name as typeName, t.attendee_name as attendeeName
         from scans s left join tickets t on t.id = s.ticket_id left join ticket_types tt on tt.id = t.ticket_type_id
         order by s.at desc, s.id desc limit ?`,
      )
      .all(limit) as {
      id: string;
      code: string;
      ticketId: string | null;
      reason: Verdict['reason'];
      admitted: number;
      confirmation: Verdict['confirmation'];
      at: string;
      typeName: string | null;
      attendeeName: string | null;
    }[];
    return rows.map((r) => ({
      scanId: r.id,
      code: r.code,
      ticketId: r.ticketId,
      reason: r.reason,
      admitted: r.admitted === 1,
      confirmation: r.confirmation,
      at: r.at,
      ticketTypeName: r.typeName ? (JSON.parse(r.typeName) as Record<string, string>) : null,
      attendeeName: r.attendeeName,
      firstUsedAt: null,
    }));
  }
}
