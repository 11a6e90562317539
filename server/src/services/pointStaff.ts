// Owns who may serve each check-in point (table point_staff): the lists as they replicate with the point
// (CheckInPointRow.operatorIds / deviceIds), replacing them (the point's seq is re-stamped so terminals
// pull the new lists), and the server's own check that a claim or pushed check-in comes from a terminal
// allowed at its point (forbidden_point otherwise). Operators are checked by the terminal at sign-in
// time; the server sees devices only (a claim carries no operator).
import { eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { ServerDb } from '../db/client';
import { checkInPoints, devices, operators, pointStaff } from '../db/schema';
import { rowsOf, type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { ANYONE, checkInPointRow, type PointStaffLists } from './rows';

type Db = ServerDb | ServerTx;

/** The staff lists of these points (a point without rows: anyone). */
export async function staffOfPoints(db: Db, pointIds: readonly string[]): Promise<Map<string, PointStaffLists>> {
  const out = new Map<string, PointStaffLists>();
  if (pointIds.length === 0) return out;
  const rows = await db.select().from(pointStaff).where(inArray(pointStaff.pointId, [...pointIds]));
  for (const r of rows) {
    const lists = out.get(r.pointId) ?? { operatorIds: [], deviceIds: [] };
    if (r.operatorId) lists.operatorIds.push(r.operatorId);
    if (r.deviceId) lists.deviceIds.push(r.deviceId);
    out.set(r.pointId, lists);
  }
  return out;
}

export async function staffOfPoint(db: Db, pointId: string): Promise<PointStaffLists> {
  return (await staffOfPoints(db, [pointId])).get(pointId) ?? ANYONE;
}

/** Of these points, the ones that name their terminals and not this device. */
export async function pointsClosedToDevice(db: Db, deviceId: string, pointIds: readonly (string | null)[]): Promise<Set<string>> {
  const ids = [...new Set(pointIds.filter((p): p is string => p !== null))];
  if (ids.length === 0) return new Set();
  const rows = await rowsOf<{ point_id: string }>(
    db,
    sql`select point_id from point_staff
        where point_id = any(${sql.param(ids)}::uuid[]) and device_id is not null
        group by point_id
        having not bool_or(device_id = ${deviceId}::uuid)`,
  );
  return new Set(rows.map((r) => r.point_id));
}

/** Refuses (403 forbidden_point) a claim at a point whose terminals the organizer named, from another. */
export async function assertDeviceAtPoint(db: Db, deviceId: string, pointId: string | null): Promise<void> {
  if ((await pointsClosedToDevice(db, deviceId, [pointId])).size > 0)
    throw new ApiFailure('forbidden_point', `this device may not serve check-in point ${pointId}`);
}

/** Replaces who may serve the point (empty lists: anyone). Every operator and device named must exist.
 *  The point's row is re-stamped (its seq moves), so its new lists reach the terminals with the next pull. */
export async function setPointStaff(db: ServerDb, pointId: string, lists: PointStaffLists) {
  const operatorIds = [...new Set(lists.operatorIds.map((id) => id.toLowerCase()))];
  const deviceIds = [...new Set(lists.deviceIds.map((id) => id.toLowerCase()))];
  return writeTx(db, async (tx) => {
    const [point] = await tx.select().from(checkInPoints).where(eq(checkInPoints.id, pointId)).for('no key update');
    if (!point) throw new ApiFailure('not_found', `no check-in point ${pointId}`);
    if (operatorIds.length > 0) {
      const known = new Set((await tx.select({ id: operators.id }).from(operators).where(inArray(operators.id, operatorIds))).map((r) => r.id));
      const missing = operatorIds.find((id) => !known.has(id));
      if (missing) throw new ApiFailure('not_found', `no operator ${missing}`);
    }
    if (deviceIds.length > 0) {
      const known = new Set((await tx.select({ id: devices.id }).from(devices).where(inArray(devices.id, deviceIds))).map((r) => r.id));
      const missing = deviceIds.find((id) => !known.has(id));
      if (missing) throw new ApiFailure('not_found', `no device ${missing}`);
    }
    await tx.delete(pointStaff).where(eq(pointStaff.pointId, pointId));
    const rows = [
      ...operatorIds.map((operatorId) => ({ id: uuidv7(), pointId, operatorId, deviceId: null })),
      ...deviceIds.map((deviceId) => ({ id: uuidv7(), pointId, operatorId: null, deviceId })),
    ];
    if (rows.length > 0) await tx.insert(pointStaff).values(rows);
    // An update that changes nothing still re-stamps the seq (bump_change_seq trigger).
    const [restamped] = await tx.update(checkInPoints).set({ active: point.active }).where(eq(checkInPoints.id, pointId)).returning();
    return { point: checkInPointRow(restamped!, { operatorIds, deviceIds }), seq: restamped!.seq };
  });
}
