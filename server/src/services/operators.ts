// Owns operator accounts (cashiers, gate staff, managers …). Rows replicate to terminals with the PIN
// only as scrypt hash + salt, so terminals can log operators in while offline.
import { v7 as uuidv7 } from 'uuid';
import type { ServerDb } from '../db/client';
import type { Role } from '../../../domain/enums';
import { hashPinAsync, newPinSalt } from '../../../domain/hashing';
import { operators } from '../db/schema';
import { writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { type OperatorRecord } from './rows';

export interface NewOperator {
  name: string;
  role: Role;
  pin: string;
}

export async function operatorValues(op: NewOperator) {
  if (!/^\d{4,8}$/.test(op.pin)) throw new ApiFailure('bad_request', 'a PIN is 4 to 8 digits');
  const pinSalt = newPinSalt();
  return {
    id: uuidv7(),
    name: op.name,
    role: op.role,
    pinSalt,
    pinHash: await hashPinAsync(op.pin, pinSalt),
    active: true,
  };
}

export async function createOperators(db: ServerDb, ops: NewOperator[]): Promise<OperatorRecord[]> {
  if (ops.length === 0) return [];
  // scrypt runs on the libuv pool, so hashing several PINs in parallel costs about one hash.
  const values = await Promise.all(ops.map(operatorValues));
  return writeTx(db, (tx) => tx.insert(operators).values(values).returning());
}
