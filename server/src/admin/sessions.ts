// Owns admin sessions: an admin operator signing in at a paired terminal with their PIN, which the server
// checks itself (it holds the PIN key); the session's token, valid only together with that same device's
// token, for at most ADMIN_SESSION_ABSOLUTE_MS and ADMIN_SESSION_IDLE_MS without use; the server-side
// count of wrong PINs per operator with the terminal's lockout rule (domain/lockout.ts); and ending the
// sessions of an operator who is disabled or no longer an admin. Only the token's sha256 is stored.
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { verifyPinAsync } from '../../../domain/hashing';
import { DEFAULT_LOCKOUT, delayAfter, type LockoutPolicy } from '../../../domain/lockout';
import type { ServerContext } from '../context';
import type { ServerDb } from '../db/client';
import { adminPinFailures, adminSessions, devices, operators } from '../db/schema';
import type { ServerTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { sha256Hex } from '../secrets';
import { recordServerAction } from '../services/audit';
import type { DeviceRecord } from '../services/rows';
import { type AdminActor, runAs } from './actor';
import type { OpenAdminSessionRequest, OpenAdminSessionResponse } from './sessions-schemas';

/** A session unused this long ends (each authenticated request moves it on). */
export const ADMIN_SESSION_IDLE_MS = 30 * 60_000;
/** A session ends this long after it was opened, used or not. */
export const ADMIN_SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;

export type AdminSessionTimes = { idleMs: number; absoluteMs: number; lockout: LockoutPolicy };
export const DEFAULT_ADMIN_SESSION_TIMES: AdminSessionTimes = {
  idleMs: ADMIN_SESSION_IDLE_MS,
  absoluteMs: ADMIN_SESSION_ABSOLUTE_MS,
  lockout: DEFAULT_LOCKOUT,
};

const refuse = (ctx: ServerContext, operatorId: string, device: DeviceRecord, reason: string, failures: number | null) =>
  recordServerAction(ctx.db, 'admin_session_refused', operatorId, { deviceId: device.id, reason, failures }, ctx.now());

/**
 * Opens an admin session for `operatorId` at `device`. Refused (and audited) when the operator is unknown,
 * disabled or not an admin, while their wrong PINs make them wait (the PIN is then not checked at all), or
 * when the PIN is wrong (counted). Attempts for one operator run one after another (a row lock), so
 * parallel guesses see the count the previous one left.
 */
export async function openAdminSession(
  ctx: ServerContext,
  device: DeviceRecord,
  request: OpenAdminSessionRequest,
  times: AdminSessionTimes = DEFAULT_ADMIN_SESSION_TIMES,
): Promise<OpenAdminSessionResponse> {
  const [op] = await ctx.db.select().from(operators).where(eq(operators.id, request.operatorId));
  if (!op || !op.active || op.role !== 'admin') {
    await refuse(ctx, request.operatorId, device, op ? (op.active ? 'not_admin' : 'disabled') : 'unknown_operator', null);
    throw new ApiFailure('forbidden', 'only an active admin operator opens an admin session');
  }
  const pinKey = (await ctx.keyring()).pinKey;
  type Outcome = { kind: 'locked'; waitMs: number; hard: boolean; failures: number } | { kind: 'bad_pin'; failures: number; waitMs: number } | { kind: 'ok'; token: string; sessionId: string; expiresAt: Date };
  const outcome: Outcome = await ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    await tx.insert(adminPinFailures).values({ operatorId: op.id, failures: 0, lastFailureAt: now, lockedUntil: now }).onConflictDoNothing();
    const [count] = await tx.select().from(adminPinFailures).where(eq(adminPinFailures.operatorId, op.id)).for('update');
    const failures = count!.failures;
    const delay = delayAfter(failures, times.lockout);
    // A clock set back must not stretch a wait beyond what the count earns.
    const waitMs = failures === 0 ? 0 : Math.max(0, Math.min(delay.ms, count!.lockedUntil.getTime() - now.getTime()));
    if (waitMs > 0) return { kind: 'locked', waitMs, hard: delay.hard, failures };
    if (!(await verifyPinAsync(request.pin, op.pinSalt, op.pinHash, pinKey))) {
      const after = failures + 1;
      const next = delayAfter(after, times.lockout);
      const at = ctx.now();
      await tx
        .update(adminPinFailures)
        .set({ failures: after, lastFailureAt: at, lockedUntil: new Date(at.getTime() + next.ms) })
        .where(eq(adminPinFailures.operatorId, op.id));
      return { kind: 'bad_pin', failures: after, waitMs: next.ms };
    }
    await tx.delete(adminPinFailures).where(eq(adminPinFailures.operatorId, op.id));
    const token = randomBytes(32).toString('base64url');
    const sessionId = uuidv7();
    const openedAt = ctx.now();
    const expiresAt = new Date(openedAt.getTime() + times.absoluteMs);
    await tx.insert(adminSessions).values({
      id: sessionId,
      operatorId: op.id,
      deviceId: device.id,
      tokenHash: sha256Hex(token),
      createdAt: openedAt,
      expiresAt,
      lastUsedAt: openedAt,
    });
    return { kind: 'ok', token, sessionId, expiresAt };
  });
  if (outcome.kind === 'locked') {
    await recordServerAction(
      ctx.db,
      'admin_session_locked',
      op.id,
      { deviceId: device.id, failures: outcome.failures, waitS: Math.ceil(outcome.waitMs / 1000), hard: outcome.hard },
      ctx.now(),
    );
    throw new ApiFailure('operator_locked', `too many wrong PINs: retry in ${Math.ceil(outcome.waitMs / 1000)} s`);
  }
  if (outcome.kind === 'bad_pin') {
    await refuse(ctx, op.id, device, 'bad_pin', outcome.failures);
    throw new ApiFailure('bad_pin', outcome.waitMs > 0 ? `wrong PIN: retry in ${Math.ceil(outcome.waitMs / 1000)} s` : 'wrong PIN');
  }
  const actor: AdminActor = { kind: 'operator', operatorId: op.id, deviceId: device.id, sessionId: outcome.sessionId };
  await runAs(actor, () => recordServerAction(ctx.db, 'admin_session_opened', outcome.sessionId, {}, ctx.now()));
  return { token: outcome.token, expiresAt: outcome.expiresAt.toISOString() };
}

