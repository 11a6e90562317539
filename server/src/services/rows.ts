// Owns the mapping from database rows to the wire shapes of the protocol (ISO times, no internals).
import type { z } from 'zod';
import type {
  CheckInPointRow,
  CheckinRow,
  DeviceInfo,
  EventKeyRow,
  EventRow,
  EventSessionRow,
  OperatorRow,
  QuotaRow,
  RevocationRow,
  TicketRow,
  TicketTypeRow,
} from '../../../domain/wire';
import type * as s from '../db/schema';

export type EventRecord = typeof s.events.$inferSelect;
export type TicketTypeRecord = typeof s.ticketTypes.$inferSelect;
export type TicketRecord = typeof s.tickets.$inferSelect;
export type CheckinRecord = typeof s.checkins.$inferSelect;
export type OperatorRecord = typeof s.operators.$inferSelect;
export type DeviceRecord = typeof s.devices.$inferSelect;
export type CheckInPointRecord = typeof s.checkInPoints.$inferSelect;
export type EventKeyRecord = typeof s.eventKeys.$inferSelect;
export type RevocationRecord = typeof s.revocations.$inferSelect;
export type EventSessionRecord = typeof s.eventSessions.$inferSelect;
export type QuotaRecord = typeof s.quotas.$inferSelect;

export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function eventRow(r: EventRecord): z.infer<typeof EventRow> {
  return {
    id: r.id,
    name: r.name,
    startsAt: iso(r.startsAt),
    endsAt: iso(r.endsAt),
    timezone: r.timezone,
    currency: r.currency,
    no: r.no,
    rotationPeriodS: r.rotationPeriodS,
    idSalt: r.idSalt,
    venue: r.venue,
    address: r.address,
    languages: r.languages,
    defaultLanguage: r.defaultLanguage,
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
    no: r.no,
    zones: r.zones,
    sessionId: r.sessionId,
    saleStartsAt: isoOrNull(r.saleStartsAt),
    saleEndsAt: isoOrNull(r.saleEndsAt),
    maxPerOrder: r.maxPerOrder,
    maxPerAttendee: r.maxPerAttendee,
    channels: r.channels,
    realName: r.realName,
    requiredFields: r.requiredFields,
    active: r.active,
    sortOrder: r.sortOrder,
    refundPolicy: r.refundPolicy ?? null,
  };
}

export function eventSessionRow(r: EventSessionRecord): z.infer<typeof EventSessionRow> {
  return { id: r.id, eventId: r.eventId, name: r.name, startsAt: iso(r.startsAt), endsAt: iso(r.endsAt), sort: r.sort, active: r.active };
}

/** A quota with the ids of its member types (sorted). */
export function quotaRow(r: QuotaRecord, ticketTypeIds: readonly string[]): z.infer<typeof QuotaRow> {
  return { id: r.id, eventId: r.eventId, name: r.name, capacity: r.capacity, sold: r.sold, ticketTypeIds: [...ticketTypeIds].sort() };
}

type TicketWire = z.infer<typeof TicketRow>;
export type TicketColumns = Pick<TicketRecord, keyof TicketWire>;

export function ticketRow(r: TicketColumns): TicketWire {
  return {
    id: r.id,
    eventId: r.eventId,
    ticketTypeId: r.ticketTypeId,
    orderId: r.orderId,
    code: r.code,
    status: r.status,
    paid: r.paid,
    attendeeName: r.attendeeName,
    orderCode: r.orderCode,
    phoneLast4: r.phoneLast4,
    idHash: r.idHash,
    rotatingSecret: r.rotatingSecret,
    validFrom: isoOrNull(r.validFrom),
    validTo: isoOrNull(r.validTo),
  };
}

export function checkinRow(
  r: Pick<CheckinRecord, 'id' | 'ticketId' | 'deviceId' | 'at' | 'status' | 'pointId' | 'direction'>,
): z.infer<typeof CheckinRow> {
  return {
    id: r.id,
    ticketId: r.ticketId,
    deviceId: r.deviceId,
    at: iso(r.at),
    status: r.status,
    pointId: r.pointId,
    direction: r.direction,
  };
}

/** Who may serve a point (services/pointStaff.ts); empty lists: anyone. */
export type PointStaffLists = { operatorIds: string[]; deviceIds: string[] };
export const ANYONE: PointStaffLists = { operatorIds: [], deviceIds: [] };

export function checkInPointRow(r: CheckInPointRecord, staff: PointStaffLists = ANYONE): CheckInPointRow {
  return {
    id: r.id,
    eventId: r.eventId,
    name: r.name,
    ticketTypeIds: r.ticketTypeIds,
    zone: r.zone,
    direction: r.direction,
    reentry: r.reentry,
    windows: r.windows,
    autoCheckoutAt: r.autoCheckoutAt,
    active: r.active,
    operatorIds: [...staff.operatorIds].sort(),
    deviceIds: [...staff.deviceIds].sort(),
    entitlement: r.entitlement ?? null,
  };
}

/** The public half only: there is deliberately no way to turn a private key into a wire row. */
export function eventKeyRow(
  r: Pick<EventKeyRecord, 'eventId' | 'keyId' | 'publicKey' | 'signing' | 'retired'>,
): z.infer<typeof EventKeyRow> {
  return { eventId: r.eventId, keyId: r.keyId, publicKey: r.publicKey, signing: r.signing, retired: r.retired };
}

export function revocationRow(r: Pick<RevocationRecord, 'ticketId' | 'eventId' | 'at'>): z.infer<typeof RevocationRow> {
  return { ticketId: r.ticketId, eventId: r.eventId, at: iso(r.at) };
}

export function operatorRow(r: OperatorRecord): z.infer<typeof OperatorRow> {
  return { id: r.id, name: r.name, role: r.role, pinHash: r.pinHash, pinSalt: r.pinSalt, active: r.active };
}

export function deviceInfo(r: DeviceRecord, eventIds: readonly string[]): z.infer<typeof DeviceInfo> {
  return {
    id: r.id,
    name: r.name,
    createdAt: iso(r.createdAt),
    lastSeenAt: isoOrNull(r.lastSeenAt),
    revokedAt: isoOrNull(r.revokedAt),
    eventIds: [...eventIds].sort(),
  };
}
