// Owns the organizer's catalog operations: editing an event, its sessions, its ticket types with their
// sale rules, and the quotas ticket types share. Each operation is one transaction that checks what must
// hold against the stored rows (currency only while nothing is sold, capacity never below sold, a session
// of the same event, a sale window that ends after it starts) and writes nothing when one fails. Rows are
// locked in the order sales take them (ticket types by id, then quotas by id), so an edit and a sale
// never wait on each other in a cycle. The caller (routes/admin-catalog.ts) audits and pokes.
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { ServerDb } from '../db/client';
import { events, eventSessions, quotas, quotaTicketTypes, tickets, ticketTypes } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { eventRow, eventSessionRow, quotaRow, ticketTypeRow, type TicketTypeRecord } from '../services/rows';
import type { CatalogEventRow } from '../../../domain/admin-catalog';
import type {
  CreateQuotaRequest,
  CreateSessionRequest,
  CreateTicketTypeRequest,
  UpdateEventRequest,
  UpdateQuotaRequest,
  UpdateSessionRequest,
  UpdateTicketTypeRequest,
} from './catalog-schemas';

/** A written row and the highest change number the write produced (for the poke). */
export type Written<T> = { row: T; seq: number };

type Tx = ServerTx | ServerDb;

const dateOr = (value: string | null | undefined, stored: Date | null): Date | null =>
  value === undefined ? stored : value === null ? null : new Date(value);

async function lockEvent(tx: ServerTx, eventId: string) {
  const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update');
  if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
  return event;
}

async function quotaMembers(tx: Tx, quotaIds: readonly string[]): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>(quotaIds.map((id) => [id, []]));
  if (quotaIds.length === 0) return members;
  const links = await tx.select().from(quotaTicketTypes).where(inArray(quotaTicketTypes.quotaId, [...quotaIds]));
  for (const l of links) members.get(l.quotaId)?.push(l.ticketTypeId);
  return members;
}

export async function readCatalogEvent(db: Tx, eventId: string): Promise<CatalogEventRow> {
  const [event] = await db.select().from(events).where(eq(events.id, eventId));
  if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
  const [sessions, types, quotaRows] = await Promise.all([
    db.select().from(eventSessions).where(eq(eventSessions.eventId, eventId)).orderBy(asc(eventSessions.sort), asc(eventSessions.startsAt)),
    db.select().from(ticketTypes).where(eq(ticketTypes.eventId, eventId)).orderBy(asc(ticketTypes.sortOrder), asc(ticketTypes.no)),
    db.select().from(quotas).where(eq(quotas.eventId, eventId)).orderBy(asc(quotas.id)),
  ]);
  const members = await quotaMembers(db, quotaRows.map((q) => q.id));
  return {
    ...eventRow(event),
    sessions: sessions.map(eventSessionRow),
    ticketTypes: types.map(ticketTypeRow),
    quotas: quotaRows.map((q) => quotaRow(q, members.get(q.id) ?? [])),
  };
}

// ---- events --------------------------------------------------------------------------------------

