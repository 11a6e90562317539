// Owns terminal identity: one-time pairing codes, pairing a device (minting its token), authenticating a
// bearer token, and revoking. Codes and tokens are stored only as sha256 hashes.
import { desc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { PAIRING_CODE_TTL_MS } from '../../../domain/wire';
import type { ServerDb } from '../db/client';
import { devices, pairingCodes, serverMeta } from '../db/schema';
import { ApiFailure } from '../errors';
import { newDeviceToken, newPairingCode, normalizePairingCode, sha256Hex } from '../secrets';
import { bindNewDevice, currentEventIds, eventIdsByDevice, existingEventIds, servedEventIds } from './deviceEvents';
import { type DeviceRecord, deviceInfo } from './rows';

/** A one-time code; the device paired with it serves `eventIds` (each must exist), or, when none are
 *  named, every event that has not ended yet. */
export async function createPairingCode(
  db: ServerDb,
  now: Date,
  eventIds?: readonly string[],
): Promise<{ code: string; expiresAt: string; eventIds: string[] }> {
  const { code, display } = newPairingCode();
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS);
  const served = eventIds === undefined ? await currentEventIds(db, now) : await existingEventIds(db, eventIds);
  await db
    .insert(pairingCodes)
    .values({ id: uuidv7(), codeHash: sha256Hex(code), createdAt: now, expiresAt, eventIds: served });
  return { code: display, expiresAt: expiresAt.toISOString(), eventIds: served.sort() };
}

export interface PairedDevice {
  deviceId: string;
  deviceName: string;
  token: string;
}

export async function pairDevice(
  db: ServerDb,
  input: { code: string; name: string },
  now: Date,
): Promise<PairedDevice> {
  const code = normalizePairingCode(input.code);
  if (!code) throw new ApiFailure('pairing_code_invalid', 'unknown pairing code');
  return db.transaction(async (tx) => {
    // Row lock: two terminals racing with the same code serialize here and only the first one pairs.
    const [pairing] = await tx
      .select()
      .from(pairingCodes)
      .where(eq(pairingCodes.codeHash, sha256Hex(code)))
      .for('update');
    if (!pairing) throw new ApiFailure('pairing_code_invalid', 'unknown pairing code');
    if (pairing.usedAt) throw new ApiFailure('pairing_code_invalid', 'pairing code already used');
    if (pairing.expiresAt.getTime() <= now.getTime())
      throw new ApiFailure('pairing_code_invalid', 'pairing code expired');

    const token = newDeviceToken();
    const deviceId = uuidv7();
    const name = input.name.trim() || 'Terminal';
    await tx
      .insert(devices)
      .values({ id: deviceId, name, tokenHash: sha256Hex(token), createdAt: now, lastSeenAt: now });
    await tx.update(pairingCodes).set({ usedAt: now, deviceId }).where(eq(pairingCodes.id, pairing.id));
    await bindNewDevice(tx, deviceId, pairing.eventIds);
    return { deviceId, deviceName: name, token };
  });
}

/** Resolves a bearer token to its device, or fails with unauthorized / token_revoked. */
export async function authenticateDevice(db: ServerDb, token: string | undefined): Promise<DeviceRecord> {
  if (!token) throw new ApiFailure('unauthorized', 'missing device token');
  const [device] = await db
    .select()
    .from(devices)
    .where(eq(devices.tokenHash, sha256Hex(token)));
  if (!device) throw new ApiFailure('unauthorized', 'unknown device token');
  if (device.revokedAt) throw new ApiFailure('token_revoked', 'this device has been revoked; pair it again');
  return device;
}

export async function touchDevice(db: ServerDb, deviceId: string, now: Date): Promise<void> {
  await db.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, deviceId));
}

export async function listDevices(db: ServerDb) {
  const rows = await db.select().from(devices).orderBy(desc(devices.createdAt));
  const served = await eventIdsByDevice(db);
  return rows.map((r) => deviceInfo(r, served.get(r.id) ?? []));
}

export async function revokeDevice(db: ServerDb, deviceId: string, now: Date) {
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId));
  if (!device) throw new ApiFailure('not_found', 'no such device');
  const served = await servedEventIds(db, deviceId);
  if (device.revokedAt) return deviceInfo(device, served);
  const [revoked] = await db.update(devices).set({ revokedAt: now }).where(eq(devices.id, deviceId)).returning();
  return deviceInfo(revoked!, served);
}

/** This installation's stable id (PairResponse.serverId), minted on first use. */
export async function serverId(db: ServerDb): Promise<string> {
  await db.insert(serverMeta).values({ key: 'server_id', value: uuidv7() }).onConflictDoNothing();
  const [row] = await db.select().from(serverMeta).where(eq(serverMeta.key, 'server_id'));
  return row!.value;
}
