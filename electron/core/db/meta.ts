// Owns the meta table: the terminal's small named values (pairing, last change number, check-in point,
// print language, device list, deferred indexes). Each key belongs to the feature that sets it; this is
// only their shared key-value store, on prepared statements.
import type Database from 'better-sqlite3';

export class Meta {
  readonly #get;
  readonly #set;
  readonly #del;

  constructor(sql: Database.Database) {
    this.#get = sql.prepare<[string], { value: string }>('select value from meta where key = ?');
    this.#set = sql.prepare<[string, string]>('insert into meta(key, value) values (?, ?) on conflict(key) do update set value = excluded.value');
    this.#del = sql.prepare<[string]>('delete from meta where key = ?');
  }

  getMeta(key: string): string | null {
    return this.#get.get(key)?.value ?? null;
  }

  setMeta(key: string, value: string | null): void {
    if (value === null) this.#del.run(key);
    else this.#set.run(key, value);
  }
}

/** Runs `fn` in one SQLite transaction (nested calls become savepoints), so a flow that spans several
 *  features' tables is written whole or not at all. */
export type Transaction = <T>(fn: () => T) => T;
export const transactionOf =
  (sql: Database.Database): Transaction =>
  (fn) =>
    sql.transaction(fn)();
