// Owns how long a ticket admits: a ticket for the whole event from the event's start to its end; a
// ticket of a session (a concert night, a conference day) from the start of that session's day on the
// event's clock — doors open before the show — until the session ends. Sold and imported tickets carry
// this window in their signed code and in their row, so every gate judges a night-two ticket on night
// one as not yet valid, online or not.
import { instantToZoned, zonedToInstant } from './zoned-time';

type Instant = Date | string;

export interface TicketWindow {
  from: Date;
  to: Date;
}

const asDate = (t: Instant) => (t instanceof Date ? t : new Date(t));

/** The start of the calendar day holding `at` on the wall clock of `timeZone` (`at` itself when the zone
 *  is unknown). */
export function startOfZonedDay(at: Instant, timeZone: string): Date {
  const wall = instantToZoned(asDate(at).toISOString(), timeZone);
  const start = wall ? zonedToInstant(`${wall.slice(0, 10)}T00:00`, timeZone) : null;
  return start ? new Date(start) : asDate(at);
}

export function ticketWindow(
  event: { startsAt: Instant; endsAt: Instant; timeZone: string },
  session: { startsAt: Instant; endsAt: Instant } | null,
): TicketWindow {
  if (!session) return { from: asDate(event.startsAt), to: asDate(event.endsAt) };
  return { from: startOfZonedDay(session.startsAt, event.timeZone), to: asDate(session.endsAt) };
}
