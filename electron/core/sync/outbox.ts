// Owns the outbox: the records this terminal still has to push to the server (outbox) and the ones the
// server refused as invalid (outbox_rejected, kept rather than dropped). Other features only enqueue
// records built by domain/outbox's constructors, inside their own transaction; sync reads them back
// through the push schema and settles them with the server's answers.
import type Database from 'better-sqlite3';
import { PushRecord } from '../../../domain/outbox';
import type { PushResponse } from '../../../domain/wire';

/** A queued outbox row: its record, or why it is not one (then it is settled as invalid, never sent). */
export type OutboxEntry = { id: string; record: PushRecord } | { id: string; record: null; problem: string };
export type PushResult = PushResponse['results'][number];

/** What a feature may do with the outbox: queue a record (within its own transaction). */
export interface OutboxWriter {
  enqueue(record: PushRecord, createdAt: string): void;
}

/** What may be read of the outbox outside sync (status, tests). */
export interface OutboxReader {
  count(): number;
  batch(limit: number): OutboxEntry[];
}

export class Outbox implements OutboxWriter, OutboxReader {
  readonly #sql: Database.Database;
  readonly #st;

  constructor(sql: Database.Database) {
    this.#sql = sql;
    this.#st = {
      insert: sql.prepare<[string, string, string, string]>('insert into outbox(id, kind, payload, created_at) values (?, ?, ?, ?)'),
      batch: sql.prepare<[number], { id: string; payload: string }>('select id, payload from outbox order by id limit ?'),
      count: sql.prepare<[], { n: number }>('select count(*) as n from outbox'),
      remove: sql.prepare<[string]>('delete from outbox where id = ?'),
      reject: sql.prepare<[string | null, string, string]>(`insert or replace into outbox_rejected(id, kind, payload, detail, rejected_at)
        select id, kind, payload, ?, ? from outbox where id = ?`),
    };
  }

  /** Queues a record for the server; records come only from the domain's constructors (validated). */
  enqueue(record: PushRecord, createdAt: string): void {
    this.#st.insert.run(record.id, record.kind, JSON.stringify(record), createdAt);
  }

  /** The oldest queued records, each read back through the push schema: a row that no longer is a
   *  record (written by an older version, or damaged) comes back with its problem instead. */
  batch(limit: number): OutboxEntry[] {
    return this.#st.batch.all(limit).map((r): OutboxEntry => {
      let payload: unknown;
      try {
        payload = JSON.parse(r.payload);
      } catch {
        return { id: r.id, record: null, problem: 'payload is not JSON' };
      }
      const parsed = PushRecord.safeParse(payload);
      if (parsed.success) return { id: r.id, record: parsed.data };
      const issue = parsed.error.issues[0];
      return { id: r.id, record: null, problem: `${issue?.path.map(String).join('.') || '(record)'}: ${issue?.message ?? 'invalid'}` };
    });
  }

  count(): number {
    return this.#st.count.get()?.n ?? 0;
  }

  /** Takes answered records out of the outbox (an invalid one moves to outbox_rejected rather than
   *  vanishing) and lets `settled` apply the answers to its own tables, all in one transaction. */
  settle(results: readonly PushResult[], settled: (results: readonly PushResult[]) => void): void {
    const st = this.#st;
    const now = new Date().toISOString();
    this.#sql.transaction(() => {
      for (const r of results) {
        if (r.status === 'invalid') st.reject.run(r.detail ?? null, now, r.id);
        st.remove.run(r.id);
      }
      settled(results);
    })();
  }
}
