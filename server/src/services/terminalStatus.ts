// Owns what the server keeps of each terminal besides its identity: the last status report it sent
// (POST /v1/status, stored as sent with its time) and what the organizer set for it (name, assigned
// check-in point), which goes back to the terminal with every pull (ChangesResponse.terminal).
import { eq } from 'drizzle-orm';
import type { ChangesResponse, TerminalStatusReport } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import { devices } from '../db/schema';

export async function storeStatusReport(db: ServerDb, deviceId: string, report: TerminalStatusReport, now: Date): Promise<void> {
  await db.update(devices).set({ status: report, statusAt: now }).where(eq(devices.id, deviceId));
}

/** The organizer's settings of a terminal, as its pull carries them. */
export async function terminalSettings(db: ServerDb, deviceId: string): Promise<NonNullable<ChangesResponse['terminal']>> {
  const [row] = await db.select({ name: devices.name, pointId: devices.assignedPointId }).from(devices).where(eq(devices.id, deviceId));
  return { name: row?.name ?? '', pointId: row?.pointId ?? null };
}
