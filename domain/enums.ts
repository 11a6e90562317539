// Owns the one declaration of each vocabulary the terminal, the UI and the server share: the direction
// of a passage, a check-in point's re-entry policy, a ticket's status, an operator's role, the status
// the server keeps on a check-in, and the reason every verdict carries. Each is a list (for SQL checks
// and menus), a zod schema (for validation) and a type, all from the one list.
import { z } from 'zod';

export const DIRECTIONS = ['entry', 'exit'] as const;
export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

/** single: one entry per ticket; unlimited; after_exit: again once the holder has left (or the point's
 *  automatic check-out passed); once_per_day: one entry per day in the event's time zone. */
export const REENTRY_POLICIES = ['single', 'unlimited', 'after_exit', 'once_per_day'] as const;
export const ReentryPolicy = z.enum(REENTRY_POLICIES);
export type ReentryPolicy = z.infer<typeof ReentryPolicy>;

export const TICKET_STATUSES = ['valid', 'cancelled', 'refunded', 'revoked'] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const ROLES = ['cashier', 'gate', 'badge', 'kiosk', 'manager', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** What the server decided on a check-in: a use (accepted), refused but kept (conflict), or taken back
 *  because no passage followed (annulled). A terminal's own, not yet answered check-in is 'local'. */
export const CHECKIN_STATUSES = ['accepted', 'conflict', 'annulled'] as const;
export const CheckinStatus = z.enum(CHECKIN_STATUSES);
export type CheckinStatus = z.infer<typeof CheckinStatus>;
export const LOCAL_CHECKIN_STATES = ['local', ...CHECKIN_STATUSES] as const;
export type LocalCheckinState = (typeof LOCAL_CHECKIN_STATES)[number];

/** One reason per verdict: screens, sounds, logs and the server's reports all speak this vocabulary. */
export const REASONS = [
  'ok',
  'already_used',
  'unpaid',
  'cancelled',
  'refunded',
  'revoked',
  'wrong_type',
  'wrong_zone',
  'no_entitlement',
  'not_yet_valid',
  'expired',
  'ambiguous',
  'unknown',
  'invalid_signature',
  'malformed',
] as const;
export const Reason = z.enum(REASONS);
export type Reason = z.infer<typeof Reason>;
