// Owns the organizer's operations on terminals and point staff: the list of terminals with their last
// status report, renaming a terminal and assigning it a check-in point (it learns both with its next
// pull; a poke makes that now), who may serve each point, and the QR code of a pairing code. Every
// change is audited (names and counts only).
import { eq, inArray, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { pairingUri, TerminalStatusReport } from '../../../domain/wire';
import type { ServerContext } from '../context';
import { checkInPoints, devices } from '../db/schema';
import { rowsOf, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { recordServerAction } from '../services/audit';
import { eventIdsByDevice, servedEventIds } from '../services/deviceEvents';
import { setPointStaff, staffOfPoint } from '../services/pointStaff';
import { type DeviceRecord, iso, isoOrNull } from '../services/rows';
import type { PointStaffRequest, TerminalItem, UpdateTerminalRequest } from './terminals-schemas';

type PointNames = Map<string, Record<string, string>>;

function terminalItem(r: DeviceRecord, eventIds: readonly string[], names: PointNames): TerminalItem {
  const report = r.status ? TerminalStatusReport.safeParse(r.status) : null;
  return {
    id: r.id,
    name: r.name,
    createdAt: iso(r.createdAt),
    lastSeenAt: isoOrNull(r.lastSeenAt),
    revokedAt: isoOrNull(r.revokedAt),
    eventIds: [...eventIds].sort(),
    assignedPointId: r.assignedPointId,
    assignedPointName: r.assignedPointId ? (names.get(r.assignedPointId) ?? null) : null,
    status:
      report?.success && r.statusAt
        ? {
            at: iso(r.statusAt),
            version: report.data.version,
            modes: report.data.modes,
            pointId: report.data.pointId,
            pointName: report.data.pointId ? (names.get(report.data.pointId) ?? null) : null,
            outbox: report.data.outbox,
            audit: report.data.audit,
            devices: report.data.devices,
          }
        : null,
  };
}

async function pointNames(ctx: ServerContext, rows: readonly DeviceRecord[]): Promise<PointNames> {
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.assignedPointId) ids.add(r.assignedPointId);
    const reported = r.status ? TerminalStatusReport.safeParse(r.status) : null;
    if (reported?.success && reported.data.pointId) ids.add(reported.data.pointId);
  }
  if (ids.size === 0) return new Map();
  const points = await ctx.db.select({ id: checkInPoints.id, name: checkInPoints.name }).from(checkInPoints).where(inArray(checkInPoints.id, [...ids]));
  return new Map(points.map((p) => [p.id, p.name]));
}

export async function listTerminals(ctx: ServerContext): Promise<TerminalItem[]> {
  const rows = await ctx.db.select().from(devices).orderBy(sql`${devices.createdAt} desc`);
  const served = await eventIdsByDevice(ctx.db);
  const names = await pointNames(ctx, rows);
  return rows.map((r) => terminalItem(r, served.get(r.id) ?? [], names));
}

/** Renames the terminal and/or assigns it a point of one of the events it serves (null: none). */
export async function updateTerminal(ctx: ServerContext, deviceId: string, patch: UpdateTerminalRequest): Promise<TerminalItem> {
  const { row, seq } = await writeTx(ctx.db, async (tx) => {
    const [device] = await tx.select().from(devices).where(eq(devices.id, deviceId)).for('update');
    if (!device) throw new ApiFailure('not_found', 'no such device');
    if (patch.pointId) {
      const [point] = await tx.select({ eventId: checkInPoints.eventId }).from(checkInPoints).where(eq(checkInPoints.id, patch.pointId));
      if (!point) throw new ApiFailure('not_found', `no check-in point ${patch.pointId}`);
      if (!(await servedEventIds(tx, deviceId)).includes(point.eventId))
        throw new ApiFailure('bad_request', `pointId: check-in point ${patch.pointId} is not of an event this terminal serves`);
    }
    const [updated] = await tx
      .update(devices)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.pointId !== undefined ? { assignedPointId: patch.pointId } : {}),
      })
      .where(eq(devices.id, deviceId))
      .returning();
    // A change number of its own, so a poke with it makes the terminal pull (and learn this) now.
    const [taken] = await rowsOf<{ seq: number | string }>(tx, sql`select nextval('change_seq') as seq`);
    return { row: updated!, seq: Number(taken!.seq) };
  });
  ctx.hub.poke(seq);
  await recordServerAction(
    ctx.db,
    'terminal_updated',
    deviceId,
    {
      ...(patch.name !== undefined ? { name: patch.name.slice(0, 200) } : {}),
      ...(patch.pointId !== undefined ? { pointId: patch.pointId } : {}),
    },
    ctx.now(),
  );
  const names = await pointNames(ctx, [row]);
  return terminalItem(row, await servedEventIds(ctx.db, deviceId), names);
}

export async function pointStaff(ctx: ServerContext, pointId: string) {
  const [point] = await ctx.db.select({ id: checkInPoints.id }).from(checkInPoints).where(eq(checkInPoints.id, pointId));
  if (!point) throw new ApiFailure('not_found', `no check-in point ${pointId}`);
  const staff = await staffOfPoint(ctx.db, pointId);
  return { pointId, operatorIds: [...staff.operatorIds].sort(), deviceIds: [...staff.deviceIds].sort() };
}

export async function updatePointStaff(ctx: ServerContext, pointId: string, body: PointStaffRequest) {
  const written = await setPointStaff(ctx.db, pointId, body);
  ctx.hub.poke(written.seq);
  await recordServerAction(
    ctx.db,
    'point_staff_set',
    pointId,
    { operators: written.point.operatorIds.length, devices: written.point.deviceIds.length },
    ctx.now(),
  );
  return { pointId, operatorIds: written.point.operatorIds, deviceIds: written.point.deviceIds };
}

/** The QR code of a pairing: the URI (pairingUri) and the same as a PNG data URL. */
export async function pairingQr(serverUrl: string, code: string): Promise<{ qrPayload: string; qrDataUrl: string }> {
  const qrPayload = pairingUri(serverUrl.replace(/\/+$/, ''), code);
  const qrDataUrl = await QRCode.toDataURL(qrPayload, { errorCorrectionLevel: 'M', margin: 2, width: 256 });
  return { qrPayload, qrDataUrl };
}
