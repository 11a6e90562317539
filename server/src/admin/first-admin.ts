// Owns the first admin operator of an installation started without the demo: when no admin operator
// exists yet, one named "Administrator" is created with a random 8-digit PIN, which the caller shows
// once (main.ts prints it to the console, never to the log); it is changed in admin mode like any other.
import { randomInt } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { PIN_MAX_LENGTH } from '../../../domain/pins';
import type { ServerDb } from '../db/client';
import { operators } from '../db/schema';
import { writeTx } from '../db/writes';
import type { Keyring } from '../keyring';
import { recordServerAction } from '../services/audit';
import { operatorValues } from '../services/operators';

export const FIRST_ADMIN_NAME = 'Administrator';
/** Two server processes starting on one empty database create one admin between them. */
const FIRST_ADMIN_LOCK = 0x41444d31;

/** A PIN of PIN_MAX_LENGTH random digits. */
export function newFirstAdminPin(): string {
  return String(randomInt(0, 10 ** PIN_MAX_LENGTH)).padStart(PIN_MAX_LENGTH, '0');
}

/** Creates the first admin operator when there is no admin operator at all (active or not), and answers
 *  it with its PIN; null when one exists. */
export async function ensureFirstAdmin(
  db: ServerDb,
  keyring: Keyring,
  now: Date,
): Promise<{ operatorId: string; name: string; pin: string } | null> {
  const pin = newFirstAdminPin();
  const values = await operatorValues({ name: FIRST_ADMIN_NAME, role: 'admin', pin }, keyring.pinKey);
  const created = await writeTx(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`);
    const [existing] = await tx.select({ id: operators.id }).from(operators).where(eq(operators.role, 'admin')).limit(1);
    if (existing) return null;
    const [row] = await tx.insert(operators).values(values).returning({ id: operators.id });
    return row!.id;
  });
  if (!created) return null;
  await recordServerAction(db, 'first_admin_created', created, { name: FIRST_ADMIN_NAME }, now);
  return { operatorId: created, name: FIRST_ADMIN_NAME, pin };
}
