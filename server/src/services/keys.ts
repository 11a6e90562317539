// Owns the per-event Ed25519 signing keys behind signed ticket codes ("S1…", domain/codes.ts):
// minting an event's first key, rotating (a new signing key; older ones keep verifying until retired) and
// handing the current signing key to the box office. Private keys stay in event_keys, sealed under the
// key-encryption key (keyring.ts): they are never replicated (the change feed selects public columns
// only), never returned by the admin API and never logged.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { and, asc, eq, max } from 'drizzle-orm';
import type { z } from 'zod';
import type { EventKeyRow } from '../../../domain/wire';
import { privateKeyFromRaw } from '../../../domain/codes';
import type { ServerDb } from '../db/client';
import { eventKeys, events } from '../db/schema';
import { type ServerTx, writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import type { Keyring } from '../keyring';
import { eventKeyRow } from './rows';

export const MAX_KEY_ID = 255;

/** A fresh Ed25519 key pair as base64 of the raw 32-byte keys (the wire format of EventKeyRow). */
export function newEd25519KeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const pub = publicKey.export({ format: 'jwk' });
  if (!jwk.d || !pub.x) throw new Error('Ed25519 key export failed');
  return {
    publicKey: Buffer.from(pub.x, 'base64url').toString('base64'),
    privateKey: Buffer.from(jwk.d, 'base64url').toString('base64'),
  };
}

/** A fresh key pair as an event_keys row: the private key sealed, bound to its event, key id and public key. */
function sealedPair(keyring: Keyring, eventId: string, keyId: number) {
  const { publicKey, privateKey } = newEd25519KeyPair();
  return { eventId, keyId, publicKey, privateKey: keyring.sealPrivateKey({ eventId, keyId, publicKey }, privateKey) };
}

const PUBLIC_COLUMNS = {
  eventId: eventKeys.eventId,
  keyId: eventKeys.keyId,
  publicKey: eventKeys.publicKey,
  signing: eventKeys.signing,
  retired: eventKeys.retired,
  seq: eventKeys.seq,
};

/** Inserts key 0 as the signing key of a new event; returns its seq. */
export async function insertFirstKey(tx: ServerTx, eventId: string, keyring: Keyring): Promise<number> {
  const [row] = await tx
    .insert(eventKeys)
    .values({ ...sealedPair(keyring, eventId, 0), signing: true, retired: false })
    .onConflictDoNothing()
    .returning({ seq: eventKeys.seq });
  return row?.seq ?? 0;
}

export interface SigningKey {
  keyId: number;
  key: KeyObject;
}

// KeyObjects are immutable and a key id is never reused within an event, so they can be kept.
const keyObjects = new Map<string, KeyObject>();

/** The event's current signing key, minting key 0 for an event that predates signed codes. */
export async function signingKey(tx: ServerTx, eventId: string, keyring: Keyring): Promise<SigningKey & { seq: number }> {
  let seq = 0;
  for (let attempt = 0; attempt < 2; attempt++) {
    const [row] = await tx
      .select()
      .from(eventKeys)
      .where(and(eq(eventKeys.eventId, eventId), eq(eventKeys.signing, true)));
    if (row) {
      const cacheKey = `${row.eventId}/${row.keyId}/${row.publicKey}`;
      let key = keyObjects.get(cacheKey);
      if (!key) keyObjects.set(cacheKey, (key = privateKeyFromRaw(keyring.openPrivateKey(row), row.publicKey)));
      return { keyId: row.keyId, key, seq };
    }
    seq = await insertFirstKey(tx, eventId, keyring);
  }
  throw new Error(`event ${eventId} has no signing key`);
}

export async function listKeys(db: ServerDb | ServerTx, eventId: string): Promise<z.infer<typeof EventKeyRow>[]> {
  const rows = await db.select(PUBLIC_COLUMNS).from(eventKeys).where(eq(eventKeys.eventId, eventId)).orderBy(asc(eventKeys.keyId));
  return rows.map(eventKeyRow);
}

export interface RotatedKeys {
  keys: z.infer<typeof EventKeyRow>[];
  seq: number;
}

/** A new signing key; the previous ones stop signing but keep verifying, unless `retire` retires them. */
export async function rotateKeys(db: ServerDb, eventId: string, options: { retire: boolean }, keyring: Keyring): Promise<RotatedKeys> {
  return writeTx(db, async (tx) => {
    // The event row lock serializes rotations of one event (next key id, single signing key).
    const [event] = await tx.select({ id: events.id }).from(events).where(eq(events.id, eventId)).for('no key update');
    if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
    const [{ last } = { last: null }] = await tx
      .select({ last: max(eventKeys.keyId) })
      .from(eventKeys)
      .where(eq(eventKeys.eventId, eventId));
    const keyId = last === null ? 0 : last + 1;
    if (keyId > MAX_KEY_ID) throw new ApiFailure('bad_request', `event ${eventId} has used all ${MAX_KEY_ID + 1} key ids`);
    let seq = 0;
    const demoted = await tx
      .update(eventKeys)
      .set(options.retire ? { signing: false, retired: true } : { signing: false })
      .where(
        and(
          eq(eventKeys.eventId, eventId),
          options.retire ? eq(eventKeys.retired, false) : eq(eventKeys.signing, true),
        ),
      )
      .returning({ seq: eventKeys.seq });
    for (const d of demoted) seq = Math.max(seq, d.seq);
    const [inserted] = await tx
      .insert(eventKeys)
      .values({ ...sealedPair(keyring, eventId, keyId), signing: true, retired: false })
      .returning({ seq: eventKeys.seq });
    seq = Math.max(seq, inserted!.seq);
    return { keys: await listKeys(tx, eventId), seq };
  });
}
