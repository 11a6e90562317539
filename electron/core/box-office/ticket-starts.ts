// Owns when a printed ticket says its admission starts: the start of the session its type is for, when
// the cache holds that session, else the event's (receipts.ts prints it on the event's wall clock).
import type { CacheReader, CatalogType } from '../sync/cache';

/** Each ticket with its session's start (null: the event's start stands). */
export function withSessionStarts<T extends { ticketTypeId: string }>(
  tickets: readonly T[],
  eventId: string,
  types: readonly Pick<CatalogType, 'id' | 'sessionId'>[],
  cache: Partial<Pick<CacheReader, 'sessions'>>,
): (T & { startsAt: string | null })[] {
  const sessionOf = new Map(types.map((t) => [t.id, t.sessionId ?? null]));
  const sessions = sessionOf.size > 0 && cache.sessions ? cache.sessions(eventId) : [];
  const startOf = new Map(sessions.map((s) => [s.id, s.startsAt]));
  return tickets.map((t) => {
    const session = sessionOf.get(t.ticketTypeId);
    return { ...t, startsAt: (session ? startOf.get(session) : undefined) ?? null };
  });
}
