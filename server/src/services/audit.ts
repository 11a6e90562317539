// Owns the audit trails at the server: each device's chain as its terminal pushes it (POST /v1/audit),
// verified entry by entry — hash, prevHash, seq continuity, content sent again — with every break
// recorded and visible while the entries after it are still stored; the server's own chain of admin API
// writes and pairings; and reading both back for the organizer, including a fresh walk of a stored chain.
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  AuditDetail,
  AuditEntry,
  canonicalDetail,
  GENESIS_HASH,
  type AuditAction,
  type AuditBreakKind,
  type AuditPushResponse,
} from '../../../domain/audit';
import { auditHash, followChain, GENESIS, type ChainBreak, type ChainHead } from '../../../domain/audit-chain';
import type { ServerDb } from '../db/client';
import { auditBreaks, auditChains, auditEntries } from '../db/schema';
import type { ServerTx } from '../db/writes';
import { actorDetail, currentActor } from '../admin/actor';

/** The chain of the server's own actions; a device's chain is named by its id. */
export const SERVER_CHAIN = 'server';

export const AuditEntriesQuery = z
  .object({
    chain: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** Entries of `chain` below this seq (paging back through one chain). */
    beforeSeq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
export const AuditBreaksQuery = z
  .object({ chain: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();
export const AuditVerifyQuery = z.object({ chain: z.string().min(1).max(64) }).strict();

export type StoredAuditEntry = AuditEntry & { chain: string; hashOk: boolean; receivedAt: string };
export type AuditBreakItem = { id: string; chain: string; seq: number | null; kind: string; detail: string; detectedAt: string };
export type AuditChainItem = { chain: string; headSeq: number; breaks: number; updatedAt: string };

/** The chain's row, created on first use and locked for the rest of the transaction. */
async function lockChain(tx: ServerTx, chain: string): Promise<{ head: ChainHead; breaks: number }> {
  await tx.insert(auditChains).values({ chain, headHash: GENESIS_HASH }).onConflictDoNothing();
  const [row] = await tx.select().from(auditChains).where(eq(auditChains.chain, chain)).for('update');
  return { head: { seq: Number(row!.headSeq), hash: row!.headHash }, breaks: row!.breaks };
}

async function saveChain(tx: ServerTx, chain: string, head: ChainHead, breaks: readonly ChainBreak[], before: number, now: Date) {
  if (breaks.length > 0) {
    await tx.insert(auditBreaks).values(breaks.map((b) => ({ id: uuidv7(), chain, seq: b.seq, kind: b.kind, detail: b.detail.slice(0, 500), detectedAt: now })));
  }
  await tx
    .update(auditChains)
    .set({ headSeq: head.seq, headHash: head.hash, breaks: before + breaks.length, updatedAt: now })
    .where(eq(auditChains.chain, chain));
}

const row = (chain: string, e: AuditEntry, hashOk: boolean, now: Date) => ({ chain, ...e, hashOk, receivedAt: now });

/** A pushed item's seq when it has a usable one, even if the rest is not an entry. */
function seqOf(raw: unknown): number | null {
  const seq = typeof raw === 'object' && raw !== null ? (raw as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 ? seq : null;
}

/**
 * Takes the next entries of a device's chain, in seq order, and answers how far the server now holds it.
 * Each entry is checked against the one before it (followChain); every break is recorded and the entry
 * is stored all the same, so the trail after a break is kept. An entry the server holds already is a
 * duplicate when identical and a 'rewritten' break when not (the stored one stays); an item that is not
 * an entry is a 'malformed' break, and its seq (when readable) still moves the chain on, so it is flagged
 * once rather than on every retry.
 */
export async function receiveDeviceChain(db: ServerDb, deviceId: string, raw: readonly unknown[], now: Date): Promise<AuditPushResponse> {
  const items = raw
    .map((r) => {
      const parsed = AuditEntry.safeParse(r);
      return parsed.success
        ? { seq: parsed.data.seq as number | null, entry: parsed.data, problem: null }
        : { seq: seqOf(r), entry: null, problem: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ') };
    })
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const chain = deviceId;
  return db.transaction(async (tx) => {
    const locked = await lockChain(tx, chain);
    let head = locked.head;
    const breaks: ChainBreak[] = [];
    for (const item of items) {
      if (!item.entry) {
        breaks.push({ seq: item.seq ?? 0, kind: 'malformed', detail: item.problem ?? 'not an entry' });
        if (item.seq !== null && item.seq > head.seq) {
          const claimed = (raw.find((r) => seqOf(r) === item.seq) as { hash?: unknown } | undefined)?.hash;
          head = { seq: item.seq, hash: typeof claimed === 'string' ? claimed : '' };
        }
        continue;
      }
      const e = item.entry;
      if (e.seq <= head.seq) {
        const [stored] = await tx
          .select({ id: auditEntries.id, hash: auditEntries.hash })
          .from(auditEntries)
          .where(and(eq(auditEntries.chain, chain), eq(auditEntries.seq, e.seq)));
        if (stored) {
          if (stored.id !== e.id || stored.hash !== e.hash) breaks.push({ seq: e.seq, kind: 'rewritten', detail: 'sent again with other content; the first one is kept' });
          continue;
        }
        // A missing entry arriving late (its gap is flagged already): kept, its own hash checked.
        const hashOk = auditHash(e) === e.hash;
        if (!hashOk) breaks.push({ seq: e.seq, kind: 'hash', detail: 'the content does not match the entry hash' });
        await tx.insert(auditEntries).values(row(chain, e, hashOk, now));
        continue;
      }
      const step = followChain(head, e);
      breaks.push(...step.breaks);
      await tx.insert(auditEntries).values(row(chain, e, !step.breaks.some((b) => b.kind === 'hash'), now));
      head = step.head;
    }
    await saveChain(tx, chain, head, breaks, locked.breaks, now);
    return { ackedSeq: head.seq, breaks: locked.breaks + breaks.length };
  });
}

/** Appends one of the server's own actions to its chain. Never a secret in `detail` (refused). Inside an
 *  admin request the actor goes with it (admin/actor.ts): in the detail (`actor`: 'admin_token' or
 *  'operator', with `operatorId` and `deviceId` — these keys are the actor's, whatever the action gave)
 *  and in the entry's operatorId/deviceId. */
export async function recordServerAction(
  db: ServerDb,
  action: AuditAction,
  subject: string | null,
  detail: AuditDetail,
  now: Date,
): Promise<AuditEntry> {
  const actor = currentActor();
  const text = canonicalDetail(AuditDetail.parse({ ...detail, ...actorDetail() }));
  return db.transaction(async (tx) => {
    const locked = await lockChain(tx, SERVER_CHAIN);
    const unhashed = {
      id: uuidv7(),
      seq: locked.head.seq + 1,
      at: now.toISOString(),
      deviceId: actor?.kind === 'operator' ? actor.deviceId : null,
      operatorId: actor?.kind === 'operator' ? actor.operatorId : null,
      action,
      subject,
      detail: text,
      prevHash: locked.head.hash,
    };
    const entry: AuditEntry = { ...unhashed, hash: auditHash(unhashed) };
    await tx.insert(auditEntries).values(row(SERVER_CHAIN, entry, true, now));
    await saveChain(tx, SERVER_CHAIN, { seq: entry.seq, hash: entry.hash }, [], locked.breaks, now);
    return entry;
  });
}

type EntryRow = typeof auditEntries.$inferSelect;
const shown = (r: EntryRow): StoredAuditEntry => ({
  chain: r.chain,
  id: r.id,
  seq: Number(r.seq),
  at: r.at,
  deviceId: r.deviceId,
  operatorId: r.operatorId,
  action: r.action,
  subject: r.subject,
  detail: r.detail,
  prevHash: r.prevHash,
  hash: r.hash,
  hashOk: r.hashOk,
  receivedAt: r.receivedAt.toISOString(),
});

/** One chain's entries newest first (by seq), or every chain's by arrival. */
export async function listAuditEntries(db: ServerDb, query: z.output<typeof AuditEntriesQuery>): Promise<StoredAuditEntry[]> {
  if (query.chain) {
    const where = query.beforeSeq
      ? and(eq(auditEntries.chain, query.chain), lt(auditEntries.seq, query.beforeSeq))
      : eq(auditEntries.chain, query.chain);
    return (await db.select().from(auditEntries).where(where).orderBy(desc(auditEntries.seq)).limit(query.limit)).map(shown);
  }
  return (await db.select().from(auditEntries).orderBy(desc(auditEntries.receivedAt), desc(auditEntries.seq)).limit(query.limit)).map(shown);
}

export async function listAuditBreaks(db: ServerDb, query: z.output<typeof AuditBreaksQuery>): Promise<AuditBreakItem[]> {
  const rows = await db
    .select()
    .from(auditBreaks)
    .where(query.chain ? eq(auditBreaks.chain, query.chain) : sql`true`)
    .orderBy(desc(auditBreaks.detectedAt), desc(auditBreaks.id))
    .limit(query.limit);
  return rows.map((r) => ({ id: r.id, chain: r.chain, seq: r.seq === null ? null : Number(r.seq), kind: r.kind, detail: r.detail, detectedAt: r.detectedAt.toISOString() }));
}

export async function listAuditChains(db: ServerDb): Promise<AuditChainItem[]> {
  const rows = await db.select().from(auditChains).orderBy(auditChains.chain);
  return rows.map((r) => ({ chain: r.chain, headSeq: Number(r.headSeq), breaks: r.breaks, updatedAt: r.updatedAt.toISOString() }));
}

/** Walks a stored chain again from its first entry, as it is on disk now: what no longer verifies. */
export async function verifyStoredChain(
  db: ServerDb,
  chain: string,
): Promise<{ chain: string; length: number; verified: boolean; breaks: { seq: number; kind: AuditBreakKind; detail: string }[] }> {
  const rows = await db.select().from(auditEntries).where(eq(auditEntries.chain, chain)).orderBy(auditEntries.seq);
  let head = GENESIS;
  const breaks: ChainBreak[] = [];
  for (const r of rows) {
    const step = followChain(head, shown(r));
    breaks.push(...step.breaks);
    head = step.head;
  }
  return { chain, length: rows.length, verified: breaks.length === 0, breaks };
}
