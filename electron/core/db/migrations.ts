// Owns reading the terminal's migration folder for the forward-only rule, which lives in
// domain/migration-order.ts and is shared with the server: a migration merged "into the past" would be
// skipped silently by drizzle's migrator, so the terminal refuses to start instead.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkAgainstApplied as checkAppliedOrder,
  checkJournalOrder as checkOrder,
  MigrationOrderError,
  type AppliedMigration,
  type Journal,
} from '../../../domain/migration-order';

export { MigrationOrderError, type Journal, type JournalEntry } from '../../../domain/migration-order';

export function readJournal(folder: string): Journal {
  const file = join(folder, 'meta', '_journal.json');
  if (!existsSync(file)) throw new MigrationOrderError(`migration journal missing in ${folder}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Journal;
}

/** Checks the journal itself: consecutive indexes, strictly increasing dates, names that match, and
 *  (with a folder) that every entry's SQL file is there. */
export function checkJournalOrder(journal: Journal, folder?: string): void {
  checkOrder(journal, folder ? (tag) => existsSync(join(folder, `${tag}.sql`)) : undefined);
}

export const migrationHash = (folder: string, tag: string): string =>
  createHash('sha256').update(readFileSync(join(folder, `${tag}.sql`))).digest('hex');

/** Checks the journal against what a database already applied (hash + created_at as drizzle records
 *  them): an unapplied migration dated at or before the newest applied one would be skipped. */
export function checkAgainstApplied(journal: Journal, folder: string, applied: ReadonlyArray<AppliedMigration>): void {
  checkAppliedOrder(journal, (tag) => migrationHash(folder, tag), applied);
}
