// Owns changes to a sold ticket's standing. Revoking writes BOTH a revocation row (the incremental list
// terminals check even for tickets they have never seen, e.g. a signed code that validates offline) and
// the ticket's status, in one transaction, so either feed tells a terminal the ticket is void.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { RevocationRow, TicketRow } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import { revocations, tickets } from '../db/schema';
import { writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { revocationRow, ticketRow } from './rows';

export interface RevokedTicket {
  ticket: z.infer<typeof TicketRow>;
  revocation: z.infer<typeof RevocationRow>;
  /** Highest seq written; null when the ticket was revoked already (nothing changed). */
  seq: number | null;
}

export async function revokeTicket(db: ServerDb, ticketId: string, reason: string | undefined, now: Date): Promise<RevokedTicket> {
  return writeTx(db, async (tx) => {
    // The row lock orders the revocation against claims and pushes deciding on this ticket.
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('no key update');
    if (!ticket) throw new ApiFailure('not_found', `no ticket ${ticketId}`);
    let seq: number | null = null;
    // Looked up first (the ticket lock keeps it stable): a conflicting insert would still burn a seq.
    let [revocation] = await tx.select().from(revocations).where(eq(revocations.ticketId, ticketId));
    if (!revocation) {
      [revocation] = await tx
        .insert(revocations)
        .values({ ticketId, eventId: ticket.eventId, at: now, reason: reason ?? null })
        .returning();
      seq = revocation!.seq;
    }
    let current = ticket;
    if (ticket.status !== 'revoked') {
      const [updated] = await tx.update(tickets).set({ status: 'revoked' }).where(eq(tickets.id, ticketId)).returning();
      current = updated!;
      seq = Math.max(seq ?? 0, current.seq);
    }
    return { ticket: ticketRow(current), revocation: revocationRow(revocation!), seq };
  });
}