export async function updateEvent(db: ServerDb, eventId: string, patch: UpdateEventRequest): Promise<Written<CatalogEventRow>> {
  return writeTx(db, async (tx) => {
    const event = await lockEvent(tx, eventId);
    const startsAt = patch.startsAt ? new Date(patch.startsAt) : event.startsAt;
    const endsAt = patch.endsAt ? new Date(patch.endsAt) : event.endsAt;
    if (endsAt < startsAt) throw new ApiFailure('bad_request', `the event would end (${endsAt.toISOString()}) before it starts (${startsAt.toISOString()})`);
    const languages = patch.languages ?? event.languages;
    const defaultLanguage = patch.defaultLanguage ?? event.defaultLanguage;
    if (!languages.includes(defaultLanguage))
      throw new ApiFailure('bad_request', `defaultLanguage ${defaultLanguage} is not one of the event's languages (${languages.join(', ')})`);

    let seq = 0;
    // Signed codes carry the event's dates as their validity (domain/codes.ts): once a ticket exists, the
    // dates stay. The type rows are locked first, as sales lock them, so no sale slips in meanwhile.
    if (startsAt.getTime() !== event.startsAt.getTime() || endsAt.getTime() !== event.endsAt.getTime()) {
      await tx.select({ id: ticketTypes.id }).from(ticketTypes).where(eq(ticketTypes.eventId, eventId)).orderBy(ticketTypes.id).for('update');
      const [issued] = await tx.select({ n: count() }).from(tickets).where(eq(tickets.eventId, eventId));
      if ((issued?.n ?? 0) > 0)
        throw new ApiFailure(
          'event_has_tickets',
          `the dates of event ${eventId} cannot change: ${issued!.n} tickets exist, their codes are valid from ${event.startsAt.toISOString()} to ${event.endsAt.toISOString()}`,
        );
    }
    if (patch.currency !== undefined && patch.currency !== event.currency) {
      // Sales lock the type rows too: once these are locked with nothing sold, no sale can slip in.
      const types = await tx.select().from(ticketTypes).where(eq(ticketTypes.eventId, eventId)).orderBy(ticketTypes.id).for('update');
      const sold = types.reduce((n, t) => n + t.sold, 0);
      const [issued] = await tx.select({ n: count() }).from(tickets).where(eq(tickets.eventId, eventId));
      if (sold > 0 || (issued?.n ?? 0) > 0)
        throw new ApiFailure('conflict', `the currency of event ${eventId} cannot change: ${Math.max(sold, issued?.n ?? 0)} tickets are sold or issued already`);
      if (types.length > 0) {
        const moved = await tx.update(ticketTypes).set({ currency: patch.currency }).where(eq(ticketTypes.eventId, eventId)).returning({ seq: ticketTypes.seq });
        seq = Math.max(seq, ...moved.map((t) => t.seq));
      }
    }
    const [updated] = await tx
      .update(events)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.venue !== undefined ? { venue: patch.venue || null } : {}),
        ...(patch.address !== undefined ? { address: patch.address || null } : {}),
        ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
        ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
        startsAt,
        endsAt,
        languages,
        defaultLanguage,
      })
      .where(eq(events.id, eventId))
      .returning({ seq: events.seq });
    seq = Math.max(seq, updated!.seq);
    return { seq, row: await readCatalogEvent(tx, eventId) };
  });
}

// ---- sessions ------------------------------------------------------------------------------------

export async function createSession(db: ServerDb, eventId: string, input: CreateSessionRequest): Promise<Written<ReturnType<typeof eventSessionRow>>> {
  return writeTx(db, async (tx) => {
    await lockEvent(tx, eventId);
    const [existing] = await tx.select({ n: count() }).from(eventSessions).where(eq(eventSessions.eventId, eventId));
    const [row] = await tx
      .insert(eventSessions)
      .values({
        id: input.id ?? uuidv7(),
        eventId,
        name: input.name,
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        sort: input.sort ?? existing?.n ?? 0,
        active: input.active,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ApiFailure('conflict', `session ${input.id} already exists`);
    return { seq: row.seq, row: eventSessionRow(row) };
  });
}

export async function updateSession(db: ServerDb, sessionId: string, patch: UpdateSessionRequest): Promise<Written<ReturnType<typeof eventSessionRow>>> {
  return writeTx(db, async (tx) => {
    const [session] = await tx.select().from(eventSessions).where(eq(eventSessions.id, sessionId)).for('update');
    if (!session) throw new ApiFailure('not_found', `no session ${sessionId}`);
    const startsAt = patch.startsAt ? new Date(patch.startsAt) : session.startsAt;
    const endsAt = patch.endsAt ? new Date(patch.endsAt) : session.endsAt;
    if (endsAt < startsAt) throw new ApiFailure('bad_request', `the session would end (${endsAt.toISOString()}) before it starts (${startsAt.toISOString()})`);
    // A session's tickets carry its dates in their codes (domain/ticket-window.ts): once one exists, the
    // dates stay. Its types are locked first, as sales lock them, so no sale slips in meanwhile.
    if (startsAt.getTime() !== session.startsAt.getTime() || endsAt.getTime() !== session.endsAt.getTime()) {
      const types = await tx.select({ id: ticketTypes.id }).from(ticketTypes).where(eq(ticketTypes.sessionId, sessionId)).orderBy(ticketTypes.id).for('update');
      const [issued] =
        types.length === 0
          ? [{ n: 0 }]
          : await tx
              .select({ n: count() })
              .from(tickets)
              .where(inArray(tickets.ticketTypeId, types.map((t) => t.id)));
      if ((issued?.n ?? 0) > 0)
        throw new ApiFailure(
          'event_has_tickets',
          `the dates of session ${sessionId} cannot change: ${issued!.n} tickets exist, their codes are valid until ${session.endsAt.toISOString()}`,
        );
    }
    const [row] = await tx
      .update(eventSessions)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        startsAt,
        endsAt,
      })
      .where(eq(eventSessions.id, sessionId))
      .returning();
    return { seq: row!.seq, row: eventSessionRow(row!) };
  });
}

