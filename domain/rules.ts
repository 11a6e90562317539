// Owns the check-in decision, shared by terminals (offline, in about a millisecond) and the server
// (when it claims a ticket or applies an offline check-in): a pure function of the ticket's state,
// the check-in point's rules and the ticket's history, returning exactly one reason code.
import type { Direction, LocalCheckinState, Reason, ReentryPolicy, TicketStatus } from './enums';
import { wallAt, zonedDay } from './zoned-time';

export type PointRules = {
  id: string;
  /** The event the point belongs to; a ticket of another event is the wrong type here. Null: any. */
  eventId?: string | null;
  /** Empty: every ticket type of the event. */
  ticketTypeIds: readonly string[];
  zone: string | null;
  direction: Direction;
  reentry: ReentryPolicy;
  /** Empty: always open. ISO instants. */
  windows: readonly { from: string; to: string }[];
  /** Local "HH:MM" in the event's time zone at which everyone inside counts as having left. */
  autoCheckoutAt: string | null;
  timezone: string;
  /** A point that redeems an entitlement of this kind (e.g. 'meal'): only a ticket holding one valid now
   *  is admitted (else no_entitlement), as often as `reentry` lets (once_per_day for meals). Null or
   *  absent: an ordinary point. */
  entitlement?: string | null;
};

export type TicketFacts = {
  eventId?: string;
  status: TicketStatus;
  paid: boolean;
  ticketTypeId: string;
  /** Zones the ticket type admits to; empty: all zones. */
  zones: readonly string[];
  validFrom: string | null;
  validTo: string | null;
  /** The ticket's active entitlements (domain/kiosk-wire.ts EntitlementRow), for points that redeem them.
   *  Absent: none. */
  entitlements?: readonly { kind: string; from: string | null; to: string | null }[];
};

export type PastCheckin = {
  at: string;
  direction: Direction;
  /** conflict and annulled rows are kept for reports but are not uses. */
  state: LocalCheckinState;
  /** Zone of the point where it happened (null: the main area, e.g. no point or a point without zone).
   *  When given, only check-ins in the deciding point's zone count as its history, so entering the
   *  festival does not count as having entered the VIP lounge. Omitted: counts for every zone. */
  zone?: string | null;
};

export type Decision = { reason: Reason; admitted: boolean; firstUsedAt: string | null };

/** A point with no rules beyond "one entry per ticket" — what a terminal without configured points uses. */
export const DEFAULT_POINT: PointRules = {
  id: 'default',
  ticketTypeIds: [],
  zone: null,
  direction: 'entry',
  reentry: 'single',
  windows: [],
  autoCheckoutAt: null,
  timezone: 'UTC',
};

/** Does this point need the server's claim before admitting? Only where history decides. */
export const needsClaim = (point: PointRules): boolean => point.direction === 'entry' && point.reentry !== 'unlimited';

/** The most recent auto-checkout instant at or before `now`, in the event's time zone. */
function lastAutoCheckout(now: Date, hhmm: string, timeZone: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  // Offset of the zone at `now`, from its wall clock.
  const wall = wallAt(now.getTime(), timeZone);
  const offset = wall - Math.floor(now.getTime() / 1000) * 1000;
  const day = new Date(wall);
  let candidate = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m) - offset;
  if (candidate > now.getTime()) candidate -= 86_400_000;
  return candidate;
}

export function decide(ticket: TicketFacts | undefined, point: PointRules, history: readonly PastCheckin[], now: Date): Decision {
  const refuse = (reason: Reason, firstUsedAt: string | null = null): Decision => ({ reason, admitted: false, firstUsedAt });
  if (!ticket) return refuse('unknown');
  if (ticket.status !== 'valid') return refuse(ticket.status);
  if (!ticket.paid) return refuse('unpaid');
  if (point.eventId && ticket.eventId && point.eventId !== ticket.eventId) return refuse('wrong_type');
  if (point.ticketTypeIds.length > 0 && !point.ticketTypeIds.includes(ticket.ticketTypeId)) return refuse('wrong_type');
  // At a point that redeems an entitlement, the entitlement is the right to pass: its zone only keeps its
  // uses apart from the other points' (a meal hall need not be a zone of every ticket type).
  if (!point.entitlement && point.zone !== null && ticket.zones.length > 0 && !ticket.zones.includes(point.zone)) return refuse('wrong_zone');
  const t = now.getTime();
  if (ticket.validFrom && t < Date.parse(ticket.validFrom)) return refuse('not_yet_valid');
  if (ticket.validTo && t > Date.parse(ticket.validTo)) return refuse('expired');
  if (point.windows.length > 0 && !point.windows.some((w) => t >= Date.parse(w.from) && t <= Date.parse(w.to))) {
    return refuse(point.windows.some((w) => t < Date.parse(w.from)) ? 'not_yet_valid' : 'expired');
  }
  if (point.entitlement) {
    const held = (ticket.entitlements ?? []).some(
      (e) => e.kind === point.entitlement && (e.from === null || t >= Date.parse(e.from)) && (e.to === null || t <= Date.parse(e.to)),
    );
    if (!held) return refuse('no_entitlement');
  }
  const ok: Decision = { reason: 'ok', admitted: true, firstUsedAt: null };
  if (point.direction === 'exit') return ok;

  // Only uses in this point's zone count; ordered by instant (ISO strings of different precision or
  // offset do not sort correctly as text).
  const uses = history
    .filter((c) => (c.state === 'local' || c.state === 'accepted') && (c.zone === undefined || c.zone === point.zone))
    .map((c) => ({ ...c, t: Date.parse(c.at) }))
    .sort((a, b) => a.t - b.t);
  const entries = uses.filter((c) => c.direction === 'entry');
  const firstEntry = entries[0]?.at ?? null;
  switch (point.reentry) {
    case 'unlimited':
      return ok;
    case 'single':
      return entries.length > 0 ? refuse('already_used', firstEntry) : ok;
    case 'once_per_day': {
      const today = zonedDay(now.toISOString(), point.timezone);
      const todays = entries.find((e) => zonedDay(e.at, point.timezone) === today);
      return todays ? refuse('already_used', todays.at) : ok;
    }
    case 'after_exit': {
      // Where the holder is at `now` depends on what happened up to `now` only: a check-in pushed late
      // (offline) must not be judged against passages that came after it.
      const upToNow = uses.filter((c) => c.t <= t);
      const last = upToNow[upToNow.length - 1];
      if (!last || last.direction === 'exit') return ok;
      const checkout = point.autoCheckoutAt ? lastAutoCheckout(now, point.autoCheckoutAt, point.timezone) : -Infinity;
      return Date.parse(last.at) < checkout ? ok : refuse('already_used', last.at);
    }
  }
}
