// Owns the audit_log table: appending an entry to this terminal's hash chain (the head read and the new
// row written in one transaction, so two entries never claim the same seq), reading entries back for the
// server and the manager, and walking the whole chain to check it still verifies.
import type Database from 'better-sqlite3';
import { AuditDetail, canonicalDetail, type AuditAction, type AuditEntry } from '../../../domain/audit';
import { auditHash, followChain, GENESIS, type ChainHead } from '../../../domain/audit-chain';

/** A row as stored; read loosely, since a row changed by hand may hold anything. */
type Row = {
  seq: number;
  id: string;
  at: string;
  device_id: string | null;
  operator_id: string | null;
  action: string;
  subject: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
};

export type NewEntry = {
  action: AuditAction;
  at: string;
  id: string;
  deviceId: string | null;
  operatorId: string | null;
  subject: string | null;
  detail: AuditDetail;
};

export type ChainCheck = { length: number; firstBreakSeq: number | null; broken: ReadonlySet<number> };

const entryOf = (r: Row): AuditEntry => ({
  id: r.id,
  seq: Number(r.seq),
  at: r.at,
  deviceId: r.device_id,
  operatorId: r.operator_id,
  action: r.action,
  subject: r.subject,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export class AuditStore {
  readonly #sql: Database.Database;
  readonly #st;

  constructor(sql: Database.Database) {
    this.#sql = sql;
    this.#st = {
      head: sql.prepare<[], { seq: number; hash: string }>('select seq, hash from audit_log order by seq desc limit 1'),
      insert: sql.prepare(`insert into audit_log(seq, id, at, device_id, operator_id, action, subject, detail, prev_hash, hash)
        values (@seq, @id, @at, @deviceId, @operatorId, @action, @subject, @detail, @prevHash, @hash)`),
      after: sql.prepare<[number, number], Row>('select * from audit_log where seq > ? order by seq limit ?'),
      recent: sql.prepare<[number], Row>('select * from audit_log order by seq desc limit ?'),
      all: sql.prepare<[], Row>('select * from audit_log order by seq'),
      // Names for display only: the operators table is the sessions feature's, read here, never written.
      names: sql.prepare<[], { id: string; name: string }>('select id, name from operators'),
    };
  }

  /** Appends one entry after the chain's head and returns it. Throws (a ZodError) on a detail that is
   *  not one (a secret-looking key, a long text): a bug at the recording site, never a row. */
  append(e: NewEntry): AuditEntry {
    const detail = canonicalDetail(AuditDetail.parse(e.detail));
    return this.#sql.transaction(() => {
      const head: ChainHead = this.#st.head.get() ?? GENESIS;
      const unhashed = {
        id: e.id,
        seq: Number(head.seq) + 1,
        at: e.at,
        deviceId: e.deviceId,
        operatorId: e.operatorId,
        action: e.action,
        subject: e.subject,
        detail,
        prevHash: head.hash,
      };
      const entry: AuditEntry = { ...unhashed, hash: auditHash(unhashed) };
      this.#st.insert.run(entry);
      return entry;
    })();
  }

  /** The entries after `seq`, oldest first. */
  after(seq: number, limit: number): AuditEntry[] {
    return this.#st.after.all(seq, limit).map(entryOf);
  }

  /** The newest entries, newest first. */
  recent(limit: number): AuditEntry[] {
    return this.#st.recent.all(limit).map(entryOf);
  }

  headSeq(): number {
    return Number(this.#st.head.get()?.seq ?? 0);
  }

  /** Walks the whole chain from its first entry: every entry that does not verify, and the first. */
  check(): ChainCheck {
    let head = GENESIS;
    let length = 0;
    let first: number | null = null;
    const broken = new Set<number>();
    for (const row of this.#st.all.iterate()) {
      const e = entryOf(row);
      const next = followChain(head, e);
      if (next.breaks.length > 0) {
        broken.add(e.seq);
        first ??= e.seq;
      }
      head = next.head;
      length += 1;
    }
    return { length, firstBreakSeq: first, broken };
  }

  operatorNames(): Map<string, string> {
    return new Map(this.#st.names.all().map((r) => [r.id, r.name]));
  }
}
