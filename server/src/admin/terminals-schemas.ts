// Owns the request and response shapes of the organizer's terminal and point-staff calls
// (routes/admin-terminals.ts): the list of terminals with their last status report, renaming and
// assigning a terminal, who may serve a point, and the pairing code's QR payload.
import { z } from 'zod';
import { Localized, StatusDevice, Uuid } from '../../../domain/wire';
import { CreatePairingCodeRequest } from '../adminSchemas';

/** A terminal's last status report as the organizer reads it (the point resolved to its name). */
export const TerminalStatusItem = z.object({
  at: z.string(),
  version: z.string(),
  modes: z.array(z.string()),
  pointId: Uuid.nullable(),
  pointName: Localized.nullable(),
  outbox: z.number().int(),
  audit: z.number().int(),
  devices: z.array(StatusDevice),
});
export type TerminalStatusItem = z.infer<typeof TerminalStatusItem>;

export const TerminalItem = z.object({
  id: Uuid,
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  eventIds: z.array(Uuid),
  /** The point the organizer assigned (PATCH); the terminal's gate serves it by default. */
  assignedPointId: Uuid.nullable(),
  assignedPointName: Localized.nullable(),
  /** null: the terminal has not reported yet (or reported in a shape this server no longer reads). */
  status: TerminalStatusItem.nullable(),
});
export type TerminalItem = z.infer<typeof TerminalItem>;
/** GET /admin/v1/terminals — newest first. */
export const TerminalsResponse = z.object({ terminals: z.array(TerminalItem) });
/** PATCH /admin/v1/terminals/:id */
export const TerminalResponse = z.object({ terminal: TerminalItem });

/** PATCH /admin/v1/terminals/:id — a new name and/or the point it should serve (one of its events';
 *  null: none assigned). */
export const UpdateTerminalRequest = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    pointId: Uuid.nullable().optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.pointId !== undefined, 'name or pointId');
export type UpdateTerminalRequest = z.infer<typeof UpdateTerminalRequest>;

/** PUT /admin/v1/points/:id/staff — the whole lists from now on; empty: anyone may serve the point. */
export const PointStaffRequest = z
  .object({
    operatorIds: z.array(Uuid).max(1000),
    deviceIds: z.array(Uuid).max(1000),
  })
  .strict();
export type PointStaffRequest = z.infer<typeof PointStaffRequest>;
/** GET and PUT /admin/v1/points/:id/staff */
export const PointStaffResponse = z.object({ pointId: Uuid, operatorIds: z.array(Uuid), deviceIds: z.array(Uuid) });

/** POST /admin/v1/pairing-codes — also the server address the QR code names (default: the address the
 *  request came to, which is wrong behind a proxy or when the admin runs on the server's own machine). */
export const PairingCodeQrRequest = CreatePairingCodeRequest.extend({
  serverUrl: z
    .string()
    .max(300)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'an http or https address')
    .optional(),
}).strict();
