// Owns the organizer's catalogue: events and their ticket types (priced in the event's currency). A new
// event gets its short number (for signed codes), its ID-hash salt and its first signing key here.
import { asc, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { newIdHashSalt } from '../../../domain/hashing';
import type { AdminEvent } from '../../../domain/wire';
import { type CreateEventInput, DEFAULT_EVENT_LANGUAGES } from '../adminSchemas';
import type { ServerDb } from '../db/client';
import { events, ticketTypes } from '../db/schema';
import { writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import type { Keyring } from '../keyring';
import { insertFirstKey } from './keys';
import { eventRow, ticketTypeRow } from './rows';

export interface CreatedEvent {
  event: AdminEvent;
  seq: number;
}

export async function createEvent(db: ServerDb, input: CreateEventInput, keyring: Keyring): Promise<CreatedEvent> {
  if (Date.parse(input.endsAt) < Date.parse(input.startsAt))
    throw new ApiFailure('bad_request', 'endsAt is before startsAt');
  const eventId = input.id ?? uuidv7();
  const languages = input.languages ?? [...DEFAULT_EVENT_LANGUAGES];
  return writeTx(db, async (tx) => {
    const [event] = await tx
      .insert(events)
      .values({
        id: eventId,
        name: input.name,
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        timezone: input.timezone,
        currency: input.currency,
        rotationPeriodS: input.rotationPeriodS,
        venue: input.venue || null,
        address: input.address || null,
        languages,
        defaultLanguage: input.defaultLanguage ?? languages[0]!,
        idSalt: newIdHashSalt(),
      })
      .onConflictDoNothing()
      .returning();
    if (!event) throw new ApiFailure('bad_request', `event ${eventId} already exists`);
    const types = await tx
      .insert(ticketTypes)
      .values(
        input.ticketTypes.map((t, i) => ({
          id: t.id ?? uuidv7(),
          eventId,
          name: t.name,
          priceMinor: t.priceMinor,
          currency: input.currency,
          capacity: t.capacity ?? null,
          sortOrder: i,
          no: i + 1,
          zones: t.zones,
        })),
      )
      .returning();
    const keySeq = await insertFirstKey(tx, eventId, keyring);
    const seq = Math.max(event.seq, keySeq, ...types.map((t) => t.seq));
    return { seq, event: { ...eventRow(event), ticketTypes: types.map(ticketTypeRow) } };
  });
}

export async function listEvents(db: ServerDb): Promise<AdminEvent[]> {
  const rows = await db.select().from(events).orderBy(asc(events.startsAt));
  if (rows.length === 0) return [];
  const types = await db
    .select()
    .from(ticketTypes)
    .where(
      inArray(
        ticketTypes.eventId,
        rows.map((e) => e.id),
      ),
    )
    .orderBy(asc(ticketTypes.sortOrder));
  return rows.map((e) => ({ ...eventRow(e), ticketTypes: types.filter((t) => t.eventId === e.id).map(ticketTypeRow) }));
}