// ---- ticket types --------------------------------------------------------------------------------

async function assertSessionOf(tx: ServerTx, sessionId: string | null, eventId: string): Promise<void> {
  if (sessionId === null) return;
  const [session] = await tx.select({ eventId: eventSessions.eventId }).from(eventSessions).where(eq(eventSessions.id, sessionId));
  if (!session) throw new ApiFailure('bad_request', `no session ${sessionId}`);
  if (session.eventId !== eventId) throw new ApiFailure('bad_request', `session ${sessionId} belongs to another event than ${eventId}`);
}

function assertWindow(startsAt: Date | null, endsAt: Date | null): void {
  if (startsAt && endsAt && endsAt <= startsAt)
    throw new ApiFailure('bad_request', `the sale window would end (${endsAt.toISOString()}) before or when it starts (${startsAt.toISOString()})`);
}

function assertCurrency(currency: string | undefined, eventCurrency: string): void {
  if (currency !== undefined && currency !== eventCurrency)
    throw new ApiFailure('bad_request', `ticket types are priced in the event's currency (${eventCurrency}), not ${currency}`);
}

export async function createTicketType(db: ServerDb, eventId: string, input: CreateTicketTypeRequest): Promise<Written<ReturnType<typeof ticketTypeRow>>> {
  return writeTx(db, async (tx) => {
    // The event row is locked so two new types of one event never take the same short number.
    const event = await lockEvent(tx, eventId);
    assertCurrency(input.currency, event.currency);
    await assertSessionOf(tx, input.sessionId, eventId);
    const saleStartsAt = dateOr(input.saleStartsAt, null);
    const saleEndsAt = dateOr(input.saleEndsAt, null);
    assertWindow(saleStartsAt, saleEndsAt);
    const [last] = await tx
      .select({ no: sql<number>`coalesce(max(${ticketTypes.no}), 0)`, n: count() })
      .from(ticketTypes)
      .where(eq(ticketTypes.eventId, eventId));
    const no = Number(last?.no ?? 0) + 1;
    if (no > 65535) throw new ApiFailure('conflict', `event ${eventId} has no short number left for another ticket type`);
    const [row] = await tx
      .insert(ticketTypes)
      .values({
        id: input.id ?? uuidv7(),
        eventId,
        name: input.name,
        priceMinor: input.priceMinor,
        currency: event.currency,
        capacity: input.capacity,
        sortOrder: input.sortOrder ?? last?.n ?? 0,
        no,
        zones: input.zones,
        sessionId: input.sessionId,
        saleStartsAt,
        saleEndsAt,
        maxPerOrder: input.maxPerOrder,
        maxPerAttendee: input.maxPerAttendee,
        channels: input.channels,
        realName: input.realName,
        requiredFields: input.requiredFields,
        refundPolicy: input.refundPolicy,
        active: input.active,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ApiFailure('conflict', `ticket type ${input.id} already exists`);
    return { seq: row.seq, row: ticketTypeRow(row) };
  });
}

export async function updateTicketType(db: ServerDb, typeId: string, patch: UpdateTicketTypeRequest): Promise<Written<ReturnType<typeof ticketTypeRow>>> {
  return writeTx(db, async (tx) => {
    const [type] = await tx.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)).for('update');
    if (!type) throw new ApiFailure('not_found', `no ticket type ${typeId}`);
    const [event] = await tx.select().from(events).where(eq(events.id, type.eventId));
    assertCurrency(patch.currency, event!.currency);
    if (patch.sessionId !== undefined) await assertSessionOf(tx, patch.sessionId, type.eventId);
    const saleStartsAt = dateOr(patch.saleStartsAt, type.saleStartsAt);
    const saleEndsAt = dateOr(patch.saleEndsAt, type.saleEndsAt);
    assertWindow(saleStartsAt, saleEndsAt);
    if (patch.capacity !== undefined && patch.capacity !== null && patch.capacity < type.sold)
      throw new ApiFailure('conflict', `capacity ${patch.capacity} is below the ${type.sold} tickets of type ${typeId} already sold`);
    const { currency: _currency, saleStartsAt: _from, saleEndsAt: _to, ...fields } = patch;
    const [row] = await tx
      .update(ticketTypes)
      .set({ ...fields, saleStartsAt, saleEndsAt } satisfies Partial<TicketTypeRecord>)
      .where(eq(ticketTypes.id, typeId))
      .returning();
    return { seq: row!.seq, row: ticketTypeRow(row!) };
  });
}

