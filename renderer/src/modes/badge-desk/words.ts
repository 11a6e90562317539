// Owns how the badge desk words the codes the core answers with: a printer's or a queued print's reason
// (the print reasons, else the device reasons), and a refused badge's code (the error codes).
import type { TFunction } from 'i18next';
import { DEVICE_REASONS, ErrorCode, PRINT_REASONS } from '../../contract';

export function printReasonText(t: TFunction, reason: string | null | undefined): string {
  if (!reason) return '';
  if ((PRINT_REASONS as readonly string[]).includes(reason)) return t(`printReasons.${reason as (typeof PRINT_REASONS)[number]}`);
  if ((DEVICE_REASONS as readonly string[]).includes(reason)) return t(`devices.reason.${reason as (typeof DEVICE_REASONS)[number]}`);
  return reason;
}

export function errorText(t: TFunction, code: string | null | undefined): string {
  if (!code) return '';
  const parsed = ErrorCode.safeParse(code);
  return parsed.success ? t(`errors.${parsed.data}`) : code;
}

/** A manager's approval as the calls take it (domain/refund-wire.ts ManagerApproval). */
export type ManagerApproval = { managerId: string; pin: string };

/** Codes after which nothing was printed or registered for sure: the next attempt gets a new id. */
export const SETTLED_REFUSALS: readonly string[] = [
  'invalid_input',
  'not_found',
  'forbidden',
  'no_badge_printer',
  'reprint_reason_required',
  'approval_required',
  'bad_pin',
  'login_delayed',
  'operator_locked',
  'ticket_not_valid',
  'attendee_field_required',
  'attendee_field_invalid',
  'payment_insufficient',
  'payment_declined',
  'sold_out',
  'not_on_sale',
  'unknown_ticket_type',
];

const KNOWN_STATUSES = ['valid', 'cancelled', 'refunded', 'revoked'] as const;
/** A ticket's status in words when the gate's search knows it; else as the core wrote it. */
export function statusText(t: TFunction, status: string): string {
  return (KNOWN_STATUSES as readonly string[]).includes(status) ? String(t(`search.ticketStatus.${status as (typeof KNOWN_STATUSES)[number]}`)) : status;
}
