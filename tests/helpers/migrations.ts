// Shared by the terminal's and the server's migration-order tests: rewrites a copied drizzle
// migrations folder as if a migration had been merged "into the past" (dated before the first one),
// the case drizzle would silently skip on a database that already applied the newer ones.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type JournalEntry = { idx: number; when: number; tag: string };

/** Adds `0000_backdated` (creating table `backdated`) before every entry and renumbers the rest. */
export function backdateMigration(folder: string, journal: { entries: JournalEntry[] }): void {
  const first = journal.entries[0]!;
  journal.entries.unshift({ idx: 0, when: first.when - 1000, tag: '0000_backdated' });
  journal.entries.forEach((e, i) => {
    if (i > 0) {
      const oldTag = e.tag;
      e.idx = i;
      e.tag = String(i).padStart(4, '0') + oldTag.slice(4);
      writeFileSync(join(folder, `${e.tag}.sql`), readFileSync(join(folder, `${oldTag}.sql`)));
    }
  });
  writeFileSync(join(folder, '0000_backdated.sql'), 'CREATE TABLE backdated (id integer);');
}
