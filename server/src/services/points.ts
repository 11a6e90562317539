// Owns check-in points: where and how tickets are checked (entry or exit, re-entry policy, zone, opening
// windows, auto checkout, the entitlement a point redeems). Points replicate to terminals as
// 'check_in_point' changes; an edit re-stamps the row's seq (trigger), so the change reaches every
// terminal with the next poke.
import { asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { CheckInPointRow } from '../../../domain/wire';
import type { CreatePointRequest, UpdatePointRequest } from '../adminSchemas';
import type { ServerDb } from '../db/client';
import { checkInPoints, events, ticketTypes } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { staffOfPoint, staffOfPoints } from './pointStaff';
import { checkInPointRow } from './rows';

export interface WrittenPoint {
  point: CheckInPointRow;
  seq: number;
}

async function checkTypesOfEvent(tx: ServerTx, eventId: string, typeIds: readonly string[]): Promise<void> {
  if (typeIds.length === 0) return;
  const known = new Set(
    (await tx.select({ id: ticketTypes.id }).from(ticketTypes).where(eq(ticketTypes.eventId, eventId))).map((t) => t.id),
  );
  const unknown = typeIds.find((id) => !known.has(id));
  if (unknown) throw new ApiFailure('unknown_ticket_type', `no ticket type ${unknown} in event ${eventId}`);
}

export async function createPoint(db: ServerDb, eventId: string, input: CreatePointRequest): Promise<WrittenPoint> {
  return writeTx(db, async (tx) => {
    const [event] = await tx.select({ id: events.id }).from(events).where(eq(events.id, eventId));
    if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
    await checkTypesOfEvent(tx, eventId, input.ticketTypeIds);
    const id = input.id ?? uuidv7();
    const [row] = await tx
      .insert(checkInPoints)
      .values({
        id,
        eventId,
        name: input.name,
        ticketTypeIds: [...new Set(input.ticketTypeIds)],
        zone: input.zone,
        direction: input.direction,
        reentry: input.reentry,
        windows: input.windows,
        autoCheckoutAt: input.autoCheckoutAt,
        active: input.active,
        entitlement: input.entitlement,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ApiFailure('bad_request', `check-in point ${id} already exists`);
    return { point: checkInPointRow(row), seq: row.seq };
  });
}

export async function updatePoint(db: ServerDb, pointId: string, patch: UpdatePointRequest): Promise<WrittenPoint> {
  return writeTx(db, async (tx) => {
    const [current] = await tx.select().from(checkInPoints).where(eq(checkInPoints.id, pointId)).for('no key update');
    if (!current) throw new ApiFailure('not_found', `no check-in point ${pointId}`);
    if (patch.ticketTypeIds) await checkTypesOfEvent(tx, current.eventId, patch.ticketTypeIds);
    const [row] = await tx
      .update(checkInPoints)
      .set({
        ...patch,
        ...(patch.ticketTypeIds ? { ticketTypeIds: [...new Set(patch.ticketTypeIds)] } : {}),
      })
      .where(eq(checkInPoints.id, pointId))
      .returning();
    return { point: checkInPointRow(row!, await staffOfPoint(tx, pointId)), seq: row!.seq };
  });
}

export async function listPoints(db: ServerDb, eventId: string): Promise<CheckInPointRow[]> {
  const [event] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
  if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
  const rows = await db
    .select()
    .from(checkInPoints)
    .where(eq(checkInPoints.eventId, eventId))
    .orderBy(asc(checkInPoints.createdAt), asc(checkInPoints.id));
  const staff = await staffOfPoints(db, rows.map((r) => r.id));
  return rows.map((r) => checkInPointRow(r, staff.get(r.id)));
}
