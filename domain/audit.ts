// Owns the audit trail's vocabulary and wire shapes, shared by terminal, server and UI: the actions an
// entry can name, the small detail an entry may carry (never a PIN, token, code or ID number), one
// entry as it crosses the wire, and the push of a terminal's chain to the server (POST /v1/audit).
// Hashing lives in audit-chain.ts (it needs node:crypto, which the UI must not import).
import { z } from 'zod';

/** Every action an audit entry names. Terminal actions first, then the server's own (admin API). */
export const AUDIT_ACTIONS = [
  // terminal: operators
  'login',
  'login_failed',
  'logout',
  'idle_logout',
  'lockout_cleared',
  // terminal: box office and gate
  'sale',
  /** A sale left in flight was settled by the recovery (completed or refused). */
  'sale_recovered',
  /** A payment left authorized was voided by the recovery (its order failed or was never made) or
   *  captured (its order was made). */
  'payment_recovered',
  /** The cashier gave the tickets of a sale completed later, or handed back the money of a refused one. */
  'sale_acknowledged',
  /** A manager's PIN approving a step at a cashier's terminal (a refund): its outcome. */
  'manager_approval',
  /** Tickets refunded (subject: the order), with the operator and the approving manager. */
  'refund',
  /** Tickets exchanged for another type (subject: the order). */
  'exchange',
  'manual_admission',
  'annulment',
  'auto_annulment',
  'point_change',
  // terminal: devices, printing, settings, pairing
  'open_all',
  'release',
  'reprint',
  /** Box-office shifts: opened with a float, cash put in or taken out, an X report, the Z report that closed it. */
  'shift_opened',
  'shift_cash',
  'shift_x_report',
  'shift_closed',
  'device_config',
  'pairing',
  // server: the admin API and pairing
  'pairing_code_created',
  'device_paired',
  'device_revoked',
  'event_created',
  'operators_created',
  'point_created',
  'point_updated',
  'keys_rotated',
  'ticket_revoked',
  'demo_seeded',
  // server: admin sessions and staff
  'admin_session_opened',
  'admin_session_refused',
  'admin_session_locked',
  'admin_session_closed',
  'operator_updated',
  'first_admin_created',
  // server: the catalog (events, sessions, ticket types, quotas)
  'event_updated',
  'session_created',
  'session_updated',
  'ticket_type_created',
  'ticket_type_updated',
  'quota_created',
  'quota_updated',
  'voucher_created',
  'voucher_updated',
  'voucher_disabled',
  // server: terminals, point staff, exports
  'terminal_updated',
  'point_staff_set',
  'data_exported',
  /** A ticket type's registration form was replaced (subject: the ticket type). */
  'form_saved',
  // server: attendee import
  'import_uploaded',
  'import_mapped',
  'import_checked',
  'import_commit_started',
  'import_committed',
  'import_failed',
  // e-tickets: a terminal asked the server to send an order's tickets (both trails); settings changed
  'tickets_sent',
  'mail_settings_updated',
  /** A test message was sent through the mail settings (never its address). */
  'mail_test_sent',
  'sms_settings_updated',
  // server: the kiosk — an attendee's information and entitlements saved by an organizer (subject: the
  // ticket; which kinds changed, never the values), an event's kiosk settings (subject: the event), a
  // kiosk's alert resolved by a manager at a terminal (subject: the alert)
  'attendee_info_saved',
  'kiosk_settings_saved',
  'kiosk_alert_resolved',
  // server: the badge desk — a template saved or deleted (subject: the template), an event's badge
  // settings (subject: the event), an attendee's name, company or title corrected at a desk (subject: the
  // ticket; the old and new values)
  'badge_template_saved',
  'badge_template_deleted',
  'badge_settings_saved',
  'badge_corrected',
  /** Badge desk: badges printed (subject: the first ticket), with any reprint's reason and approver. */
  'badge_print',
  /** Badge desk: a walk-in registered and their badge printed (subject: the ticket). */
  'badge_walk_in',
  /** Admin mode's badge designer: a test badge printed on the terminal's badge printer (subject: the template). */
  'badge_test_printed',
  // terminal: the self-service kiosk — an attendee identified (how, and what was found, never the code,
  // digits or name typed), checked in with their badge (subject: the ticket), the language chosen, an
  // alert raised (subject: the alert; resolved: kiosk_alert_resolved above), the maintenance screen
  // opened or the kiosk left with a manager's PIN
  'kiosk_find',
  'kiosk_check_in',
  'kiosk_language',
  'kiosk_alert',
  'kiosk_maintenance',
  'kiosk_exit',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** The previous hash of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Detail keys that would put a secret into the trail; refused when an entry is recorded. */
const SECRET_KEY = /pin|token|secret|password|passcode|^code$|idnumber|id_number/i;
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
export const AUDIT_DETAIL_MAX_KEYS = 16;
export const AUDIT_TEXT_MAX = 200;
/** The canonical detail text an entry carries; a stored row longer than this is not a recorded one. */
export const AUDIT_DETAIL_TEXT_MAX = 4096;

type DetailValue = string | number | boolean | null;

/** What an action adds to its entry: a flat object of short strings, safe integers, booleans or null. */
export const AuditDetail: z.ZodType<Record<string, DetailValue>> = z
  .record(
    z.string().regex(DETAIL_KEY, 'a detail key is a short identifier').refine((k) => !SECRET_KEY.test(k), 'no secrets in the audit trail'),
    z.union([z.string().max(AUDIT_TEXT_MAX), z.number().int().safe(), z.boolean(), z.null()]),
  )
  .refine((d) => Object.keys(d).length <= AUDIT_DETAIL_MAX_KEYS, `at most ${AUDIT_DETAIL_MAX_KEYS} detail keys`)
  .refine((d) => canonicalDetail(d).length <= AUDIT_DETAIL_TEXT_MAX, `at most ${AUDIT_DETAIL_TEXT_MAX} characters of detail`);
export type AuditDetail = Record<string, DetailValue>;

/** The one text a detail object is hashed and stored as: its keys sorted, JSON. */
export function canonicalDetail(detail: AuditDetail): string {
  const sorted: Record<string, DetailValue> = {};
  for (const k of Object.keys(detail).sort()) sorted[k] = detail[k]!;
  return JSON.stringify(sorted);
}

/** Reads a stored detail text back for display; anything that is not one (a damaged row) is empty. */
export function parseDetail(text: string): AuditDetail {
  try {
    const parsed = AuditDetail.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** `at` exactly as Date#toISOString writes it, so it survives a round trip through any database. */
export const AuditInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'an ISO instant with milliseconds, in UTC');
const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest');
const Id = z.string().uuid();

/**
 * One entry of a chain, as a terminal sends it and the server stores it. Fields are checked for shape
 * only: what the action means is the recorder's business, and an entry whose action the server does not
 * know (a newer terminal) is still kept and chained.
 */
export const AuditEntry = z
  .object({
    id: Id,
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    at: AuditInstant,
    /** The device the entry was recorded on (null: before pairing, or the server's own chain). */
    deviceId: Id.nullable(),
    operatorId: Id.nullable(),
    action: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
    subject: z.string().max(AUDIT_TEXT_MAX).nullable(),
    /** The canonical detail text (canonicalDetail), hashed as it is. */
    detail: z.string().max(AUDIT_DETAIL_TEXT_MAX),
    prevHash: Hash,
    hash: Hash,
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

/** The most entries one push carries. */
export const AUDIT_PUSH_MAX = 500;

/** POST /v1/audit: the next entries of this device's chain, in seq order. Each is checked on its own:
 *  one that is not an entry is flagged as a break, never a reason to refuse the others. */
export const AuditPushRequest = z.object({ entries: z.array(z.unknown()).min(1).max(AUDIT_PUSH_MAX) }).strict();
/** `ackedSeq`: the server holds this device's chain up to here (the terminal need not send it again);
 *  `breaks`: how many breaks the server has flagged in this chain so far. */
export const AuditPushResponse = z.object({ ackedSeq: z.number().int().min(0), breaks: z.number().int().min(0) });
export type AuditPushResponse = z.infer<typeof AuditPushResponse>;

/** Why the server flagged a chain: an entry whose hash does not match its content, one whose prevHash
 *  is not the hash before it, missing seqs, an entry sent again with other content, or not an entry. */
export const AUDIT_BREAK_KINDS = ['hash', 'prev_hash', 'gap', 'rewritten', 'malformed'] as const;
export type AuditBreakKind = (typeof AUDIT_BREAK_KINDS)[number];
