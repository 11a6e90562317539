// Owns the request and response shapes of admin sessions (POST/DELETE /v1/admin-sessions) and of the staff
// list (GET /admin/v1/operators).
import { z } from 'zod';
import { Role } from '../../../domain/enums';
import { Uuid } from '../../../domain/wire';

/** The header that carries an admin session's token next to the device's bearer token. */
export const ADMIN_SESSION_HEADER = 'x-admit-admin-session';

/** POST /v1/admin-sessions (device token): an admin operator signs in at this device. */
export const OpenAdminSessionRequest = z.object({ operatorId: Uuid, pin: z.string().min(1).max(32) }).strict();
export type OpenAdminSessionRequest = z.infer<typeof OpenAdminSessionRequest>;

export const OpenAdminSessionResponse = z.object({ token: z.string().min(32), expiresAt: z.string() });
export type OpenAdminSessionResponse = z.infer<typeof OpenAdminSessionResponse>;

export const CloseAdminSessionResponse = z.object({ closed: z.boolean() });

/** One operator as the staff list shows it: never the PIN's hash or salt. */
export const StaffOperator = z.object({ id: Uuid, name: z.string(), role: Role, active: z.boolean(), createdAt: z.string() });
export type StaffOperator = z.infer<typeof StaffOperator>;
export const StaffListResponse = z.object({ operators: z.array(StaffOperator) });
