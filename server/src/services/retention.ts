// Owns how long the server keeps attendees' personal data (names, phone digits, ID-number hashes): the
// organizer's retention setting (server_meta, else the start-up option or ADMIT_PERSONAL_DATA_RETENTION_DAYS,
// else DEFAULT_RETENTION_DAYS) and the purge that erases that data from the tickets of every event that
// ended longer ago, and masks the addresses its e-tickets were sent to. Tickets, orders, counts and the
// check-in history stay; terminals receive the erased rows through the change feed like any other edit.
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { MAX_RETENTION_DAYS, type ServerSettings } from '../adminSchemas';
import type { ServerDb } from '../db/client';
import { events, serverMeta } from '../db/schema';
import { rowsOf, writeTx } from '../db/writes';

export const DEFAULT_RETENTION_DAYS = 30;
const RETENTION_KEY = 'personal_data_retention_days';
const DAY_MS = 86_400_000;

/** Days from the environment variable, or undefined when unset; a malformed value is an error at start-up. */
export function retentionDaysFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS)
    throw new Error(`ADMIT_PERSONAL_DATA_RETENTION_DAYS must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}`);
  return days;
}

export async function readSettings(db: ServerDb, fallbackDays: number): Promise<ServerSettings> {
  const [row] = await db.select().from(serverMeta).where(eq(serverMeta.key, RETENTION_KEY));
  const stored = row ? Number(row.value) : NaN;
  return { personalDataRetentionDays: Number.isInteger(stored) && stored >= 1 ? stored : fallbackDays };
}

export async function updateSettings(db: ServerDb, patch: Partial<ServerSettings>, fallbackDays: number): Promise<ServerSettings> {
  if (patch.personalDataRetentionDays !== undefined) {
    const value = String(patch.personalDataRetentionDays);
    await db
      .insert(serverMeta)
      .values({ key: RETENTION_KEY, value })
      .onConflictDoUpdate({ target: serverMeta.key, set: { value } });
  }
  return readSettings(db, fallbackDays);
}

export interface PurgeResult {
  /** Events whose attendees' data was erased by this run. */
  eventIds: string[];
  /** Tickets that lost a name, phone digits or an ID hash. */
  tickets: number;
  /** Highest change seq written (for the poke), or null. */
  seq: number | null;
}

/** Erases the personal data of every event that ended more than `retentionDays` before `now` and was
 *  not purged yet. Each event is purged once; tickets sold afterwards carry no personal data anyway. */
export async function purgePersonalData(db: ServerDb, now: Date, retentionDays: number): Promise<PurgeResult> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const due = await db
    .select({ id: events.id })
    .from(events)
    .where(and(lt(events.endsAt, cutoff), isNull(events.personalDataPurgedAt)));
  const result: PurgeResult = { eventIds: [], tickets: 0, seq: null };
  for (const { id } of due) {
    await writeTx(db, async (tx) => {
      // Counted inside the database: an event may hold a million tickets.
      const [erased] = await rowsOf<{ n: number | string; seq: number | string | null }>(
        tx,
        sql`with erased as (
              update tickets set attendee_name = null, phone_last4 = null, id_hash = null,
                email = null, phone = null, company = null, title = null, answers = null, import_digest = null
              where event_id = ${id}::uuid
                and (attendee_name is not null or phone_last4 is not null or id_hash is not null
                  or email is not null or phone is not null or company is not null or title is not null or answers is not null)
              returning seq)
            select count(*) as n, max(seq) as seq from erased`,
      );
      // Uploaded attendee files and their reports (problem messages quote cells) go too.
      await tx.execute(sql`delete from import_files where job_id in (select id from import_jobs where event_id = ${id}::uuid)`);
      await tx.execute(sql`delete from import_problems where job_id in (select id from import_jobs where event_id = ${id}::uuid)`);
      // E-ticket deliveries keep their address masked only (as the order lists it; masking twice changes nothing).
      await tx.execute(
        sql`update deliveries set address = case when channel = 'email'
              then left(address, 1) || '***' || substring(address from position('@' in address))
              else left(address, 2) || repeat('*', greatest(length(address) - 6, 0)) || right(address, 4) end
            where order_id in (select id from orders where event_id = ${id}::uuid) and state not in ('queued', 'sending')`,
      );
      const [marked] = await tx
        .update(events)
        .set({ personalDataPurgedAt: now })
        .where(and(eq(events.id, id), isNull(events.personalDataPurgedAt)))
        .returning({ seq: events.seq });
      if (!marked) return;
      result.eventIds.push(id);
      result.tickets += Number(erased?.n ?? 0);
      result.seq = Math.max(result.seq ?? 0, marked.seq, Number(erased?.seq ?? 0));
    });
  }
  return result;
}
