// Owns the admin slice of the contract: admin mode, for admin operators only, online only. Whether this
// UI's admin operator holds a server admin session (opened with their PIN at sign-in), and the staff:
// list, create and change operators at the server. Each call is typed here; the core forwards none of
// them blindly, and the server checks the operator's role again on every one.
import { z } from 'zod';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../../../domain/pins';
import { Role } from '../domain';
import { call, Empty } from '../spec';

const PIN_SHORTEST = Math.min(...Object.values(PIN_MIN_LENGTH));
const Pin = z.string().regex(new RegExp(`^\\d{${PIN_SHORTEST},${PIN_MAX_LENGTH}}$`), `${PIN_SHORTEST} to ${PIN_MAX_LENGTH} digits`);
const OperatorName = z.string().trim().min(1).max(80);

/** Why this UI has no server admin session: never opened because the server was unreachable at sign-in,
 *  refused (locked, wrong PIN at the server, not an admin there), or ended (signed out, expired, revoked). */
export const AdminSessionProblem = z.enum(['offline', 'refused', 'locked', 'ended', 'not_paired']);
export type AdminSessionProblem = z.infer<typeof AdminSessionProblem>;

export const AdminStatus = z.object({
  /** 'open': admin calls go to the server; 'opening': sign-in is still asking the server. */
  state: z.enum(['open', 'opening', 'closed']),
  /** Why it is closed (null while open or opening). */
  problem: AdminSessionProblem.nullable(),
  /** The terminal's link to the server is up now. */
  online: z.boolean(),
  expiresAt: z.string().nullable(),
});
export type AdminStatus = z.infer<typeof AdminStatus>;

/** An operator as admin mode shows it: never anything about the PIN. */
export const StaffMember = z.object({ id: z.string().uuid(), name: z.string(), role: Role, active: z.boolean(), createdAt: z.string() });
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffChange = z.object({ id: z.string().uuid(), name: z.string(), role: Role, active: z.boolean() });
export type StaffChange = z.infer<typeof StaffChange>;

export const adminCalls = {
  'admin.status': call({ input: Empty, output: AdminStatus, roles: ['admin'] }),
  'admin.operators.list': call({ input: Empty, output: z.array(StaffMember), roles: ['admin'] }),
  'admin.operators.create': call({
    input: z.object({ name: OperatorName, role: Role, pin: Pin }).strict(),
    output: StaffChange,
    roles: ['admin'],
  }),
  /** Any subset, at least one: rename, change role, reset the PIN, disable or re-enable. last_admin: the
   *  change would leave no active admin. */
  'admin.operators.update': call({
    input: z
      .object({ operatorId: z.string().uuid(), name: OperatorName.optional(), role: Role.optional(), pin: Pin.optional(), active: z.boolean().optional() })
      .strict()
      .refine((p) => p.name !== undefined || p.role !== undefined || p.pin !== undefined || p.active !== undefined, 'nothing to change'),
    output: StaffChange,
    roles: ['admin'],
  }),
} as const;

export const adminEvents = {} as const;
