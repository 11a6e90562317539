// A second connection to a terminal's SQLite file, for tests and benchmarks that look at rows directly
// (or seed what no feature writes); the core's own modules never hand their connection out.
import Database from 'better-sqlite3';
import { join } from 'node:path';

export function openTerminalDb(dataDir: string, options: Database.Options = {}): Database.Database {
  const db = new Database(join(dataDir, 'terminal.sqlite'), options);
  db.pragma('busy_timeout = 5000');
  return db;
}
