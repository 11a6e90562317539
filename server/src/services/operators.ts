// Owns operator accounts (cashiers, gate staff, managers …). Rows replicate to terminals with the PIN
// only as a peppered scrypt hash + salt (domain/hashing.ts), so terminals that hold the PIN key can log
// operators in while offline.
import { v7 as uuidv7 } from 'uuid';
import type { ServerDb } from '../db/client';
import type { Role } from '../../../domain/enums';
import { hashPinPeppered, newPinSalt } from '../../../domain/hashing';
import { operators } from '../db/schema';
import { writeTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { type OperatorRecord } from './rows';

export interface NewOperator {
  name: string;
  role: Role;
  pin: string;
}

/** `pinKey`: the installation's PIN key (keyring.ts). */
export async function operatorValues(op: NewOperator, pinKey: Uint8Array) {
  if (!/^\d{4,8}$/.test(op.pin)) throw new ApiFailure('bad_request', 'a PIN is 4 to 8 digits');
  const pinSalt = newPinSalt();
  return {
    id: uuidv7(),
    name: op.name,
    role: op.role,
    pinSalt,
    pinHash: await hashPinPeppered(op.pin, pinSalt, pinKey),
    active: true,
  };
}

export async function createOperators(db: ServerDb, ops: NewOperator[], pinKey: Uint8Array): Promise<OperatorRecord[]> {
  if (ops.length === 0) return [];
  // scrypt runs on the libuv pool, so hashing several PINs in parallel costs about one hash.
  const values = await Promise.all(ops.map((op) => operatorValues(op, pinKey)));
  return writeTx(db, (tx) => tx.insert(operators).values(values).returning());
}