/**
 * The actor of a request that brings `device`'s token and an admin session token: the session must be
 * open, not past either end, opened at this same device (not revoked), and its operator still an
 * active admin. Each use moves the idle end on. Anything else: 401 admin_session_ended or 403 forbidden.
 */
export async function authenticateAdminSession(
  ctx: ServerContext,
  device: DeviceRecord,
  token: string,
  times: AdminSessionTimes = DEFAULT_ADMIN_SESSION_TIMES,
): Promise<AdminActor & { kind: 'operator' }> {
  const now = ctx.now();
  const [row] = await ctx.db
    .select({ session: adminSessions, role: operators.role, active: operators.active, deviceRevokedAt: devices.revokedAt })
    .from(adminSessions)
    .innerJoin(operators, eq(operators.id, adminSessions.operatorId))
    .innerJoin(devices, eq(devices.id, adminSessions.deviceId))
    .where(eq(adminSessions.tokenHash, sha256Hex(token)));
  if (!row) throw new ApiFailure('admin_session_ended', 'unknown admin session');
  const s = row.session;
  if (s.deviceId !== device.id) throw new ApiFailure('admin_session_ended', 'this admin session was opened at another device');
  if (s.revokedAt) throw new ApiFailure('admin_session_ended', 'this admin session was closed');
  if (row.deviceRevokedAt) throw new ApiFailure('admin_session_ended', 'the device of this admin session was revoked');
  if (now.getTime() >= s.expiresAt.getTime()) throw new ApiFailure('admin_session_ended', 'this admin session has expired');
  if (now.getTime() - s.lastUsedAt.getTime() >= times.idleMs) throw new ApiFailure('admin_session_ended', 'this admin session was idle too long');
  if (!row.active || row.role !== 'admin') throw new ApiFailure('forbidden', 'the operator of this session is no longer an active admin');
  await ctx.db.update(adminSessions).set({ lastUsedAt: now }).where(eq(adminSessions.id, s.id));
  return { kind: 'operator', operatorId: s.operatorId, deviceId: s.deviceId, sessionId: s.id };
}

/** Ends the session `token` names at `device` (the operator signed out). False: nothing open by it. */
export async function closeAdminSession(ctx: ServerContext, device: DeviceRecord, token: string): Promise<boolean> {
  const [closed] = await ctx.db
    .update(adminSessions)
    .set({ revokedAt: ctx.now() })
    .where(and(eq(adminSessions.tokenHash, sha256Hex(token)), eq(adminSessions.deviceId, device.id), isNull(adminSessions.revokedAt)))
    .returning();
  if (!closed) return false;
  const actor: AdminActor = { kind: 'operator', operatorId: closed.operatorId, deviceId: device.id, sessionId: closed.id };
  await runAs(actor, () => recordServerAction(ctx.db, 'admin_session_closed', closed.id, { reason: 'sign_out' }, ctx.now()));
  return true;
}

/** Ends every open admin session of an operator (disabled, or no longer an admin), inside the change's
 *  own transaction. Answers how many ended. */
export async function endOperatorSessions(tx: ServerTx | ServerDb, operatorId: string, now: Date): Promise<number> {
  const ended = await tx
    .update(adminSessions)
    .set({ revokedAt: now })
    .where(and(eq(adminSessions.operatorId, operatorId), isNull(adminSessions.revokedAt)))
    .returning({ id: adminSessions.id });
  return ended.length;
}

/** How many active admin operators there are besides `operatorId` (the last-admin rule). Their rows
 *  stay locked for the transaction, so two admins disabling each other at once cannot both pass. */
export async function otherActiveAdmins(tx: ServerTx, operatorId: string): Promise<number> {
  const rows = await tx
    .select({ id: operators.id })
    .from(operators)
    .where(and(eq(operators.role, 'admin'), eq(operators.active, true), ne(operators.id, operatorId)))
    .for('update');
  return rows.length;
}
