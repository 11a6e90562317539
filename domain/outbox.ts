// Owns the records a terminal queues in its outbox and pushes to the server (POST /v1/push): check-ins
// made without the server's confirmation, annulments (no passage followed), refused scans and the box
// office's shift reports (X and Z). One zod
// declaration serves both ends: the server validates every pushed record against it, and the terminal
// builds every record through the constructors below, which validate against it too, so what is queued
// is what the server will read.
import { z } from 'zod';
import { Direction, type Reason } from './enums';
import { ShiftReportKind, ShiftTotals } from './shifts';
import { Uuid } from './wire';
import { BadgePrintRow } from './badge-wire';
import { KioskAlertRow } from './kiosk-wire';

export const PUSH_RECORD_KINDS = ['checkin', 'annul', 'failed_scan', 'shift', 'badge_print', 'kiosk_alert'] as const;
export type PushRecordKind = (typeof PUSH_RECORD_KINDS)[number];

/** Why a check-in was taken back: the turnstile saw no passage, the operator cancelled it, or the
 *  terminal claimed it at the server and then stopped (crash, power cut) before acting on the verdict
 *  — found on restart and released without an operator. */
export const ANNUL_REASONS = ['no_passage', 'operator', 'not_acted'] as const;
export const AnnulReason = z.enum(ANNUL_REASONS);
export type AnnulReason = z.infer<typeof AnnulReason>;

/** How long after an admission a check-in may still be annulled (turnstile: no passage), measured
 *  between the check-in's and the annulment's own times. Terminal and server hold the same limit; only
 *  a terminal's `not_acted` annulment of its own check-in is accepted past it. */
export const ANNUL_WINDOW_MS = 60_000;

/** How far in the past a pushed or claimed record's time may lie: older ones are refused as implausible. */
export const RECORD_MAX_AGE_MS = 7 * 86_400_000;
/** How far ahead of the server's clock a record's time may lie (clock skew allowance). */
export const RECORD_MAX_AHEAD_MS = 15 * 60_000;

/** The longest scanned code a failed-scan record keeps. */
export const FAILED_SCAN_CODE_MAX = 512;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');

const Instant = z.string().datetime();

/** An admission the server has not confirmed (decided offline, or past the claim budget). */
export const CheckinRecord = z
  .object({
    id: Uuid,
    kind: z.literal('checkin'),
    ticketId: Uuid,
    at: Instant,
    pointId: Uuid.nullable().default(null),
    direction: Direction.default('entry'),
  })
  .strict();
export type CheckinRecord = z.infer<typeof CheckinRecord>;

/** The turnstile reported no passage: the check-in is annulled (kept, marked annulled). */
export const AnnulRecord = z
  .object({ id: Uuid, kind: z.literal('annul'), checkinId: Uuid, at: Instant, reason: AnnulReason })
  .strict();
export type AnnulRecord = z.infer<typeof AnnulRecord>;

/** A refused scan, kept for the organizer's reports. */
export const FailedScanRecord = z
  .object({
    id: Uuid,
    kind: z.literal('failed_scan'),
    /** What was read, for the report; control characters are not stored (PostgreSQL refuses NUL). */
    code: z
      .string()
      .max(FAILED_SCAN_CODE_MAX)
      .refine((c) => !CONTROL_CHARACTER.test(c), 'control characters'),
    ticketId: Uuid.nullable(),
    reason: z.string().max(40),
    at: Instant,
    pointId: Uuid.nullable(),
  })
  .strict();
export type FailedScanRecord = z.infer<typeof FailedScanRecord>;

/** A shift report as printed: an X report of the open shift, or the Z report that closed it with the
 *  counted cash and its variance. Its id is the report's; the server keeps each once. */
export const ShiftRecord = z
  .object({
    id: Uuid,
    kind: z.literal('shift'),
    shiftId: Uuid,
    report: ShiftReportKind,
    /** When the report was made (a Z report: when the shift closed). */
    at: Instant,
    openedAt: Instant,
    openedBy: z.string().min(1).max(100),
    closedAt: Instant.nullable(),
    closedBy: z.string().min(1).max(100).nullable(),
    /** Z only: the cash counted in the drawer and counted − expected. */
    countedMinor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable(),
    varianceMinor: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).nullable(),
    totals: ShiftTotals,
  })
  .strict();
export type ShiftRecord = z.infer<typeof ShiftRecord>;

/** A badge printed (domain/badge-wire.ts): the server keeps each once by its id and replicates it to every
 *  terminal of the event, so a reprint at any desk is known. `deviceId` is the server's to fill (the
 *  pushing device); the terminal leaves it out. */
export const BadgePrintRecord = BadgePrintRow.omit({ deviceId: true, printedAt: true })
  .extend({ kind: z.literal('badge_print'), at: Instant })
  .strict();
export type BadgePrintRecord = z.infer<typeof BadgePrintRecord>;

/** An alert a kiosk raised for staff (domain/kiosk-wire.ts): kept once by its id and replicated to every
 *  terminal of the event (every terminal, when it names no event). `deviceId` is the server's to fill. */
export const KioskAlertRecord = KioskAlertRow.omit({ kind: true, deviceId: true, raisedAt: true, resolvedAt: true, resolvedBy: true })
  .extend({ kind: z.literal('kiosk_alert'), alertKind: KioskAlertRow.shape.kind, at: Instant })
  .strict();
export type KioskAlertRecord = z.infer<typeof KioskAlertRecord>;

export const PushRecord = z.discriminatedUnion('kind', [CheckinRecord, AnnulRecord, FailedScanRecord, ShiftRecord, BadgePrintRecord, KioskAlertRecord]);
export type PushRecord = z.infer<typeof PushRecord>;

// The list of kinds (the local outbox table's column) is exactly the union's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _everyKindListed: Same<PushRecord['kind'], PushRecordKind> = true;

/** Throws (a ZodError) when a field is not what the server accepts: a bug here, never a record to queue. */
export const checkinRecord = (fields: Omit<z.input<typeof CheckinRecord>, 'kind'>): CheckinRecord =>
  CheckinRecord.parse({ ...fields, kind: 'checkin' });

export const annulRecord = (fields: Omit<z.input<typeof AnnulRecord>, 'kind'>): AnnulRecord =>
  AnnulRecord.parse({ ...fields, kind: 'annul' });

/** The report keeps what was read, cut to FAILED_SCAN_CODE_MAX, with control characters made visible
 *  (U+FFFD) instead of stored raw. */
export const failedScanRecord = (
  fields: Omit<z.input<typeof FailedScanRecord>, 'kind' | 'reason'> & { reason: Reason },
): FailedScanRecord =>
  FailedScanRecord.parse({
    ...fields,
    kind: 'failed_scan',
    code: fields.code.slice(0, FAILED_SCAN_CODE_MAX).replace(CONTROL_CHARACTERS, '\ufffd'),
  });

export const badgePrintRecord = (fields: Omit<z.input<typeof BadgePrintRecord>, 'kind'>): BadgePrintRecord =>
  BadgePrintRecord.parse({ ...fields, kind: 'badge_print' });

export const kioskAlertRecord = (fields: Omit<z.input<typeof KioskAlertRecord>, 'kind'>): KioskAlertRecord =>
  KioskAlertRecord.parse({ ...fields, kind: 'kiosk_alert' });

export const shiftRecord = (fields: Omit<z.input<typeof ShiftRecord>, 'kind'>): ShiftRecord => ShiftRecord.parse({ ...fields, kind: 'shift' });
