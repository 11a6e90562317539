// Owns which times a terminal may give its records (claims, pushed check-ins, annulments, failed scans):
// not older than maxAgeMs and not further ahead of the server's clock than maxAheadMs, and a check-in
// not dated well outside its event. A record outside is refused as implausible_time instead of entering
// the history (a check-in dated 2001, one dated next week that would block the ticket in advance, or one
// dated a week before its event started).
import { RECORD_MAX_AGE_MS, RECORD_MAX_AHEAD_MS } from '../../../domain/outbox';

export interface RecordTimeLimits {
  maxAgeMs: number;
  maxAheadMs: number;
}

export const DEFAULT_RECORD_TIMES: RecordTimeLimits = { maxAgeMs: RECORD_MAX_AGE_MS, maxAheadMs: RECORD_MAX_AHEAD_MS };

/** Null when `at` is plausible at `now`; else why not, as a detail starting with the error code. */
export function implausibleTime(at: string, now: Date, limits: RecordTimeLimits = DEFAULT_RECORD_TIMES): string | null {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) return 'implausible_time: not an instant';
  if (ms < now.getTime() - limits.maxAgeMs)
    return `implausible_time: ${at} is more than ${Math.round(limits.maxAgeMs / 3_600_000)} h before the server's clock`;
  if (ms > now.getTime() + limits.maxAheadMs)
    return `implausible_time: ${at} is more than ${Math.round(limits.maxAheadMs / 60_000)} min after the server's clock`;
  return null;
}

/**
 * How long before its event starts (or its ticket becomes valid, whichever is earlier) a check-in is
 * still plausible. Doors open early and queues are scanned before the official start; an event's start
 * is entered in its own time zone and a terminal's clock or the organiser's entry may be hours off across
 * zones. A day covers all of that; a check-in dated earlier is a wrong clock or a forged record.
 */
export const EVENT_EARLY_MARGIN_MS = 86_400_000;
/**
 * How long after its event ends (or its ticket stops being valid, whichever is later) a check-in is still
 * plausible: late leavers and re-entries after the official end, an end entered in the wrong zone, and a
 * multi-day event whose end was set to the last day's opening. Offline outboxes keep their records'
 * original times, so a late push is not late here.
 */
export const EVENT_LATE_MARGIN_MS = 86_400_000;

/** When a check-in for one ticket can plausibly happen: its event's run and the ticket's own validity. */
export interface EventWindow {
  eventId: string;
  startsAt: string;
  endsAt: string;
  validFrom: string | null;
  validTo: string | null;
}

/**
 * Null when a check-in at `at` fits the ticket's event: not more than EVENT_EARLY_MARGIN_MS before the
 * earlier of the event's start and the ticket's valid_from, not more than EVENT_LATE_MARGIN_MS after the
 * later of the event's end and the ticket's valid_to. Else why not, as a detail starting with the code.
 * (A ticket valid beyond its event's run widens the window; one valid for less does not narrow it — a
 * scan of such a ticket at the event is real and is refused by the rules, not dropped as implausible.)
 */
export function outsideEvent(at: string, window: EventWindow): string | null {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) return 'implausible_time: not an instant';
  const start = Math.min(Date.parse(window.startsAt), window.validFrom === null ? Infinity : Date.parse(window.validFrom));
  const end = Math.max(Date.parse(window.endsAt), window.validTo === null ? -Infinity : Date.parse(window.validTo));
  if (ms < start - EVENT_EARLY_MARGIN_MS)
    return `implausible_time: ${at} is more than ${Math.round(EVENT_EARLY_MARGIN_MS / 3_600_000)} h before event ${window.eventId} starts (${new Date(start).toISOString()})`;
  if (ms > end + EVENT_LATE_MARGIN_MS)
    return `implausible_time: ${at} is more than ${Math.round(EVENT_LATE_MARGIN_MS / 3_600_000)} h after event ${window.eventId} ends (${new Date(end).toISOString()})`;
  return null;
}
