// Owns reading the validity window of the tickets a sale or an import is about to issue, per ticket type:
// the rule is domain/ticket-window.ts; this finds each type's session in the same transaction.
import { inArray } from 'drizzle-orm';
import { ticketWindow, type TicketWindow } from '../../../domain/ticket-window';
import type { ServerDb } from '../db/client';
import { eventSessions, type events } from '../db/schema';
import type { ServerTx } from '../db/writes';

type EventRow = Pick<typeof events.$inferSelect, 'startsAt' | 'endsAt' | 'timezone'>;

/** Ticket type id → the window its new tickets admit in. */
export async function windowsOfTypes(
  tx: ServerDb | ServerTx,
  event: EventRow,
  types: readonly { id: string; sessionId: string | null }[],
): Promise<Map<string, TicketWindow>> {
  const sessionIds = [...new Set(types.map((t) => t.sessionId).filter((id): id is string => id !== null))];
  const sessions = new Map(
    sessionIds.length === 0
      ? []
      : (await tx.select().from(eventSessions).where(inArray(eventSessions.id, sessionIds))).map((s) => [s.id, s] as const),
  );
  const wholeEvent = { startsAt: event.startsAt, endsAt: event.endsAt, timeZone: event.timezone };
  return new Map(types.map((t) => [t.id, ticketWindow(wholeEvent, t.sessionId ? (sessions.get(t.sessionId) ?? null) : null)]));
}
