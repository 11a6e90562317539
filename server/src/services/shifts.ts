// Owns the box-office shift reports as managers read them: the X and Z reports terminals pushed
// (stored by the push, services/checkins.ts), newest first, with the terminal's name.
import { and, desc, eq } from 'drizzle-orm';
import { ShiftTotals } from '../../../domain/shifts';
import type { ShiftReportItem } from '../adminSchemas';
import type { ServerDb } from '../db/client';
import { devices, shiftReports } from '../db/schema';
import { iso } from './rows';

export async function listShiftReports(
  db: ServerDb,
  query: { limit: number; deviceId?: string | undefined; shiftId?: string | undefined },
): Promise<ShiftReportItem[]> {
  const rows = await db
    .select({ r: shiftReports, deviceName: devices.name })
    .from(shiftReports)
    .innerJoin(devices, eq(devices.id, shiftReports.deviceId))
    .where(
      and(
        query.deviceId ? eq(shiftReports.deviceId, query.deviceId) : undefined,
        query.shiftId ? eq(shiftReports.shiftId, query.shiftId) : undefined,
      ),
    )
    .orderBy(desc(shiftReports.at), desc(shiftReports.id))
    .limit(query.limit);
  return rows.map(({ r, deviceName }) => ({
    id: r.id,
    deviceId: r.deviceId,
    deviceName,
    shiftId: r.shiftId,
    report: r.report,
    at: iso(r.at),
    openedAt: iso(r.openedAt),
    openedBy: r.openedBy,
    closedAt: r.closedAt ? iso(r.closedAt) : null,
    closedBy: r.closedBy,
    countedMinor: r.countedMinor,
    varianceMinor: r.varianceMinor,
    totals: ShiftTotals.parse(r.totals),
    receivedAt: iso(r.receivedAt),
  }));
}
