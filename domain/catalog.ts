// Owns the sale rules of a ticket type: whether it may be sold now, on this channel, in this quantity
// (active, its session active, sale window, per-order limit, capacity and the quotas it shares with other types), how many
// are left, and the per-attendee limit. Pure: the server decides an order with it inside the transaction
// that holds the stock, and a terminal shows its catalog with it over its cached rows.

/** Who sells a ticket: the box office, a self-service kiosk, or an import of pre-registered attendees. */
export const SALE_CHANNELS = ['box_office', 'kiosk', 'import'] as const;
export type SaleChannel = (typeof SALE_CHANNELS)[number];
/** The channels that place orders over POST /v1/orders. */
export const ORDER_CHANNELS = ['box_office', 'kiosk'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

/** Built-in attendee fields a ticket type may require (the ID number is implied by real-name types). */
export const ATTENDEE_FIELDS = ['name', 'phone', 'email', 'company'] as const;
export type AttendeeField = (typeof ATTENDEE_FIELDS)[number];

/** The UI languages an event may offer its attendees. */
export const EVENT_LANGUAGES = ['en', 'zh-CN', 'ru'] as const;
export type EventLanguage = (typeof EVENT_LANGUAGES)[number];

/** What the rules need to know of a ticket type. Times are ISO instants or Date; null: no bound. */
export type SaleRuleType = {
  id: string;
  active: boolean;
  /** false: the session the type is for is switched off; absent or true: it is active (or the type is
   *  for the whole event). */
  sessionActive?: boolean;
  saleStartsAt: string | Date | null;
  saleEndsAt: string | Date | null;
  maxPerOrder: number | null;
  maxPerAttendee?: number | null;
  channels: readonly string[];
  /** null: unlimited. */
  capacity: number | null;
  sold: number;
};

/** A quota shared by several types: at most `capacity` tickets of all its member types together. */
export type QuotaState = { id: string; capacity: number; sold: number };

export type SaleRefusal =
  /** The organizer switched the type off. */
  | 'ticket_type_inactive'
  /** The organizer switched off the session the type is for. */
  | 'session_inactive'
  /** Its sale window has not opened yet. */
  | 'not_on_sale'
  /** Its sale window has closed. */
  | 'sale_ended'
  /** This channel may not sell it. */
  | 'channel_not_allowed'
  /** More of it in one order than the type allows. */
  | 'over_order_limit'
  /** Not enough left of the type or of one of its quotas. */
  | 'sold_out';

const ms = (t: string | Date) => (t instanceof Date ? t.getTime() : Date.parse(t));

/** Where `now` stands against the type's sale window. */
export function saleWindowState(type: Pick<SaleRuleType, 'saleStartsAt' | 'saleEndsAt'>, now: Date): 'not_on_sale' | 'sale_ended' | 'open' {
  if (type.saleStartsAt !== null && now.getTime() < ms(type.saleStartsAt)) return 'not_on_sale';
  if (type.saleEndsAt !== null && now.getTime() >= ms(type.saleEndsAt)) return 'sale_ended';
  return 'open';
}

/** How many can still be sold: the least of what the type and each of its quotas have left (null: no
 *  bound at all). */
export function availability(type: Pick<SaleRuleType, 'capacity' | 'sold'>, quotas: readonly QuotaState[]): number | null {
  let left: number | null = type.capacity === null ? null : Math.max(0, type.capacity - type.sold);
  for (const q of quotas) {
    const inQuota = Math.max(0, q.capacity - q.sold);
    left = left === null ? inQuota : Math.min(left, inQuota);
  }
  return left;
}

/**
 * Why `quantity` tickets of `type` may not be sold now on `channel` (null: they may). `quotas` are the
 * quotas the type belongs to, with what they have sold so far. The first reason found is answered, in
 * the order the organizer would look for it: switched off (the type, then its session), window, channel, order limit, stock.
 */
export function saleRefusal(
  type: SaleRuleType,
  quotas: readonly QuotaState[],
  now: Date,
  channel: SaleChannel,
  quantity: number,
): SaleRefusal | null {
  if (!type.active) return 'ticket_type_inactive';
  if (type.sessionActive === false) return 'session_inactive';
  const window = saleWindowState(type, now);
  if (window !== 'open') return window;
  if (!type.channels.includes(channel)) return 'channel_not_allowed';
  if (type.maxPerOrder !== null && quantity > type.maxPerOrder) return 'over_order_limit';
  const left = availability(type, quotas);
  if (left !== null && quantity > left) return 'sold_out';
  return null;
}

/** Why an attendee who already holds `existingCountForAttendee` tickets of the type may not get
 *  `adding` more (null: they may). */
export function attendeeLimitRefusal(
  type: Pick<SaleRuleType, 'maxPerAttendee'>,
  existingCountForAttendee: number,
  adding: number,
): 'over_attendee_limit' | null {
  const max = type.maxPerAttendee ?? null;
  if (max === null) return null;
  return existingCountForAttendee + adding > max ? 'over_attendee_limit' : null;
}
