// Owns the rule that database migrations only move forward, for the terminal's SQLite and the server's
// PostgreSQL alike. drizzle's migrators apply every journal entry dated after the newest one recorded in
// the database and silently skip an entry dated earlier — so a migration merged "into the past" would
// never run. Both databases refuse to start instead. Pure: the callers read the journal and the applied
// rows (files, SQL) and hand them in.

export type JournalEntry = { idx: number; when: number; tag: string };
export type Journal = { entries: JournalEntry[] };
/** A row of drizzle's `__drizzle_migrations`: the SQL file's sha256 and the journal date it was made with. */
export type AppliedMigration = { hash: string; createdAt: number };

export class MigrationOrderError extends Error {
  override name = 'MigrationOrderError';
}

/** Checks the journal itself: consecutive indexes, strictly increasing dates, names that match.
 *  `hasFile` (when given) says whether the entry's SQL file is present. */
export function checkJournalOrder(journal: Journal, hasFile?: (tag: string) => boolean): void {
  journal.entries.forEach((entry, i) => {
    if (entry.idx !== i) throw new MigrationOrderError(`migration ${entry.tag}: index ${entry.idx}, expected ${i}`);
    if (!entry.tag.startsWith(String(i).padStart(4, '0') + '_'))
      throw new MigrationOrderError(`migration ${entry.tag}: name does not start with its index ${i}`);
    const prev = journal.entries[i - 1];
    if (prev && entry.when <= prev.when)
      throw new MigrationOrderError(`migration ${entry.tag} is dated before ${prev.tag}: order goes backwards`);
    if (hasFile && !hasFile(entry.tag)) throw new MigrationOrderError(`migration ${entry.tag}.sql is missing`);
  });
}

/** Checks the journal against what a database already applied: an unapplied migration dated at or
 *  before the newest applied one would be skipped. `hashOf` gives an entry's SQL file hash. */
export function checkAgainstApplied(
  journal: Journal,
  hashOf: (tag: string) => string,
  applied: ReadonlyArray<AppliedMigration>,
): void {
  if (applied.length === 0) return;
  const newest = Math.max(...applied.map((a) => a.createdAt));
  const hashes = new Set(applied.map((a) => a.hash));
  for (const entry of journal.entries) {
    if (entry.when <= newest && !hashes.has(hashOf(entry.tag)))
      throw new MigrationOrderError(`migration ${entry.tag} is dated before the newest applied migration and would be skipped`);
  }
}
