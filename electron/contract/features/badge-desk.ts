// Owns the badge desk's slice of the contract: finding an attendee (scan, ID card, name, phone digits,
// order code), their details and what has been printed for them, correcting a misspelt name, company or
// title (online, audited at the server), printing badges — one, or a whole order's group — with an
// optional check-in, reprints under control (a reason within the event's window, a manager's PIN by
// setting), walk-in registration through the ticket type's form, and reprint counts for managers.
import { z } from 'zod';
import { BADGE_GROUP_MAX, BADGE_TEXT_MAX, BadgeSettings, REPRINT_REASON_MAX } from '../../../domain/badge-wire';
import { ManagerApproval } from '../../../domain/refund-wire';
import { OrderAttendee } from '../../../domain/attendees';
import { Tender } from '../../../domain/tender';
import { Localized, TicketType } from '../domain';
import { call, Empty } from '../spec';
import { PrintOutcome } from './devices';

/** One attendee as a search lists them: only what the terminal's cache holds. */
export const BadgeDeskMatch = z.object({
  ticketId: z.string().uuid(),
  eventId: z.string().uuid(),
  ticketTypeId: z.string().uuid(),
  ticketTypeName: Localized,
  name: z.string().nullable(),
  orderCode: z.string().nullable(),
  /** 'valid' | 'revoked' | …, and whether it is paid: the desk prints only for valid, paid tickets. */
  status: z.string(),
  paid: z.boolean(),
  checkedIn: z.boolean(),
  /** Badges printed for this ticket so far (every terminal's that this one knows of). */
  printCount: z.number().int().nonnegative(),
});
export type BadgeDeskMatch = z.infer<typeof BadgeDeskMatch>;

export const BadgeFindBy = z.enum(['code', 'order', 'phone', 'name', 'id_card']);
export type BadgeFindBy = z.infer<typeof BadgeFindBy>;

export const BadgePrintInfo = z.object({
  id: z.string().uuid(),
  printedAt: z.string(),
  /** The terminal's name when known, else its id. */
  terminal: z.string(),
  operatorName: z.string().nullable(),
  reprint: z.boolean(),
  reason: z.string().nullable(),
  approverName: z.string().nullable(),
});
export type BadgePrintInfo = z.infer<typeof BadgePrintInfo>;

/** What the desk shows of one attendee. `source` 'server': fetched now (company, title, category, masked
 *  contact); 'cache': offline, only what this terminal holds (the rest null). */
export const BadgeDeskAttendee = BadgeDeskMatch.extend({
  code: z.string(),
  company: z.string().nullable(),
  title: z.string().nullable(),
  category: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  emailMasked: z.string().nullable(),
  answers: z.record(z.string(), z.unknown()),
  checkedInAt: z.string().nullable(),
  prints: z.array(BadgePrintInfo),
  /** The template this attendee's badge prints with (null: the built-in layout). */
  templateId: z.string().uuid().nullable(),
  templateName: z.string().nullable(),
  source: z.enum(['server', 'cache']),
  /** What printing now would need: a reason (a reprint within the window), and a manager's PIN. */
  reprint: z.object({ needsReason: z.boolean(), needsPin: z.boolean(), lastPrintedAt: z.string().nullable() }),
});
export type BadgeDeskAttendee = z.infer<typeof BadgeDeskAttendee>;

/** What happened to one badge of a print request. */
export const BadgePrintResult = z.object({
  ticketId: z.string().uuid(),
  /** printed / queued (held at the printer, prints when it can: never twice) / refused (nothing
   *  printed: `code` says why, e.g. refund_not_allowed-like ticket states as ticket_not_valid). */
  outcome: z.enum(['printed', 'queued', 'refused']),
  code: z.string().nullable(),
  /** The check-in made with it: admitted now, already checked in, or none asked. */
  checkIn: z.enum(['admitted', 'already', 'none']),
});
export type BadgePrintResult = z.infer<typeof BadgePrintResult>;

export const BadgeDeskState = z.object({
  eventId: z.string().uuid().nullable(),
  settings: BadgeSettings,
  /** This terminal's badge printer (a printer configured for 'badge' jobs); null: none. */
  printer: z.object({ id: z.string(), name: z.string(), ready: z.boolean(), reason: z.string().nullable() }).nullable(),
  online: z.boolean(),
});
export type BadgeDeskState = z.infer<typeof BadgeDeskState>;

const TicketId = z.string().uuid();

