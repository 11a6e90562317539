// Owns the box-office settings slice of admin mode's contract: an event's vouchers (list with their uses,
// create, change, switch off), the server's mail and SMS settings for e-tickets (the password and API key
// write-only: a read says only whether one is set) with a test message, and the box offices' X and Z
// shift reports as they reached the server. Admins only — the server's admin API is reached through an
// admin session, which only an admin opens; the server checks the role again on every call.
import { z } from 'zod';
import { MailSettings, MailSettingsInput, MailTestRequest, MailTestResult, SmsSettings, SmsSettingsInput } from '../../../domain/delivery';
import { ShiftReportKind, ShiftTotals } from '../../../domain/shifts';
import { VOUCHER_KINDS, VoucherSettings } from '../../../domain/vouchers';
import { call, Empty } from '../spec';

export { SMS_PROVIDERS, SMTP_SECURITY, type MailSettings, type MailSettingsInput, type MailTestResult, type SmsSettings, type SmsSettingsInput } from '../../../domain/delivery';
export { VOUCHER_CODE_PATTERN, VOUCHER_KINDS, type VoucherKind } from '../../../domain/vouchers';

const Id = z.string().uuid();
const Instant = z.string().datetime({ offset: true });

/** A voucher as admin mode lists it: its settings, uses so far and left (null: no limit). */
export const AdminVoucher = z.object({
  id: Id,
  eventId: Id,
  code: z.string(),
  kind: z.enum(VOUCHER_KINDS),
  value: z.number().int(),
  currency: z.string().nullable(),
  ticketTypeIds: z.array(Id).nullable(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  maxUses: z.number().int().nullable(),
  used: z.number().int(),
  maxPerOrder: z.number().int().nullable(),
  active: z.boolean(),
  usesLeft: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AdminVoucher = z.infer<typeof AdminVoucher>;

/** A box office's X (so far) or Z (closing) report of one shift, as it reached the server. */
export const AdminShiftReport = z.object({
  id: Id,
  deviceId: Id,
  deviceName: z.string(),
  shiftId: Id,
  report: ShiftReportKind,
  at: z.string(),
  openedAt: z.string(),
  /** Operator ids. */
  openedBy: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  countedMinor: z.number().int().nullable(),
  /** Counted less expected cash (Z only): negative when cash is missing. */
  varianceMinor: z.number().int().nullable(),
  totals: ShiftTotals,
  receivedAt: z.string(),
});
export type AdminShiftReport = z.infer<typeof AdminShiftReport>;

/** What a voucher change may set: everything but its code (printed and handed out already). */
const VoucherPatch = z
  .object({
    eventId: Id,
    voucherId: Id,
    kind: z.enum(VOUCHER_KINDS).optional(),
    value: z.number().int().min(1).max(2_147_483_647).optional(),
    ticketTypeIds: z.array(Id).min(1).max(200).nullable().optional(),
    validFrom: Instant.nullable().optional(),
    validUntil: Instant.nullable().optional(),
    maxUses: z.number().int().min(1).max(10_000_000).nullable().optional(),
    maxPerOrder: z.number().int().min(1).max(1000).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).some((k) => k !== 'eventId' && k !== 'voucherId'), 'nothing to change')
  .refine((p) => !(p.kind === 'percent' && p.value !== undefined && p.value > 100), { message: 'a percentage is at most 100', path: ['value'] })
  .refine((p) => !p.validFrom || !p.validUntil || Date.parse(p.validUntil) > Date.parse(p.validFrom), {
    message: 'the validity must end after it begins',
    path: ['validUntil'],
  });

export const adminBoxOfficeCalls = {
  'admin.vouchers.list': call({ input: z.object({ eventId: Id }).strict(), output: z.array(AdminVoucher), roles: ['admin'] }),
  /** A new voucher of the event: a percentage (1–100) or a fixed amount in the event's currency's minor
   *  units off each ticket. Refused: server_rejected 'conflict' (the code exists), 'unknown_ticket_type'. */
  'admin.vouchers.create': call({
    input: VoucherSettings.safeExtend({ eventId: Id }),
    output: AdminVoucher,
    roles: ['admin'],
  }),
  /** Any subset but the code, at least one. Refused: server_rejected 'conflict' (a limit below the uses taken). */
  'admin.vouchers.update': call({ input: VoucherPatch, output: AdminVoucher, roles: ['admin'] }),
  /** Switched off, never deleted: orders that used it keep pointing at it. */
  'admin.vouchers.disable': call({ input: z.object({ eventId: Id, voucherId: Id }).strict(), output: AdminVoucher, roles: ['admin'] }),
  'admin.mail.get': call({ input: Empty, output: MailSettings, roles: ['admin'] }),
  /** `password` absent keeps the stored one, null removes it; never answered back. */
  'admin.mail.save': call({ input: MailSettingsInput, output: MailSettings, roles: ['admin'] }),
  'admin.mail.test': call({ input: MailTestRequest, output: MailTestResult, roles: ['admin'] }),
  'admin.sms.get': call({ input: Empty, output: SmsSettings, roles: ['admin'] }),
  /** `apiKey` absent keeps the stored one, null removes it; never answered back. */
  'admin.sms.save': call({ input: SmsSettingsInput, output: SmsSettings, roles: ['admin'] }),
  /** Newest first, at most `limit`; of one terminal when `deviceId` is given. */
  'admin.shiftReports.list': call({
    input: z.object({ deviceId: Id.optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(AdminShiftReport),
    roles: ['admin'],
  }),
} as const;

export const adminBoxOfficeEvents = {} as const;
