// Owns the wire shapes of admin sessions and staff management, shared by the server and the terminal's
// admin module: opening a session at a paired device (POST /v1/admin-sessions), the header that carries
// it next to the device token, and the staff replies of /admin/v1/operators.
import { z } from 'zod';
import { Role } from './enums';

/** The header that carries an admin session's token next to the device's bearer token. */
export const ADMIN_SESSION_HEADER = 'x-admit-admin-session';

const Id = z.string().uuid();

/** POST /v1/admin-sessions (device token): an admin operator signs in at this device. */
export const OpenAdminSessionRequest = z.object({ operatorId: Id, pin: z.string().min(1).max(32) }).strict();
export type OpenAdminSessionRequest = z.infer<typeof OpenAdminSessionRequest>;

export const OpenAdminSessionResponse = z.object({ token: z.string().min(32), expiresAt: z.string() });
export type OpenAdminSessionResponse = z.infer<typeof OpenAdminSessionResponse>;

/** DELETE /v1/admin-sessions/current */
export const CloseAdminSessionResponse = z.object({ closed: z.boolean() });

/** One operator as the staff list shows it: never the PIN's hash or salt. */
export const StaffOperator = z.object({ id: Id, name: z.string(), role: Role, active: z.boolean(), createdAt: z.string() });
export type StaffOperator = z.infer<typeof StaffOperator>;
/** GET /admin/v1/operators */
export const StaffListResponse = z.object({ operators: z.array(StaffOperator) });

const ChangedOperator = z.object({ id: Id, name: z.string(), role: Role, active: z.boolean() });
/** POST /admin/v1/operators */
export const CreatedOperatorsResponse = z.object({ operators: z.array(ChangedOperator) });
/** PATCH /admin/v1/operators/:id */
export const UpdatedOperatorResponse = z.object({ operator: ChangedOperator });
