// Owns operator accounts (cashiers, gate staff, managers …). Rows replicate to terminals with the PIN
// only as a peppered scrypt hash + salt (domain/hashing.ts), so terminals that hold the PIN key can log
// operators in while offline. Every PIN that comes in
// — a new operator, a new PIN, a role that needs a longer one — meets the role's length rule
// (domain/pins.ts) here, whoever calls: the admin routes, the in-process API, the demo seed.
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { ServerDb } from '../db/client';
import type { Role } from '../../../domain/enums';
import { hashPinPeppered, newPinSalt } from '../../../domain/hashing';
import { describePinRule, minPinLength, pinProblem } from '../../../domain/pins';
import { operators } from '../db/schema';
import { writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { type OperatorRecord } from './rows';
import { endOperatorSessions, otherActiveAdmins } from '../admin/sessions';

export interface NewOperator {
  name: string;
  role: Role;
  pin: string;
}

export interface OperatorPatch {
  name?: string;
  role?: Role;
  pin?: string;
  active?: boolean;
}

function checkPin(role: Role, pin: string): void {
  if (pinProblem(role, pin) !== null) throw new ApiFailure('bad_request', describePinRule(role));
}

export async function pinColumns(pin: string, pinKey: Uint8Array) {
  const pinSalt = newPinSalt();
  return { pinSalt, pinHash: await hashPinPeppered(pin, pinSalt, pinKey) };
}

/** `pinKey`: the installation's PIN key (keyring.ts). */
export async function operatorValues(op: NewOperator, pinKey: Uint8Array) {
  checkPin(op.role, op.pin);
  return { id: uuidv7(), name: op.name, role: op.role, ...(await pinColumns(op.pin, pinKey)), active: true };
}

export async function createOperators(db: ServerDb, ops: NewOperator[], pinKey: Uint8Array): Promise<OperatorRecord[]> {
  if (ops.length === 0) return [];
  // Every PIN is checked before any is hashed or written: one bad PIN refuses the whole batch.
  for (const op of ops) checkPin(op.role, op.pin);
  // scrypt runs on the libuv pool, so hashing several PINs in parallel costs about one hash.
  const values = await Promise.all(ops.map((op) => operatorValues(op, pinKey)));
  return writeTx(db, (tx) => tx.insert(operators).values(values).returning());
}

/** Changes an operator. A new PIN must fit the role the operator has afterwards; a move to a role that
 *  needs a longer PIN than the current one must bring a new PIN (the stored hash does not say how long
 *  the old PIN is). */
export async function updateOperator(
  db: ServerDb,
  operatorId: string,
  patch: OperatorPatch,
  pinKey: Uint8Array,
  now: Date = new Date(),
): Promise<OperatorRecord> {
  const pin = patch.pin;
  // Hashed before the row is locked (scrypt takes a while); written only if the rule below passes.
  const columns = pin === undefined ? null : await pinColumns(pin, pinKey);
  return writeTx(db, async (tx) => {
    const [current] = await tx.select().from(operators).where(eq(operators.id, operatorId)).for('no key update');
    if (!current) throw new ApiFailure('not_found', `no operator ${operatorId}`);
    const role = patch.role ?? current.role;
    if (pin !== undefined) checkPin(role, pin);
    else if (minPinLength(role) > minPinLength(current.role)) {
      throw new ApiFailure('bad_request', `${describePinRule(role)}: give a new PIN with the change of role`);
    }
    // An active admin who is disabled or moved to another role stops being one: refused when no other
    // active admin would be left (nobody could manage the staff from a terminal any more), and their
    // admin sessions end with the change.
    const stopsBeingAdmin = current.role === 'admin' && current.active && (patch.active === false || role !== 'admin');
    if (stopsBeingAdmin) {
      if ((await otherActiveAdmins(tx, operatorId)) === 0) {
        throw new ApiFailure('last_admin', 'this is the last active admin: make another admin first');
      }
      await endOperatorSessions(tx, operatorId, now);
    }
    const [row] = await tx
      .update(operators)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(columns ?? {}),
      })
      .where(eq(operators.id, operatorId))
      .returning();
    return row!;
  });
}
