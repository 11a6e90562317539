// Owns single-use admission at the server: online claims and pushed (offline or unconfirmed) check-ins.
// The unique partial index "one accepted check-in per ticket" is the arbiter, so concurrent gates cannot
// both be told "accepted"; INSERT … ON CONFLICT DO NOTHING waits for a racing insert to settle first.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { CheckinListItem, ClaimResponse, PushRecord, PushResponse } from '../../protocol';
import type { ServerDb } from '../db/client';
import { checkins, devices, tickets } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { iso } from './rows';

type Status = 'accepted' | 'duplicate' | 'conflict';

async function insertCheckin(
  tx: ServerTx,
  row: { id: string; ticketId: string; deviceId: string; at: Date; status: 'accepted' | 'conflict'; receivedAt: Date },
): Promise<number | null> {
  const [inserted] = await tx.insert(checkins).values(row).onConflictDoNothing().returning({ seq: checkins.seq });
  return inserted ? inserted.seq : null;
}

async function acceptedFor(tx: ServerTx, ticketId: string) {
  const [first] = await tx
    .select()
    .from(checkins)
    .where(and(eq(checkins.ticketId, ticketId), eq(checkins.status, 'accepted')));
  return first ?? null;
}

export interface ClaimOutcome {
  response: ClaimResponse;
  seq: number | null;
}

/** A refused claim is not recorded: the terminal refuses the entry, so nothing happened at the gate. */
export async function claimTicket(
  db: ServerDb,
  deviceId: string,
  req: { checkinId: string; ticketId: string; at: string },
  now: Date,
): Promise<ClaimOutcome> {
  return writeTx(db, async (tx) => {
    const [ticket] = await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, req.ticketId));
    if (!ticket) throw new ApiFailure('not_found', `no ticket ${req.ticketId}`);

    const seq = await insertCheckin(tx, {
      id: req.checkinId,
      ticketId: req.ticketId,
      deviceId,
      at: new Date(req.at),
      status: 'accepted',
      receivedAt: now,
    });
    if (seq !== null) return { seq, response: { status: 'accepted', firstAt: null } };

    const [same] = await tx.select().from(checkins).where(eq(checkins.id, req.checkinId));
    const first = await acceptedFor(tx, req.ticketId);
    // Same check-in id again (a retried claim): only "duplicate" if that check-in is the one that stands.
    if (same && (same.status === 'accepted' || !first))
      return { seq: null, response: { status: 'duplicate', firstAt: null } };
    return { seq: null, response: { status: 'conflict', firstAt: first ? iso(first.at) : null } };
  });
}

export interface PushOutcome {
  response: PushResponse;
  seq: number | null;
}

/** Every record is answered and kept: a second admission becomes a 'conflict' row, never dropped. */
export async function pushRecords(
  db: ServerDb,
  deviceId: string,
  records: PushRecord[],
  now: Date,
): Promise<PushOutcome> {
  return writeTx(db, async (tx) => {
    const ticketIds = [...new Set(records.map((r) => r.ticketId))];
    const known = new Set(
      (await tx.select({ id: tickets.id }).from(tickets).where(inArray(tickets.id, ticketIds))).map((t) => t.id),
    );
    let maxSeq: number | null = null;
    const results: PushResponse['results'] = [];
    for (const record of records) {
      const row = { id: record.id, ticketId: record.ticketId, deviceId, at: new Date(record.at), receivedAt: now };
      let status: Status;
      let seq: number | null = null;
      if (known.has(record.ticketId)) seq = await insertCheckin(tx, { ...row, status: 'accepted' });
      if (seq !== null) status = 'accepted';
      else {
        // Either this id is already stored (duplicate) or the ticket was already admitted / is unknown here
        // (conflict, kept for the organizer). The id's primary key decides which, race-free.
        seq = await insertCheckin(tx, { ...row, status: 'conflict' });
        status = seq === null ? 'duplicate' : 'conflict';
      }
      if (seq !== null) maxSeq = Math.max(maxSeq ?? 0, seq);
      results.push({ id: record.id, status });
    }
    return { seq: maxSeq, response: { results } };
  });
}

export async function listCheckins(
  db: ServerDb,
  query: { limit: number; status?: 'accepted' | 'conflict' | undefined; ticketId?: string | undefined },
): Promise<CheckinListItem[]> {
  const filters = [
    query.status ? eq(checkins.status, query.status) : undefined,
    query.ticketId ? eq(checkins.ticketId, query.ticketId) : undefined,
  ].filter((f) => f !== undefined);
  const rows = await db
    .select({
      id: checkins.id,
      ticketId: checkins.ticketId,
      ticketCode: tickets.code,
      deviceId: checkins.deviceId,
      deviceName: devices.name,
      at: checkins.at,
      status: checkins.status,
    })
    .from(checkins)
    .leftJoin(tickets, eq(tickets.id, checkins.ticketId))
    .innerJoin(devices, eq(devices.id, checkins.deviceId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(checkins.seq))
    .limit(query.limit);
  // A pushed check-in for a ticket unknown to this server has no code to show.
  return rows.map((r) => ({ ...r, ticketCode: r.ticketCode ?? '', at: iso(r.at) }));
}
