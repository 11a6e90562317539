// Owns the terminals slice of admin mode's contract: the paired terminals with their last status report,
// renaming one and assigning it a check-in point, the events it serves, revoking it, and pairing codes
// (the code, its expiry and its QR image). Admin operators only, online only; the server checks the
// operator again on every call.
import { z } from 'zod';
import { StatusDevice } from '../../../domain/wire';
import { Localized } from '../domain';
import { call, Empty } from '../spec';

const Id = z.string().uuid();
const EventIds = z.array(Id).max(100);

/** A terminal's last status report as admin mode shows it (the point resolved to its name). */
export const TerminalStatus = z.object({
  at: z.string(),
  version: z.string(),
  modes: z.array(z.string()),
  pointId: Id.nullable(),
  pointName: Localized.nullable(),
  /** Records not yet at the server: the outbox (sales, check-ins …) and the audit trail. */
  outbox: z.number().int(),
  audit: z.number().int(),
  devices: z.array(StatusDevice),
});
export type TerminalStatus = z.infer<typeof TerminalStatus>;

export const AdminTerminal = z.object({
  id: Id,
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  eventIds: z.array(Id),
  assignedPointId: Id.nullable(),
  assignedPointName: Localized.nullable(),
  /** null: the terminal has not reported its status yet. */
  status: TerminalStatus.nullable(),
});
export type AdminTerminal = z.infer<typeof AdminTerminal>;

/** A terminal as revoking it or changing its events answers. */
export const TerminalChange = z.object({ id: Id, name: z.string(), revokedAt: z.string().nullable(), eventIds: z.array(Id) });
export type TerminalChange = z.infer<typeof TerminalChange>;

export const PairingCode = z.object({
  code: z.string(),
  expiresAt: z.string(),
  eventIds: z.array(Id),
  /** What the QR code carries (admit://pair?server=…&code=…). */
  qrPayload: z.string(),
  /** The QR code as a PNG data URL (the renderer's CSP allows data: images). */
  qrDataUrl: z.string().regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/),
});
export type PairingCode = z.infer<typeof PairingCode>;

export const adminTerminalsCalls = {
  /** Newest first, revoked ones included. */
  'admin.terminals.list': call({ input: Empty, output: z.array(AdminTerminal), roles: ['admin'] }),
  /** Rename and/or assign a point of one of the events it serves (null: none); at least one. */
  'admin.terminals.update': call({
    input: z
      .object({ deviceId: Id, name: z.string().trim().min(1).max(80).optional(), pointId: Id.nullable().optional() })
      .strict()
      .refine((p) => p.name !== undefined || p.pointId !== undefined, 'nothing to change'),
    output: AdminTerminal,
    roles: ['admin'],
  }),
  /** The whole set of events it serves from now on. */
  'admin.terminals.setEvents': call({ input: z.object({ deviceId: Id, eventIds: EventIds }).strict(), output: TerminalChange, roles: ['admin'] }),
  /** Its token stops working at once; it must be paired again. */
  'admin.terminals.revoke': call({ input: z.object({ deviceId: Id }).strict(), output: TerminalChange, roles: ['admin'] }),
  /** A one-time code; the terminal paired with it serves `eventIds` (none named: every event not ended). */
  'admin.terminals.pairingCode': call({ input: z.object({ eventIds: EventIds.optional() }).strict(), output: PairingCode, roles: ['admin'] }),
} as const;

export const adminTerminalsEvents = {} as const;
