// Owns replay protection for mutating requests: each carries a fresh UUIDv7 request id; the server refuses
// an id it has seen, and one whose embedded time is outside ±REQUEST_MAX_AGE_MS, so the set of ids it must
// remember stays bounded (older ids are pruned: they would be refused as stale anyway).
import { lt } from 'drizzle-orm';
import { REQUEST_ID_HEADER } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import { seenRequests } from '../db/schema';
import { ApiFailure } from '../errors';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Milliseconds since the epoch embedded in a UUIDv7, or null if `id` is not a UUIDv7. */
export function uuidV7Millis(id: string): number | null {
  if (!UUID_V7.test(id)) return null;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

export async function admitRequestId(
  db: ServerDb,
  header: string | string[] | undefined,
  deviceId: string | null,
  now: Date,
  maxAgeMs: number,
): Promise<void> {
  if (header === undefined || header === '') throw new ApiFailure('bad_request', `missing ${REQUEST_ID_HEADER} header`);
  const id = Array.isArray(header) ? undefined : header.trim();
  const issuedMs = id === undefined ? null : uuidV7Millis(id);
  if (id === undefined || issuedMs === null)
    throw new ApiFailure('bad_request', `${REQUEST_ID_HEADER} must be one UUIDv7`);
  if (Math.abs(now.getTime() - issuedMs) > maxAgeMs) {
    throw new ApiFailure(
      'stale_request',
      `${REQUEST_ID_HEADER} time is more than ${maxAgeMs} ms from the server clock`,
    );
  }
  const inserted = await db
    .insert(seenRequests)
    .values({ requestId: id.toLowerCase(), deviceId, issuedAt: new Date(issuedMs), seenAt: now })
    .onConflictDoNothing()
    .returning({ requestId: seenRequests.requestId });
  if (inserted.length === 0) throw new ApiFailure('replayed_request', 'this request id was already used');
}

export async function pruneSeenRequests(db: ServerDb, now: Date, maxAgeMs: number): Promise<void> {
  await db.delete(seenRequests).where(lt(seenRequests.issuedAt, new Date(now.getTime() - maxAgeMs)));
}
