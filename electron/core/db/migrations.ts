// Owns the rule that migrations only move forward. drizzle's migrator applies every journal entry
// newer than the last one recorded in the database and silently skips an entry dated earlier — so a
// migration merged "into the past" would never run. We refuse to start instead.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type JournalEntry = { idx: number; when: number; tag: string };
export type Journal = { entries: JournalEntry[] };

export class MigrationOrderError extends Error {
  override name = 'MigrationOrderError';
}

export function readJournal(folder: string): Journal {
  const file = join(folder, 'meta', '_journal.json');
  if (!existsSync(file)) throw new MigrationOrderError(`migration journal missing in ${folder}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Journal;
}

/** Checks the journal itself: consecutive indexes, strictly increasing dates, names that match. */
export function checkJournalOrder(journal: Journal, folder?: string): void {
  journal.entries.forEach((entry, i) => {
    if (entry.idx !== i) throw new MigrationOrderError(`migration ${entry.tag}: index ${entry.idx}, expected ${i}`);
    if (!entry.tag.startsWith(String(i).padStart(4, '0') + '_'))
      throw new MigrationOrderError(`migration ${entry.tag}: name does not start with its index ${i}`);
    const prev = journal.entries[i - 1];
    if (prev && entry.when <= prev.when)
      throw new MigrationOrderError(`migration ${entry.tag} is dated before ${prev.tag}: order goes backwards`);
    if (folder && !existsSync(join(folder, `${entry.tag}.sql`)))
      throw new MigrationOrderError(`migration ${entry.tag}.sql is missing`);
  });
}

export const migrationHash = (folder: string, tag: string): string =>
  createHash('sha256').update(readFileSync(join(folder, `${tag}.sql`))).digest('hex');

/** Checks the journal against what a database already applied (hash + created_at as drizzle records
 *  them): an unapplied migration dated at or before the newest applied one would be skipped. */
export function checkAgainstApplied(
  journal: Journal,
  folder: string,
  applied: ReadonlyArray<{ hash: string; createdAt: number }>,
): void {
  if (applied.length === 0) return;
  const newest = Math.max(...applied.map((a) => a.createdAt));
  const hashes = new Set(applied.map((a) => a.hash));
  for (const entry of journal.entries) {
    if (entry.when <= newest && !hashes.has(migrationHash(folder, entry.tag)))
      throw new MigrationOrderError(
        `migration ${entry.tag} is dated before the newest applied migration and would be skipped`,
      );
  }
}
