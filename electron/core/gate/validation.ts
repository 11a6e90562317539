// Owns turning a presented code into the facts the check-in rules decide on: which code format it is,
// whether its signature or rotating MAC holds, whether it is revoked, and what the cache knows of the
// ticket. A signed code whose ticket is not yet in the cache (sold after the last sync) still yields
// facts from its own payload, so it validates offline.
import {
  checkRotating,
  parseCode,
  publicKeyFromRaw,
  verifySignature,
  type ParsedCode,
} from '../../../domain/codes';
import type { Reason } from '../../../domain/enums';
import type { TicketFacts } from '../../../domain/rules';
import type { CacheReader, TicketRecord } from '../sync/cache';

/** Printable ASCII only: anything else is a misread (wrong keyboard layout, noise on the line). */
const CODE_PATTERN = /^[\x21-\x7e]{1,512}$/;
export const isWellFormedCode = (code: string): boolean => CODE_PATTERN.test(code);

export type Resolved =
  | { ok: false; reason: Reason; ticket: TicketRecord | null }
  | { ok: true; ticketId: string; facts: TicketFacts; ticket: TicketRecord | null; typeName: Record<string, string> | null; eventId: string };

const keyCache = new Map<string, ReturnType<typeof publicKeyFromRaw>>();
const keyObject = (raw: string) => {
  let k = keyCache.get(raw);
  if (!k) {
    k = publicKeyFromRaw(raw);
    keyCache.set(raw, k);
  }
  return k;
};

export const factsOf = (t: TicketRecord): TicketFacts => ({
  eventId: t.eventId,
  status: t.status,
  paid: t.paid,
  ticketTypeId: t.ticketTypeId,
  zones: t.zones,
  validFrom: t.validFrom,
  validTo: t.validTo,
});

export function resolveTicket(t: TicketRecord): Extract<Resolved, { ok: true }> {
  return { ok: true, ticketId: t.id, facts: factsOf(t), ticket: t, typeName: t.ticketTypeName, eventId: t.eventId };
}

export function resolveCode(cache: CacheReader, code: string, nowMs: number): Resolved {
  if (!isWellFormedCode(code)) return { ok: false, reason: 'malformed', ticket: null };
  const parsed: ParsedCode = parseCode(code);
  switch (parsed.kind) {
    case 'malformed':
      // It claims to be one of our signed formats but its bytes do not hold together: tampered or truncated.
      return { ok: false, reason: 'invalid_signature', ticket: null };
    case 'opaque': {
      const t = cache.ticketByCode(code);
      return t ? resolveTicket(t) : { ok: false, reason: 'unknown', ticket: null };
    }
    case 'rotating': {
      const t = cache.ticketById(parsed.ticketId);
      if (!t || !t.rotatingSecret) return { ok: false, reason: 'unknown', ticket: null };
      const period = cache.event(t.eventId)?.rotationPeriodS;
      if (!period) return { ok: false, reason: 'invalid_signature', ticket: t };
      const check = checkRotating(parsed, Buffer.from(t.rotatingSecret, 'base64'), nowMs, period);
      if (check === 'bad_mac') return { ok: false, reason: 'invalid_signature', ticket: t };
      // A step outside the window is a screenshot or a replay of an old code.
      if (check === 'stale') return { ok: false, reason: 'expired', ticket: t };
      return resolveTicket(t);
    }
    case 'signed': {
      const p = parsed.payload;
      const key = cache.publicKey(p.eventNo, p.keyId);
      if (!key || key.retired === 1 || !verifySignature(parsed, keyObject(key.publicKey))) {
        return { ok: false, reason: 'invalid_signature', ticket: null };
      }
      const cached = cache.ticketById(p.ticketId);
      if (cache.revokedAt(p.ticketId)) return { ok: false, reason: 'revoked', ticket: cached ?? null };
      const window = { validFrom: new Date(p.validFrom * 1000).toISOString(), validTo: new Date(p.validTo * 1000).toISOString() };
      if (cached) return { ...resolveTicket(cached), facts: { ...factsOf(cached), ...window } };
      const type = cache.typeByNo(key.eventId, p.typeNo);
      if (!type) return { ok: false, reason: 'unknown', ticket: null };
      // Sold after this terminal's last sync: the signature vouches for it.
      return {
        ok: true,
        ticketId: p.ticketId,
        facts: { eventId: key.eventId, status: 'valid', paid: true, ticketTypeId: type.id, zones: type.zones, ...window },
        ticket: null,
        typeName: type.name,
        eventId: key.eventId,
      };
    }
  }
}
