// Owns the operators table: the operators synced from the server with their PIN hashes, written by
// sync through the applier below and read when someone signs in.
import type Database from 'better-sqlite3';
import type { Role } from '../../../domain/enums';
import type { ChangeAppliers } from '../sync/changes';

export type OperatorRow = { id: string; name: string; role: Role; pin_hash: string; pin_salt: string };

export interface OperatorReader {
  active(): OperatorRow[];
  /** One active operator, or null (unknown or deactivated). */
  activeById(id: string): OperatorRow | null;
}

export class OperatorStore implements OperatorReader {
  readonly #active;
  readonly #activeById;
  readonly appliers: Pick<ChangeAppliers, 'operator'>;

  constructor(sql: Database.Database) {
    this.#active = sql.prepare<[], OperatorRow>('select id, name, role, pin_hash, pin_salt from operators where active = 1');
    this.#activeById = sql.prepare<[string], OperatorRow>(
      'select id, name, role, pin_hash, pin_salt from operators where id = ? and active = 1',
    );
    const upsert = sql.prepare(`insert into operators(id, name, role, pin_hash, pin_salt, active, seq)
        values (@id, @name, @role, @pinHash, @pinSalt, @active, @seq)
        on conflict(id) do update set name=excluded.name, role=excluded.role, pin_hash=excluded.pin_hash,
          pin_salt=excluded.pin_salt, active=excluded.active, seq=excluded.seq`);
    this.appliers = { operator: (c) => void upsert.run({ ...c.row, active: c.row.active ? 1 : 0, seq: c.seq }) };
  }

  active(): OperatorRow[] {
    return this.#active.all();
  }

  activeById(id: string): OperatorRow | null {
    return this.#activeById.get(id) ?? null;
  }
}
