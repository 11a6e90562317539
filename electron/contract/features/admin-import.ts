// Owns the attendee import and export slice of the contract (admin mode, admin operators only, online
// only): the events to choose from with their ticket types and registration-form keys; a file sent in
// bounded base64 chunks, which the core gathers and uploads to the server at the last one; the column
// mapping, the dry run, its report page by page and the commit; and an export downloaded as a file. Each
// call is typed here, and the core forwards none of them blindly: the same shapes parse the server's
// replies.
import { z } from 'zod';
import { Localized } from '../../../domain/wire';
import { call, Empty } from '../spec';

/** The largest file the core gathers for an import, and the largest export it hands over (64 MiB). */
export const ADMIN_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** The largest piece of a file one upload call carries, decoded. */
export const IMPORT_CHUNK_MAX_BYTES = 512 * 1024;
const BASE64_CHUNK_MAX = Math.ceil(IMPORT_CHUNK_MAX_BYTES / 3) * 4;
/** Problems one report page holds at most. */
export const IMPORT_REPORT_PAGE_MAX = 500;

const Id = z.string().uuid();
const Base64 = z
  .string()
  .max(BASE64_CHUNK_MAX)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'base64');

/** Targets that feed the attendee's kiosk information: one item kind each, and the entitlements held
 *  (a list of kinds such as "meal, drink"). */
export const INFO_IMPORT_TARGETS = ['seat', 'table', 'room', 'hotel', 'note', 'entitlements'] as const;
export const IMPORT_BUILT_IN_TARGETS = ['externalId', 'externalCode', 'ticketType', 'name', 'phone', 'email', 'company', 'idNumber', ...INFO_IMPORT_TARGETS] as const;
/** Where a column goes: a built-in field, a registration-form answer (answers.<key>), or nowhere. */
export const ImportTarget = z.union([
  z.enum(IMPORT_BUILT_IN_TARGETS),
  z.literal('ignore'),
  z.string().regex(/^answers\.[A-Za-z0-9_-]{1,64}$/, 'answers.<key>'),
]);
export type ImportTarget = z.infer<typeof ImportTarget>;

const MappingColumn = z.object({ column: z.union([z.number().int().min(0).max(10_000), z.string().min(1).max(300)]), target: ImportTarget });

export const ImportCounts = z.object({
  rows: z.number().int(),
  new: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  bad: z.number().int(),
  problems: z.number().int(),
  committed: z.number().int(),
  skipped: z.number().int(),
});

