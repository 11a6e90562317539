// Owns the organizer's side of the kiosk at the server: an attendee's information (the whole list of
// items, replaced on every save) and entitlements (held by kind: one of a kind already held is updated, a
// new one added, one no longer named withdrawn — kept inactive so the withdrawal replicates), and an
// event's kiosk settings. Every write takes a fresh change number, so the terminals of the event pull it;
// a save that changes nothing writes nothing. What changed is reported by kind and count only, for the
// audit trail: never an item's text.
import { and, asc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { ATTENDEE_INFO_MAX_ITEMS, type AttendeeInfoItem, type AttendeeInfoSave, type EntitlementRow, KioskSettings } from '../../../domain/kiosk-wire';
import type { ServerDb } from '../db/client';
import { attendeeInfo, entitlements, kioskSettings, tickets } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { assertEventExists, entitlementRow, infoOfTicket, kioskSettingsOf, readKioskSettings } from '../services/kiosk';

export type AttendeeInfoSaveBody = z.output<typeof AttendeeInfoSave>;
export const KioskSettingsBody = KioskSettings.strict();
type KioskSettingsValue = KioskSettings;

export interface AttendeeInfoAnswer {
  items: AttendeeInfoItem[];
  entitlements: EntitlementRow[];
}

export interface InfoSaveOutcome {
  answer: AttendeeInfoAnswer;
  eventId: string;
  /** The highest change number written; null when nothing differed. */
  seq: number | null;
  /** What changed, for the audit trail: kinds and counts, no values. */
  changed: { items: boolean; itemCount: number; added: string[]; updated: string[]; withdrawn: string[] };
}

async function ticketEvent(db: ServerDb, ticketId: string): Promise<string> {
  const [ticket] = await db.select({ eventId: tickets.eventId }).from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw new ApiFailure('not_found', `no ticket ${ticketId}`);
  return ticket.eventId;
}

/** GET /admin/v1/attendees/:ticketId/info (404 when the ticket is unknown). */
export async function readAttendeeInfo(db: ServerDb, ticketId: string): Promise<AttendeeInfoAnswer> {
  await ticketEvent(db, ticketId);
  return infoOfTicket(db, ticketId);
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
const sameTime = (a: Date | null, b: string | null) => (a === null ? b === null : b !== null && a.getTime() === Date.parse(b));
/** JSON with object keys sorted (jsonb hands its keys back in an order of its own). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/** Refuses (400) what the schema lets through but the data may not hold: a kind twice, an entitlement
 *  that ends before it starts. */
function checkSave(body: AttendeeInfoSaveBody): void {
  const kinds = new Set<string>();
  for (const e of body.entitlements) {
    if (kinds.has(e.kind)) throw new ApiFailure('bad_request', `entitlements: the kind ${e.kind} is named twice`);
    kinds.add(e.kind);
    const from = ms(e.from);
    const to = ms(e.to);
    if (from !== null && to !== null && to < from) throw new ApiFailure('bad_request', `entitlements: ${e.kind} ends before it starts`);
  }
}

/** PUT /admin/v1/attendees/:ticketId/info: saves the items and entitlements (404 unknown ticket). */
export async function saveAttendeeInfo(db: ServerDb, ticketId: string, body: AttendeeInfoSaveBody, now: Date): Promise<InfoSaveOutcome> {
  checkSave(body);
  return writeTx(db, async (tx) => {
    const [ticket] = await tx.select({ eventId: tickets.eventId }).from(tickets).where(eq(tickets.id, ticketId)).for('no key update');
    if (!ticket) throw new ApiFailure('not_found', `no ticket ${ticketId}`);
    const eventId = ticket.eventId;
    const { seq, changed } = await writeAttendeeInfo(tx, ticketId, eventId, body, now);
    const [info] = await tx.select().from(attendeeInfo).where(eq(attendeeInfo.ticketId, ticketId));
    const nowHeld = await tx
      .select()
      .from(entitlements)
      .where(and(eq(entitlements.ticketId, ticketId), eq(entitlements.active, true)))
      .orderBy(asc(entitlements.kind));
    return { answer: { items: info?.items ?? [], entitlements: nowHeld.map(entitlementRow) }, eventId, seq, changed };
  });
}

/** What an attendee import's columns say of one ticket: the items of the mapped kinds (a kind's empty cell
 *  removes its item) and, when the entitlements column is mapped, the kinds held. */
export interface ImportedInfo {
  items: Partial<Record<AttendeeInfoItem['kind'], string | null>>;
  entitlements: string[] | null;
}

/** An import's information for one ticket, inside the import's transaction: items of the kinds the file
 *  maps are replaced (other items, such as agenda entries, stay); entitlements named are held (one held
 *  already keeps its label and dates), others withdrawn. Returns the highest change number written. */
export async function importAttendeeInfo(tx: ServerTx, ticketId: string, eventId: string, imported: ImportedInfo, now: Date): Promise<number | null> {
  const [current] = await tx.select().from(attendeeInfo).where(eq(attendeeInfo.ticketId, ticketId));
  const mapped = new Set(Object.keys(imported.items));
  const items: AttendeeInfoItem[] = (current?.items ?? []).filter((i) => !mapped.has(i.kind));
  for (const [kind, value] of Object.entries(imported.items) as [AttendeeInfoItem['kind'], string | null][]) {
    if (value !== null) items.push({ kind, value, label: null, at: null, to: null, place: null });
  }
  let held: AttendeeInfoSaveBody['entitlements'];
  if (imported.entitlements === null) {
    held = (await activeEntitlements(tx, ticketId)).map(asSaved);
  } else {
    const have = new Map((await activeEntitlements(tx, ticketId)).map((e) => [e.kind, e]));
    held = imported.entitlements.map((kind) => {
      const e = have.get(kind);
      return e ? asSaved(e) : { kind, label: null, from: null, to: null };
    });
  }
  return (await writeAttendeeInfo(tx, ticketId, eventId, { items: items.slice(0, ATTENDEE_INFO_MAX_ITEMS), entitlements: held }, now)).seq;
}

const activeEntitlements = (tx: ServerTx, ticketId: string) =>
  tx
    .select()
    .from(entitlements)
    .where(and(eq(entitlements.ticketId, ticketId), eq(entitlements.active, true)))
    .orderBy(asc(entitlements.kind));

const asSaved = (e: typeof entitlements.$inferSelect): AttendeeInfoSaveBody['entitlements'][number] => ({
  kind: e.kind,
  label: e.label ?? null,
  from: e.validFrom?.toISOString() ?? null,
  to: e.validTo?.toISOString() ?? null,
});

/** Writes one ticket's items and entitlements where they differ, each write with a fresh change number. */
async function writeAttendeeInfo(
  tx: ServerTx,
  ticketId: string,
  eventId: string,
  body: AttendeeInfoSaveBody,
  now: Date,
): Promise<{ seq: number | null; changed: InfoSaveOutcome['changed'] }> {
  let seq: number | null = null;
  const bump = (s: number) => {
    seq = Math.max(seq ?? 0, s);
  };
  const changed: InfoSaveOutcome['changed'] = { items: false, itemCount: body.items.length, added: [], updated: [], withdrawn: [] };

  const [current] = await tx.select().from(attendeeInfo).where(eq(attendeeInfo.ticketId, ticketId));
  if (canonical(current?.items ?? []) !== canonical(body.items)) {
    changed.items = true;
    const [row] = await tx
      .insert(attendeeInfo)
      .values({ ticketId, eventId, items: body.items, updatedAt: now })
      .onConflictDoUpdate({ target: attendeeInfo.ticketId, set: { items: body.items, updatedAt: now, seq: sql`nextval('change_seq')` } })
      .returning({ seq: attendeeInfo.seq });
    bump(row!.seq);
  }

  const held = await tx
    .select()
    .from(entitlements)
    .where(and(eq(entitlements.ticketId, ticketId), eq(entitlements.active, true)))
    .for('update');
  const byKind = new Map(held.map((e) => [e.kind, e]));
  const wanted = new Set(body.entitlements.map((e) => e.kind));
  for (const e of body.entitlements) {
    const have = byKind.get(e.kind);
    const values = { label: e.label, validFrom: e.from === null ? null : new Date(e.from), validTo: e.to === null ? null : new Date(e.to), updatedAt: now };
    if (!have) {
      const [row] = await tx
        .insert(entitlements)
        .values({ id: uuidv7(), ticketId, eventId, kind: e.kind, active: true, ...values })
        .returning({ seq: entitlements.seq });
      bump(row!.seq);
      changed.added.push(e.kind);
    } else if (canonical(have.label ?? null) !== canonical(e.label) || !sameTime(have.validFrom, e.from) || !sameTime(have.validTo, e.to)) {
      const [row] = await tx
        .update(entitlements)
        .set({ ...values, seq: sql`nextval('change_seq')` })
        .where(eq(entitlements.id, have.id))
        .returning({ seq: entitlements.seq });
      bump(row!.seq);
      changed.updated.push(e.kind);
    }
  }
  for (const have of held) {
    if (wanted.has(have.kind)) continue;
    const [row] = await tx
      .update(entitlements)
      .set({ active: false, updatedAt: now, seq: sql`nextval('change_seq')` })
      .where(eq(entitlements.id, have.id))
      .returning({ seq: entitlements.seq });
    bump(row!.seq);
    changed.withdrawn.push(have.kind);
  }
  return { seq, changed };
}

/** GET /admin/v1/events/:id/kiosk-settings (404 unknown event; the defaults when none were saved). */
export async function readEventKioskSettings(db: ServerDb, eventId: string): Promise<KioskSettingsValue> {
  await assertEventExists(db, eventId);
  return readKioskSettings(db, eventId);
}

/** PUT /admin/v1/events/:id/kiosk-settings: replaces them (404 unknown event; 400 a countdown longer than
 *  the idle time). */
export async function saveKioskSettings(db: ServerDb, eventId: string, settings: KioskSettingsValue, now: Date): Promise<{ settings: KioskSettingsValue; seq: number }> {
  if (settings.countdownS > settings.idleResetS) throw new ApiFailure('bad_request', 'countdownS: longer than idleResetS');
  await assertEventExists(db, eventId);
  const [row] = await writeTx(db, (tx) =>
    tx
      .insert(kioskSettings)
      .values({ eventId, settings, updatedAt: now })
      .onConflictDoUpdate({ target: kioskSettings.eventId, set: { settings, updatedAt: now, seq: sql`nextval('change_seq')` } })
      .returning(),
  );
  return { settings: kioskSettingsOf(row!.settings), seq: row!.seq };
}