// ---- quotas --------------------------------------------------------------------------------------

/** Locks the named types (in id order) and checks they are all of the event; answers them. */
async function lockMembers(tx: ServerTx, eventId: string, typeIds: readonly string[]): Promise<TicketTypeRecord[]> {
  const ids = [...new Set(typeIds)].sort();
  if (ids.length === 0) return [];
  const rows = await tx.select().from(ticketTypes).where(inArray(ticketTypes.id, ids)).orderBy(ticketTypes.id).for('update');
  const foreign = ids.filter((id) => !rows.some((r) => r.id === id && r.eventId === eventId));
  if (foreign.length > 0) throw new ApiFailure('bad_request', `not ticket types of event ${eventId}: ${foreign.join(', ')}`);
  return rows;
}

export async function createQuota(db: ServerDb, eventId: string, input: CreateQuotaRequest): Promise<Written<ReturnType<typeof quotaRow>>> {
  return writeTx(db, async (tx) => {
    const [event] = await tx.select({ id: events.id }).from(events).where(eq(events.id, eventId));
    if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
    const members = await lockMembers(tx, eventId, input.ticketTypeIds);
    const sold = members.reduce((n, t) => n + t.sold, 0);
    if (sold > input.capacity)
      throw new ApiFailure('conflict', `capacity ${input.capacity} is below the ${sold} tickets of its types already sold`);
    const [row] = await tx
      .insert(quotas)
      .values({ id: input.id ?? uuidv7(), eventId, name: input.name, capacity: input.capacity, sold })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ApiFailure('conflict', `quota ${input.id} already exists`);
    await tx.insert(quotaTicketTypes).values(members.map((t) => ({ quotaId: row.id, ticketTypeId: t.id })));
    return { seq: row.seq, row: quotaRow(row, members.map((t) => t.id)) };
  });
}

export async function updateQuota(db: ServerDb, quotaId: string, patch: UpdateQuotaRequest): Promise<Written<ReturnType<typeof quotaRow>>> {
  return writeTx(db, async (tx) => {
    const [current] = await tx.select().from(quotas).where(eq(quotas.id, quotaId));
    if (!current) throw new ApiFailure('not_found', `no quota ${quotaId}`);
    const before = (await quotaMembers(tx, [quotaId])).get(quotaId) ?? [];
    // Types (old and new members) first, then the quota: the order sales lock them in.
    const locked = await lockMembers(tx, current.eventId, [...before, ...(patch.ticketTypeIds ?? [])]);
    const [quota] = await tx.select().from(quotas).where(eq(quotas.id, quotaId)).for('update');
    const memberIds = patch.ticketTypeIds ?? before;
    // Its sold count follows its members: what the types now in it have sold.
    const sold = patch.ticketTypeIds ? locked.filter((t) => memberIds.includes(t.id)).reduce((n, t) => n + t.sold, 0) : quota!.sold;
    const capacity = patch.capacity ?? quota!.capacity;
    if (capacity < sold) throw new ApiFailure('conflict', `capacity ${capacity} is below the ${sold} tickets of quota ${quotaId} already sold`);
    if (patch.ticketTypeIds) {
      await tx.delete(quotaTicketTypes).where(eq(quotaTicketTypes.quotaId, quotaId));
      await tx.insert(quotaTicketTypes).values(memberIds.map((ticketTypeId) => ({ quotaId, ticketTypeId })));
    }
    // Always written, so the quota is re-stamped and terminals learn its new members too.
    const [row] = await tx
      .update(quotas)
      .set({ ...(patch.name !== undefined ? { name: patch.name } : {}), capacity, sold })
      .where(and(eq(quotas.id, quotaId)))
      .returning();
    return { seq: row!.seq, row: quotaRow(row!, memberIds) };
  });
}
