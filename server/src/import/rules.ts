// Owns what an attendee import asks of a ticket type before a row may become a ticket of it: the
// built-in attendee fields the type requires, whether it is real-name (ID number required), whether the
// import channel may issue it, how many tickets of it one attendee may hold, and the check of the
// row's registration-form answers. RowRules is the one seam: the default asks for a name and nothing
// else (file-only checks); the server's (admin/import-rules.ts) reads the event's sale rules and forms.
// Pure: no server or database dependencies.
import type { FieldValue } from './validate';

/** Attendee fields a ticket type can require of every holder. */
export const BUILT_IN_FIELDS = ['name', 'phone', 'email', 'company', 'idNumber'] as const;
export type BuiltInField = (typeof BUILT_IN_FIELDS)[number];

/** What a ticket type is, as far as the rules need it. */
export interface RuleTicketType {
  id: string;
  eventId: string;
  name: Record<string, string>;
}

/** One row's attendee data, normalized (import/validate.ts). */
export interface RuleRecord {
  line: number;
  name: string | null;
  phone: string | null;
  email: string | null;
  company: string | null;
  idNumber: string | null;
  answers: Record<string, FieldValue | null>;
}

export interface AnswerProblem {
  /** The answer's field key. */
  key: string;
  /** A stable reason code the UI translates. */
  reason: string;
  message: string;
  params?: Record<string, string | number>;
}

export interface TicketTypeRules {
  /** Built-in fields every holder of this type must have. */
  requiredFields: readonly BuiltInField[];
  /** Real-name ticket: an ID number is required (and becomes the ticket's ID hash). */
  realName: boolean;
  /** Whether the import channel may issue this type. */
  importAllowed: boolean;
  /** Most tickets of this type one attendee may hold; null: no limit. */
  maxPerAttendee: number | null;
  /** The row's registration-form answers against the type's form: the problems (none when they are
   *  fine) and the answers as they are stored (typed by the form). */
  checkAnswers(record: RuleRecord): { problems: AnswerProblem[]; answers: Record<string, FieldValue> };
}

export interface RowRules {
  forType(type: RuleTicketType): TicketTypeRules;
}

/** Today's rules: every attendee has a name; anything else is optional. */
export const DEFAULT_TYPE_RULES: TicketTypeRules = {
  requiredFields: ['name'],
  realName: false,
  importAllowed: true,
  maxPerAttendee: null,
  checkAnswers: (record) => ({ problems: [], answers: record.answers as Record<string, FieldValue> }),
};

export const defaultRowRules: RowRules = { forType: () => DEFAULT_TYPE_RULES };

/** Who holds a ticket, for per-attendee limits: the ID number, else the email, else the phone. */
export function attendeeKey(record: Pick<RuleRecord, 'idNumber' | 'email' | 'phone'>): string | null {
  if (record.idNumber) return `id:${record.idNumber}`;
  if (record.email) return `email:${record.email.toLowerCase()}`;
  if (record.phone) return `phone:${record.phone}`;
  return null;
}
