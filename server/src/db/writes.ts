// Owns the one rule that keeps "changes since N" from skipping rows: a reader must never be handed a seq
// while a lower seq is still uncommitted. Sequence values are taken at write time but become visible at
// commit, so concurrent writers can commit out of seq order. Every write to a replicated table therefore
// runs inside writeTx, which holds a shared advisory lock; readWatermark briefly takes the same lock
// exclusively, so at that instant no writer is in flight and every seq up to the sequence's last value is
// either committed or rolled back for good. Writers still run concurrently with each other.
import { sql } from 'drizzle-orm';
import type { ServerDb } from './client';

/** Arbitrary constant shared by all server processes on one database ("ADMT"). */
const CHANGE_FEED_LOCK = 0x41444d54;

export type ServerTx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

export function writeTx<T>(db: ServerDb, work: (tx: ServerTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock_shared(${CHANGE_FEED_LOCK})`);
    return work(tx);
  });
}

/** Highest seq that is safe to hand out: nothing at or below it can still appear later. */
export function readWatermark(db: ServerDb): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHANGE_FEED_LOCK})`);
    return currentSeq(tx);
  });
}

/** The sequence's last value without any locking — good enough for a poke, which is only a hint. */
export async function currentSeq(db: ServerDb | ServerTx): Promise<number> {
  const [row] = await rowsOf<{ last_value: number | string; is_called: boolean }>(
    db,
    sql`select last_value, is_called from change_seq`,
  );
  if (!row) return 0;
  return row.is_called ? Number(row.last_value) : Number(row.last_value) - 1;
}

/** db.execute's result shape differs per driver only in typing; both carry `rows`. */
export async function rowsOf<T>(db: ServerDb | ServerTx, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