/** An import job as the organizer sees it. */
export const ImportJob = z.object({
  id: Id,
  eventId: Id,
  status: z.enum(['uploaded', 'mapped', 'checked', 'committing', 'done', 'failed']),
  fileName: z.string(),
  fileSize: z.number().int(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  encodingDetected: z.boolean(),
  delimiter: z.string().nullable(),
  sheet: z.string().nullable(),
  header: z.array(z.string()),
  headerLine: z.number().int(),
  mapping: z.object({ columns: z.array(MappingColumn), defaultTicketTypeId: Id.optional() }).nullable(),
  counts: ImportCounts,
  report: z.object({
    byReason: z.record(z.string(), z.number()).optional(),
    /** The commit found the event changed since the dry run (capacity sold, a code taken): check again. */
    changedSinceCheck: z.boolean().optional(),
    /** Why a commit stopped halfway (it can be run again). */
    error: z.string().optional(),
  }),
  createdAt: z.string(),
  checkedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const PreviewCell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What the server read of an uploaded file: the job, the first rows and the mapping it suggests. */
export const ImportUpload = z.object({
  job: ImportJob,
  suggestedMapping: z.array(MappingColumn),
  preview: z.array(z.object({ line: z.number().int(), cells: z.array(PreviewCell) })),
});
export type ImportUpload = z.infer<typeof ImportUpload>;

/** The server could not read the file as a table: its code (translated), where, and what it said. */
export const ImportFileRefusal = z.object({
  code: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  encoding: z.string().optional(),
  sheet: z.string().optional(),
  limit: z.number().optional(),
  message: z.string(),
});
export type ImportFileRefusal = z.infer<typeof ImportFileRefusal>;

/** Why a mapping cannot be used (each translated by its reason). */
export const ImportMappingProblem = z.object({
  reason: z.string(),
  field: z.string().optional(),
  column: z.union([z.number(), z.string()]).optional(),
  message: z.string(),
});
export type ImportMappingProblem = z.infer<typeof ImportMappingProblem>;

/** One problem of the dry run: a file line, the column (1-based) when there is one, and a reason code. */
export const ImportProblem = z.object({
  line: z.number().int(),
  column: z.number().int().nullable(),
  columnTitle: z.string().nullable(),
  field: z.string().nullable(),
  reason: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportReportPage = z.object({
  job: ImportJob,
  problems: z.array(ImportProblem),
  offset: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
});
export type ImportReportPage = z.infer<typeof ImportReportPage>;

/** An event to import into or export from, with its ticket types. */
export const AdminImportEvent = z.object({
  id: Id,
  name: Localized,
  startsAt: z.string(),
  ticketTypes: z.array(z.object({ id: Id, name: Localized })),
});
export type AdminImportEvent = z.infer<typeof AdminImportEvent>;

/** A registration-form field a column can feed (answers.<key>), with the ticket types whose form has it. */
export const ImportFormField = z.object({
  key: z.string(),
  label: z.record(z.string(), z.string()),
  ticketTypeIds: z.array(Id),
});
export type ImportFormField = z.infer<typeof ImportFormField>;

export const EXPORT_KINDS = ['attendees', 'orders', 'checkins'] as const;
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export const EXPORT_LANGS = ['en', 'zh-CN', 'ru'] as const;

export const ExportFile = z.object({
  /** The file's name as the server gave it. */
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** The whole file, base64. */
  data: z.string(),
});
export type ExportFile = z.infer<typeof ExportFile>;

export const adminImportCalls = {
  'admin.import.events': call({ input: Empty, output: z.array(AdminImportEvent), roles: ['admin'] }),
  'admin.import.formFields': call({ input: z.object({ eventId: Id }).strict(), output: z.array(ImportFormField), roles: ['admin'] }),
  /**
   * One piece of a file, in order. The first (uploadId null, offset 0, with `file`) opens an upload in the
   * core (one per UI: a new one drops the old; sign-out drops it too); each next one continues at the
   * offset received so far; the last sends the whole file to the server. The answer of the last holds
   * what the server read, or why it could not read it (`refused`). invalid_input: a piece out of order,
   * an unknown upload, or more than ADMIN_FILE_MAX_BYTES in all.
   */
  'admin.import.upload': call({
    input: z
      .object({
        uploadId: Id.nullable(),
        offset: z.number().int().min(0).max(ADMIN_FILE_MAX_BYTES),
        data: Base64,
        last: z.boolean(),
        file: z
          .object({
            eventId: Id,
            name: z.string().trim().min(1).max(255),
            format: z.enum(['csv', 'xlsx']).optional(),
            encoding: z.string().trim().min(1).max(32).optional(),
            delimiter: z.enum([',', ';', '\t']).optional(),
            sheet: z.string().min(1).max(100).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .refine((i) => (i.uploadId === null) === (i.file !== undefined), 'the first piece (uploadId null) names the file, and only it')
      .refine((i) => i.uploadId !== null || i.offset === 0, 'the first piece starts at offset 0'),
    output: z.object({
      uploadId: Id,
      received: z.number().int(),
      /** The last piece only: what the server read of the file, or why it could not. */
      upload: ImportUpload.nullable(),
      refused: ImportFileRefusal.nullable(),
    }),
    roles: ['admin'],
  }),
  /** Which column feeds which field (columns by 0-based index). A mapping that cannot work answers its
   *  problems and changes nothing. */
  'admin.import.mapping': call({
    input: z
      .object({
        importId: Id,
        columns: z.array(z.object({ column: z.number().int().min(0).max(10_000), target: ImportTarget }).strict()).max(500),
        defaultTicketTypeId: Id.nullable(),
      })
      .strict(),
    output: z.object({ job: ImportJob.nullable(), problems: z.array(ImportMappingProblem) }),
    roles: ['admin'],
  }),
  /** The dry run: every row checked, nothing written; the report then pages through the problems. */
  'admin.import.check': call({ input: z.object({ importId: Id }).strict(), output: ImportJob, roles: ['admin'] }),
  'admin.import.report': call({
    input: z.object({ importId: Id, offset: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(IMPORT_REPORT_PAGE_MAX) }).strict(),
    output: ImportReportPage,
    roles: ['admin'],
  }),
  /** Writes the rows; with skipBad the good ones only (the bad ones are left out, as the report lists). */
  'admin.import.commit': call({ input: z.object({ importId: Id, skipBad: z.boolean() }).strict(), output: ImportJob, roles: ['admin'] }),
  /** An export file of the event, whole (invalid_input when it is larger than ADMIN_FILE_MAX_BYTES). */
  'admin.export.download': call({
    input: z.object({ eventId: Id, kind: z.enum(EXPORT_KINDS), format: z.enum(EXPORT_FORMATS), lang: z.enum(EXPORT_LANGS) }).strict(),
    output: ExportFile,
    roles: ['admin'],
  }),
} as const;

export const adminImportEvents = {} as const;
