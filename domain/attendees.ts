// Owns whom a sold ticket is for: the attendee details a sale carries per ticket (name, phone, email,
// company, ID number, registration-form answers) and the one check of them against each ticket type's
// rules — the built-in fields it requires, real-name (an ID number, and a name, for every holder) and
// its registration form (forms.ts validateAnswers, as the badge desk and the server use it). The
// terminal checks before it takes the money; the server checks again before it stores them. Pure.
import { z } from 'zod';
import { type Form, normalizeEmail, normalizePhone, validateAnswers, type Answers } from './forms';

/** The most characters of a name, company or ID number a sale may carry. */
export const MAX_ATTENDEE_TEXT = 200;
export const MAX_ID_NUMBER = 64;

const AnswerInput = z.union([z.string().max(1000), z.number(), z.boolean(), z.array(z.string().max(1000)).max(100)]);

/** One ticket's holder, as a sale carries it: the ticket is the index-th (from 0) of its type in the
 *  order. Every field optional; which are needed is the type's to say. */
export const OrderAttendee = z
  .object({
    ticketTypeId: z.string().uuid(),
    index: z.number().int().min(0).max(999),
    name: z.string().max(MAX_ATTENDEE_TEXT).optional(),
    phone: z.string().max(40).optional(),
    email: z.string().max(320).optional(),
    company: z.string().max(MAX_ATTENDEE_TEXT).optional(),
    idNumber: z.string().max(MAX_ID_NUMBER).optional(),
    answers: z
      .record(z.string().max(60), AnswerInput)
      .refine((a) => Object.keys(a).length <= 60, 'at most 60 answers')
      .optional(),
  })
  .strict();
export type OrderAttendee = z.infer<typeof OrderAttendee>;
export const OrderAttendees = z.array(OrderAttendee).max(1000);

/** What a ticket type asks of each holder. */
export type AttendeeRules = {
  realName: boolean;
  /** Built-in fields every holder must give (catalog.ts ATTENDEE_FIELDS). */
  requiredFields: readonly string[];
  /** The type's registration form; null or empty: none. */
  form: Form | null;
};

/** One ticket's holder as checked: texts trimmed, phone and email normalized, answers as the form types
 *  them; null where nothing was given. The ID number is as typed (trimmed): the server hashes it. */
export type CheckedAttendee = {
  ticketTypeId: string;
  index: number;
  name: string | null;
  phone: string | null;
  phoneLast4: string | null;
  email: string | null;
  company: string | null;
  idNumber: string | null;
  answers: Answers | null;
};

export type AttendeeIssue = {
  code: 'attendee_field_required' | 'attendee_field_invalid';
  /** <ticketTypeId>/<index>/<field>; a form answer's field is answers.<key>. */
  path: string;
  /** Why: required, bad_phone, bad_email, too_long, no_such_ticket, duplicate, or a form's AnswerReason. */
  reason: string;
};

export type AttendeeCheck = { ok: true; attendees: CheckedAttendee[] } | { ok: false; issues: AttendeeIssue[] };

const text = (s: string | undefined): string | null => {
  const t = s?.normalize('NFC').trim();
  return t ? t : null;
};

/**
 * Checks the holders given for the order's tickets (`lines`: ticket type → quantity) against each
 * type's rules: every ticket whose type requires something must have it; every detail given must be
 * valid, for a ticket the order has, once. Answers every issue (not only the first), so the screen can
 * mark all fields at once; or the checked holders, in the order given.
 */
export function checkAttendees(
  lines: readonly { ticketTypeId: string; quantity: number }[],
  attendees: readonly OrderAttendee[],
  rulesOf: (ticketTypeId: string) => AttendeeRules | undefined,
): AttendeeCheck {
  const quantities = new Map<string, number>();
  for (const l of lines) quantities.set(l.ticketTypeId, (quantities.get(l.ticketTypeId) ?? 0) + l.quantity);
  const issues: AttendeeIssue[] = [];
  const given = new Map<string, OrderAttendee>();
  for (const a of attendees) {
    const at = `${a.ticketTypeId}/${a.index}`;
    if (a.index >= (quantities.get(a.ticketTypeId) ?? 0)) issues.push({ code: 'attendee_field_invalid', path: at, reason: 'no_such_ticket' });
    else if (given.has(at)) issues.push({ code: 'attendee_field_invalid', path: at, reason: 'duplicate' });
    else given.set(at, a);
  }
  const checked: CheckedAttendee[] = [];
  for (const [ticketTypeId, quantity] of quantities) {
    const rules = rulesOf(ticketTypeId) ?? { realName: false, requiredFields: [], form: null };
    const required = new Set(rules.requiredFields);
    if (rules.realName) required.add('name').add('idNumber');
    const form = rules.form && rules.form.length > 0 ? rules.form : null;
    for (let index = 0; index < quantity; index++) {
      const at = `${ticketTypeId}/${index}`;
      const a = given.get(at);
      const bad = (field: string, reason: string) => issues.push({ code: 'attendee_field_invalid', path: `${at}/${field}`, reason });
      const name = text(a?.name);
      const company = text(a?.company);
      const idNumber = text(a?.idNumber);
      const phoneText = text(a?.phone);
      const emailText = text(a?.email);
      const phone = phoneText === null ? null : normalizePhone(phoneText);
      const email = emailText === null ? null : normalizeEmail(emailText);
      if (phoneText !== null && phone === null) bad('phone', 'bad_phone');
      if (emailText !== null && email === null) bad('email', 'bad_email');
      if (idNumber !== null && !/[\p{L}\p{N}]/u.test(idNumber)) bad('idNumber', 'bad_value');
      const values: Record<string, string | null> = { name, company, idNumber, phone: phoneText, email: emailText };
      for (const field of required) {
        if ((values[field] ?? null) === null) issues.push({ code: 'attendee_field_required', path: `${at}/${field}`, reason: 'required' });
      }
      let answers: Answers | null = null;
      if (form) {
        const result = validateAnswers(form, a?.answers ?? {});
        if (result.ok) answers = Object.keys(result.answers).length > 0 ? result.answers : null;
        else
          for (const e of result.errors)
            issues.push({
              code: e.reason === 'required' ? 'attendee_field_required' : 'attendee_field_invalid',
              path: `${at}/answers.${e.key}`,
              reason: e.reason,
            });
      } else if (a?.answers && Object.keys(a.answers).length > 0) {
        // A type without a form keeps what was given, as the import keeps a file's own columns.
        answers = a.answers;
      }
      if (a || answers)
        checked.push({ ticketTypeId, index, name, phone, phoneLast4: phone ? phone.slice(-4) : null, email, company, idNumber, answers });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, attendees: checked };
}

/** The first issue as one line (an error's detail): its code's path and reason. */
export const describeIssues = (issues: readonly AttendeeIssue[]): string =>
  issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.reason}`)
    .join('; ');