export const badgeDeskCalls = {
  'badgeDesk.state': call({ input: Empty, output: BadgeDeskState, roles: ['badge', 'manager'] }),
  /** Finds attendees in this terminal's cache: a ticket code (scanned or typed), an order code, the last
   *  4 digits of a phone, or a name (any part, case-insensitive, any script); `by` absent: guessed from
   *  the text. At most 50, best first. */
  'badgeDesk.find': call({
    input: z.object({ query: z.string().trim().min(1).max(512), by: BadgeFindBy.exclude(['id_card']).optional() }).strict(),
    output: z.object({ by: BadgeFindBy, matches: z.array(BadgeDeskMatch) }),
    roles: ['badge', 'manager'],
  }),
  /** One attendee: fetched from the server when online, else from the cache. Refused: not_found. */
  'badgeDesk.attendee': call({ input: z.object({ ticketId: TicketId }).strict(), output: BadgeDeskAttendee, roles: ['badge', 'manager'] }),
  /** The attendees of the same order (a group), with their print counts. Refused: not_found. */
  'badgeDesk.group': call({
    input: z.object({ ticketId: TicketId }).strict(),
    output: z.object({ orderCode: z.string().nullable(), matches: z.array(BadgeDeskMatch) }),
    roles: ['badge', 'manager'],
  }),
  /** Corrects a misspelt name, company or title at the server (audited there with old and new values);
   *  the new name reaches every terminal with the next sync. Refused: offline, not_found. */
  'badgeDesk.correct': call({
    input: z
      .object({
        ticketId: TicketId,
        name: z.string().trim().min(1).max(BADGE_TEXT_MAX).optional(),
        company: z.string().trim().max(BADGE_TEXT_MAX).nullable().optional(),
        title: z.string().trim().max(BADGE_TEXT_MAX).nullable().optional(),
      })
      .strict(),
    output: BadgeDeskAttendee,
    roles: ['badge', 'manager'],
  }),
  /** The badge as this terminal's badge printer gets it (the same renderer), as PNG base64 per side. */
  'badgeDesk.preview': call({
    input: z.object({ ticketId: TicketId }).strict(),
    output: z.object({ sides: z.array(z.object({ png: z.string(), width: z.number().int(), height: z.number().int() })), templateId: z.string().uuid().nullable() }),
    roles: ['badge', 'manager'],
  }),
  /** Prints the badges of these tickets on this terminal's badge printer, in order, each recorded (and
   *  pushed) as a print. `checkIn` (default: the event's printChecksIn) admits each at this terminal's
   *  check-in point first. A ticket printed within the reprint window needs `reason` (and `approval`
   *  when the event asks for a manager's PIN): without it the whole request is refused with
   *  reprint_reason_required / approval_required and nothing prints. `requestId`: made once by the
   *  screen, re-sent on a retry: a retry prints nothing twice. Refused: no_badge_printer, not_found,
   *  reprint_reason_required, approval_required, bad_pin, login_delayed, operator_locked. */
  'badgeDesk.print': call({
    input: z
      .object({
        ticketIds: z.array(TicketId).min(1).max(BADGE_GROUP_MAX),
        checkIn: z.boolean().optional(),
        reason: z.string().trim().min(1).max(REPRINT_REASON_MAX).optional(),
        approval: ManagerApproval.optional(),
        requestId: z.string().uuid(),
      })
      .strict(),
    output: z.object({ results: z.array(BadgePrintResult), print: PrintOutcome }),
    roles: ['badge', 'manager'],
  }),
  /** The ticket types a walk-in may register for here (on sale now), each with its form flag; free ones
   *  need a manager's approval. */
  'badgeDesk.walkInTypes': call({ input: Empty, output: z.object({ ticketTypes: z.array(TicketType) }), roles: ['badge', 'manager'] }),
  /** Registers a walk-in: one ticket of the type with the attendee's details and form answers (checked
   *  like a sale's), paid by `payments` (a priced type), or free with a manager's `approval`; then
   *  prints their badge (and checks them in by the event's setting). `cartId` as a sale's: a retry
   *  never registers twice. Refused like boxOffice.sell, plus approval_required, no_badge_printer. */
  'badgeDesk.walkIn': call({
    input: z
      .object({
        ticketTypeId: z.string().uuid(),
        attendee: OrderAttendee.omit({ ticketTypeId: true, index: true }),
        payments: z.array(Tender).min(1).max(8).optional(),
        approval: ManagerApproval.optional(),
        cartId: z.string().uuid(),
      })
      .strict(),
    output: z.object({ ticketId: z.string().uuid(), orderCode: z.string(), results: z.array(BadgePrintResult), print: PrintOutcome }),
    roles: ['badge', 'manager'],
  }),
  /** Reprint counts of the event, per attendee and per operator, most first (managers). */
  'badgeDesk.reprints': call({
    input: z.object({ eventId: z.string().uuid().optional() }).strict().optional().default({}),
    output: z.object({
      byAttendee: z.array(z.object({ ticketId: z.string().uuid(), name: z.string().nullable(), prints: z.number().int(), reprints: z.number().int() })),
      byOperator: z.array(z.object({ operatorId: z.string().uuid().nullable(), name: z.string().nullable(), prints: z.number().int(), reprints: z.number().int() })),
    }),
    roles: ['manager', 'admin'],
  }),
} as const;

export const badgeDeskEvents = {
  /** The terminal's scanner or ID-card reader read while the badge desk is open: who it found. */
  'badgeDesk.found': z.object({ by: BadgeFindBy, matches: z.array(BadgeDeskMatch) }),
} as const;
