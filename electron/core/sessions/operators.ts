// Owns the operators table: the operators synced from the server with their PIN hashes, written by
// sync through the applier below and read when someone signs in.
import type Database from 'better-sqlite3';
import type { Role } from '../../../domain/enums';
import type { ChangeAppliers } from '../sync/changes';

export type OperatorRow = { id: string; name: string; role: Role; pin_hash: string; pin_salt: string };
/** Who an operator is, without their PIN hash: active or deactivated. */
export type OperatorName = { id: string; name: string; role: Role; active: boolean };

export interface OperatorReader {
  active(): OperatorRow[];
  /** One active operator, or null (unknown or deactivated). */
  activeById(id: string): OperatorRow | null;
  /** Any operator this terminal has received, deactivated ones too, or null (unknown). */
  known(id: string): OperatorName | null;
}

export class OperatorStore implements OperatorReader {
  readonly #active;
  readonly #activeById;
  readonly #known;
  readonly appliers: Pick<ChangeAppliers, 'operator'>;

  constructor(sql: Database.Database) {
    this.#active = sql.prepare<[], OperatorRow>('select id, name, role, pin_hash, pin_salt from operators where active = 1');
    this.#activeById = sql.prepare<[string], OperatorRow>(
      'select id, name, role, pin_hash, pin_salt from operators where id = ? and active = 1',
    );
    this.#known = sql.prepare<[string], { id: string; name: string; role: Role; active: number }>(
      'select id, name, role, active from operators where id = ?',
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

  known(id: string): OperatorName | null {
    const row = this.#known.get(id);
    return row ? { id: row.id, name: row.name, role: row.role, active: row.active === 1 } : null;
  }
}
