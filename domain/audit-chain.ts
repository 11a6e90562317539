// Owns how an audit entry is hashed and how a chain is checked, byte for byte alike on the terminal and
// the server: hash = hex sha256 of the canonical encoding, a JSON array of a version tag and every field
// but the hash, in a fixed order (the detail already canonical text). Each entry names the hash of the
// one before it (GENESIS_HASH for seq 1), so changing, removing or inserting an entry anywhere shows at
// that entry or the next one.
import { createHash } from 'node:crypto';
import { GENESIS_HASH, type AuditBreakKind, type AuditEntry } from './audit';

const VERSION = 'admit.audit.v1';

export type UnhashedEntry = Omit<AuditEntry, 'hash'>;

export function canonicalEncoding(e: UnhashedEntry): string {
  return JSON.stringify([VERSION, e.id, e.seq, e.at, e.deviceId, e.operatorId, e.action, e.subject, e.detail, e.prevHash]);
}

export function auditHash(e: UnhashedEntry): string {
  return createHash('sha256').update(canonicalEncoding(e), 'utf8').digest('hex');
}

/** Where a chain stands: the last entry taken into it. */
export type ChainHead = { seq: number; hash: string };
export const GENESIS: ChainHead = { seq: 0, hash: GENESIS_HASH };

export type ChainBreak = { seq: number; kind: AuditBreakKind; detail: string };

/**
 * Checks the next entry against the head of its chain. Returns the breaks it shows (none: it follows),
 * and the new head: the entry's own (claimed) hash, so one altered entry is flagged once, not at every
 * entry after it. Entries at or below the head are the caller's to compare with what it stored.
 */
export function followChain(head: ChainHead, e: AuditEntry): { breaks: ChainBreak[]; head: ChainHead } {
  const breaks: ChainBreak[] = [];
  const computed = auditHash(e);
  if (computed !== e.hash) breaks.push({ seq: e.seq, kind: 'hash', detail: 'the content does not match the entry hash' });
  if (e.seq > head.seq + 1) breaks.push({ seq: e.seq, kind: 'gap', detail: `entries ${head.seq + 1}..${e.seq - 1} are missing` });
  else if (e.prevHash !== head.hash) breaks.push({ seq: e.seq, kind: 'prev_hash', detail: `does not follow entry ${head.seq}` });
  return { breaks, head: { seq: e.seq, hash: e.hash } };
}
