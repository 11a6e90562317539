// Owns the mapping from database rows to the wire shapes of the protocol (ISO times, no internals).
import type { z } from 'zod';
import type { CheckinRow, DeviceInfo, EventRow, OperatorRow, TicketRow, TicketTypeRow } from '../../protocol';
import type * as s from '../db/schema';

export type EventRecord = typeof s.events.$inferSelect;
export type TicketTypeRecord = typeof s.ticketTypes.$inferSelect;
export type TicketRecord = typeof s.tickets.$inferSelect;
export type CheckinRecord = typeof s.checkins.$inferSelect;
export type OperatorRecord = typeof s.operators.$inferSelect;
export type DeviceRecord = typeof s.devices.$inferSelect;

export const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function eventRow(r: EventRecord): z.infer<typeof EventRow> {
  return {
    id: r.id,
    name: r.name,
    startsAt: iso(r.startsAt),
    endsAt: iso(r.endsAt),
    timezone: r.timezone,
    currency: r.currency,
  };
}

export function ticketTypeRow(r: TicketTypeRecord): z.infer<typeof TicketTypeRow> {
  return {
    id: r.id,
    eventId: r.eventId,
    name: r.name,
    priceMinor: r.priceMinor,
    currency: r.currency,
    capacity: r.capacity,
    sold: r.sold,
  };
}

export function ticketRow(r: Pick<TicketRecord, keyof z.infer<typeof TicketRow>>): z.infer<typeof TicketRow> {
  return {
    id: r.id,
    eventId: r.eventId,
    ticketTypeId: r.ticketTypeId,
    orderId: r.orderId,
    code: r.code,
    status: r.status,
    paid: r.paid,
    attendeeName: r.attendeeName,
  };
}

export function checkinRow(r: CheckinRecord): z.infer<typeof CheckinRow> {
  return { id: r.id, ticketId: r.ticketId, deviceId: r.deviceId, at: iso(r.at), status: r.status };
}

export function operatorRow(r: OperatorRecord): z.infer<typeof OperatorRow> {
  return { id: r.id, name: r.name, role: r.role, pinHash: r.pinHash, pinSalt: r.pinSalt, active: r.active };
}

export function deviceInfo(r: DeviceRecord): z.infer<typeof DeviceInfo> {
  return {
    id: r.id,
    name: r.name,
    createdAt: iso(r.createdAt),
    lastSeenAt: isoOrNull(r.lastSeenAt),
    revokedAt: isoOrNull(r.revokedAt),
  };
}
