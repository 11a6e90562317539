// Owns the request and response shapes of the attendee-import admin API (/admin/v1/.../imports): the
// upload's query, the column mapping, the commit options, the report paging, and a job as the organizer
// sees it.
import { z } from 'zod';
import { Uuid } from '../../../domain/wire';
import { TEXT_ENCODINGS } from '../import/decode';

/** Largest attendee file accepted, in bytes. */
export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;
/** How many data rows of a file the upload's answer shows. */
export const IMPORT_PREVIEW_ROWS = 20;

/** Encoding labels accepted from the organizer (aliases such as gbk or cp1251 included). */
const EncodingLabel = z.string().trim().min(1).max(32);

export const UploadQuery = z
  .object({
    /** The file's name as the organizer chose it (the X-File-Name header may carry it instead). */
    name: z.string().min(1).max(255).optional(),
    /** CSV only: the encoding, when the organizer names it; otherwise it is detected. */
    encoding: EncodingLabel.optional(),
    /** Defaults from the bytes (a ZIP archive is XLSX) and the name's extension. */
    format: z.enum(['csv', 'xlsx']).optional(),
    /** XLSX only: the worksheet to read; the first one by default. */
    sheet: z.string().min(1).max(100).optional(),
    delimiter: z.enum([',', ';', '\t']).optional(),
  })
  .strict();
export type UploadQuery = z.infer<typeof UploadQuery>;

export { TEXT_ENCODINGS };

/** Targets that feed the attendee's kiosk information: one item kind each, and the entitlements held
 *  (a list of kinds such as "meal, drink"). */
export const INFO_IMPORT_TARGETS = ['seat', 'table', 'room', 'hotel', 'note', 'entitlements'] as const;
/** Built-in targets of a column; `answers.<key>` feeds a registration-form answer; `ignore` skips it. */
export const IMPORT_TARGETS = ['externalId', 'externalCode', 'ticketType', 'name', 'phone', 'email', 'company', 'idNumber', ...INFO_IMPORT_TARGETS] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number] | `answers.${string}` | 'ignore';

export const ANSWER_KEY = /^[A-Za-z0-9_-]{1,64}$/;
export const ImportTargetSchema = z.union([
  z.enum(IMPORT_TARGETS),
  z.literal('ignore'),
  z.string().regex(new RegExp(`^answers\\.${ANSWER_KEY.source.slice(1, -1)}$`), 'answers.<key> with a key of letters, digits, _ or -'),
]);

export const ImportMapping = z
  .object({
    /** Each file column (0-based index or its header title) and the field it feeds. */
    columns: z
      .array(z.object({ column: z.union([z.number().int().min(0).max(10_000), z.string().min(1).max(300)]), target: ImportTargetSchema }).strict())
      .max(500),
    /** The ticket type of rows without a ticket-type column or with an empty cell in it. */
    defaultTicketTypeId: Uuid.optional(),
  })
  .strict();
export type ImportMapping = z.infer<typeof ImportMapping>;

export const CommitRequest = z
  .object({
    /** Commit the good rows and leave out the bad ones (the report lists which). */
    skipBad: z.boolean().default(false),
  })
  .strict();

export const ReportQuery = z
  .object({
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export interface ImportProblemItem {
  line: number;
  column: number | null;
  columnTitle: string | null;
  field: string | null;
  reason: string;
  message: string;
  params: Record<string, string | number> | null;
}

export interface ImportJobView {
  id: string;
  eventId: string;
  status: string;
  fileName: string;
  fileSize: number;
  sha256: string;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  encodingDetected: boolean;
  delimiter: string | null;
  sheet: string | null;
  header: string[];
  headerLine: number;
  mapping: ImportMapping | null;
  counts: { rows: number; new: number; updated: number; unchanged: number; bad: number; problems: number; committed: number; skipped: number };
  report: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  checkedAt: string | null;
  finishedAt: string | null;
}
