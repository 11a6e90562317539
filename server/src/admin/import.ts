// Owns the attendee import of an event, from an uploaded CSV/XLSX file to tickets at the gates: the job
// and its stored file, the column mapping, the dry run that reports every bad row with its line and a
// reason code and writes nothing, and the commit that writes the good rows in batches.
//
// The file is kept in the database (import_files, bytea) from upload until the commit finishes: the
// server may run on PostgreSQL without a data directory of its own, several server instances share one
// database, and the file must outlive a restart between upload and commit; the bytes go away with the
// job's success (they hold personal data) or with the event's retention purge.
//
// A re-import is keyed by the external id (unique per event): a row whose attendee is already there
// updates that ticket when its data changed and is left alone when it did not, so importing the same
// file twice creates nothing new, and a commit interrupted halfway and run again picks up where it
// stopped. "Did it change" is told by a keyed digest of the row (tickets.import_digest): an HMAC under
// a key derived from the server's PIN pepper (never replicated, sealed in the keyring), in two halves —
// the attendee data, and the ID number — so the slow ID hash (domain/hashing.ts, a third of a second of
// one core each) is computed only for new rows and rows whose ID number changed.
//
// Codes: a row with an external ticket code keeps it as the ticket's code (the gate looks opaque codes
// up in its cache). Codes are printable ASCII without spaces (what a gate accepts from a scanner) and
// must not start with S1 or R1 (the gate reads those as Admit's signed and rotating formats); anything
// else is refused in the dry run. A row without one gets a signed code like a box-office sale.
// Capacity: imported tickets count against their type's capacity under the same conditional UPDATE as
// orders (never past capacity, whoever sells at the same time).
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { signCode } from '../../../domain/codes';
import { idNumberHash, normalizeIdNumber } from '../../../domain/hashing';
import type { ServerDb } from '../db/client';
import {
  events,
  importFiles,
  importJobs,
  importProblems,
  quotas,
  quotaTicketTypes,
  tickets,
  ticketTypes,
  type ImportCounts,
  type ImportStatus,
} from '../db/schema';
import { rowsOf, writeTx, type ServerTx } from '../db/writes';
import { ApiFailure } from '../errors';
import { readCsv } from '../import/csv';
import { STANDARD_FIELDS, standardField, suggestMapping, type ColumnMapping, type FieldDef } from '../import/mapping';
import { catalogRowRules } from './import-rules';
import { attendeeKey, type RowRules, type RuleRecord, type TicketTypeRules } from '../import/rules';
import { ImportFileError, type Cell, type Table } from '../import/table';
import { validateTable, type AttendeeRow, type FieldValue, type RowProblem } from '../import/validate';
import { readXlsx } from '../import/xlsx';
import { importAttendeeInfo, type ImportedInfo } from './kiosk';
import { AttendeeInfoItem, EntitlementKind } from '../../../domain/kiosk-wire';
import type { Keyring } from '../keyring';
import type { PokeHub } from '../pokes';
import { recordServerAction } from '../services/audit';
import { signingKey } from '../services/keys';
import { lockQuotas } from '../services/orders';
import { windowsOfTypes } from '../services/ticket-windows';
import {
  INFO_IMPORT_TARGETS,
  IMPORT_MAX_BYTES,
  IMPORT_PREVIEW_ROWS,
  ImportMapping,
  type ImportJobView,
  type ImportProblemItem,
  type ImportTarget,
  type UploadQuery,
} from './import-schemas';

export interface ImportDeps {
  db: ServerDb;
  now: () => Date;
  hub: PokeHub;
  keyring: () => Promise<Keyring>;
  /** What each ticket type asks of an imported row; the default asks for a name only. */
  rules?: RowRules;
  /** Rows written per transaction. */
  batchSize?: number;
  /** How long a commit request waits for its rows to be written before answering 'committing'
   *  (default COMMIT_REPLY_WITHIN_MS; Infinity: when they are all written). */
  replyWithinMs?: number;
  /** Called when a commit run has ended (done or failed) and another may start (tests wait on it). */
  onCommitEnded?: (jobId: string) => void;
  /** Called after each committed batch with the rows written so far (progress; tests stop a commit here). */
  afterBatch?: (jobId: string, written: number) => void | Promise<void>;
}

type JobRecord = typeof importJobs.$inferSelect;
type TypeRecord = typeof ticketTypes.$inferSelect;

const EMPTY_COUNTS: ImportCounts = { rows: 0, new: 0, updated: 0, unchanged: 0, bad: 0, problems: 0, committed: 0, skipped: 0 };
const DEFAULT_BATCH = 1000;
/** ID hashes computed at once (scrypt runs on libuv's thread pool). */
const HASH_CONCURRENCY = 4;
/** The gate accepts printable ASCII (a scanner's output) of at most 512 characters. */
const EXTERNAL_CODE = /^[\x21-\x7e]{1,200}$/;
const RESERVED_CODE_PREFIXES = ['S1', 'R1'];
const ID_NUMBER = /^[\p{L}\p{N}]{4,64}$/u;
const CHUNK = 5000;

const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

// ---- reading the file -------------------------------------------------------------------------------

interface ReadOptions {
  format: 'csv' | 'xlsx';
  encoding?: string | null;
  sheet?: string | null;
  delimiter?: string | null;
}

interface ReadTable extends Table {
  encoding: string | null;
  encodingDetected: boolean;
  delimiter: string | null;
  sheet: string | null;
}

async function readTable(bytes: Uint8Array, options: ReadOptions): Promise<ReadTable> {
  const limits = { maxBytes: IMPORT_MAX_BYTES };
  if (options.format === 'xlsx') {
    const table = await readXlsx(bytes, { ...(options.sheet ? { sheet: options.sheet } : {}), limits });
    return { ...table, encoding: null, encodingDetected: false, delimiter: null };
  }
  const table = readCsv(bytes, {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter as ',' | ';' | '\t' } : {}),
    limits,
  });
  return { ...table, encoding: table.decoded.encoding, encodingDetected: table.decoded.detected, delimiter: table.delimiter, sheet: null };
}

function formatOf(bytes: Uint8Array, name: string, asked: 'csv' | 'xlsx' | undefined): 'csv' | 'xlsx' {
  if (asked) return asked;
  if (isZip(bytes) || /\.xlsx$/i.test(name)) return 'xlsx';
  return 'csv';
}

// ---- mapping: API targets ↔ the file layer's fields -------------------------------------------------

const TARGET_TO_FIELD: Record<string, string> = { name: 'attendeeName' };
const FIELD_TO_TARGET: Record<string, string> = { attendeeName: 'name' };
const fieldOf = (target: string) => TARGET_TO_FIELD[target] ?? target;
const targetOf = (field: string) => (FIELD_TO_TARGET[field] ?? field) as ImportTarget;

/** A control character other than a tab or a line break (PostgreSQL cannot keep NUL; a kiosk shows none). */
const hasControl = (text: string) =>
  [...text].some((ch) => {
    const c = ch.charCodeAt(0);
    return (c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f;
  });
const isInfoTarget = (target: string): target is (typeof INFO_IMPORT_TARGETS)[number] =>
  (INFO_IMPORT_TARGETS as readonly string[]).includes(target);
/** Most entitlement kinds one cell names. */
const MAX_IMPORTED_ENTITLEMENTS = 20;

/** The kiosk information a row's info columns carry (null: the mapping has no info column), or the
 *  problem with one of its cells. */
function infoOfRow(mapping: ImportMapping, custom: AttendeeRow['custom']): { ok: true; info: ImportedInfo | null } | { ok: false; field: string; reason: string; message: string; params?: Record<string, string | number> } {
  const targets = mapping.columns.map((c) => c.target).filter(isInfoTarget);
  if (targets.length === 0) return { ok: true, info: null };
  const info: ImportedInfo = { items: {}, entitlements: null };
  for (const target of targets) {
    const cell = custom[target];
    const text = cell === null || cell === undefined ? null : String(cell).trim() || null;
    if (text !== null && hasControl(text)) {
      return { ok: false, field: target, reason: 'bad_info', message: `the ${target} holds a control character.` };
    }
    if (target === 'entitlements') {
      const kinds = [...new Set((text ?? '').toLowerCase().split(/[\s,;]+/u).filter((k) => k !== ''))];
      const bad = kinds.find((k) => !EntitlementKind.safeParse(k).success);
      if (bad !== undefined) {
        return {
          ok: false,
          field: target,
          reason: 'bad_entitlement',
          message: `"${bad}" is not an entitlement kind (lower-case letters, digits, _ or -, separated by commas).`,
          params: { value: bad.slice(0, 60) },
        };
      }
      if (kinds.length > MAX_IMPORTED_ENTITLEMENTS) {
        return { ok: false, field: target, reason: 'too_many_entitlements', message: `more than ${MAX_IMPORTED_ENTITLEMENTS} entitlements.`, params: { max: MAX_IMPORTED_ENTITLEMENTS } };
      }
      info.entitlements = kinds.sort();
    } else {
      if (text !== null && !AttendeeInfoItem.safeParse({ kind: target, value: text }).success) {
        return { ok: false, field: target, reason: 'bad_info', message: `the ${target} cannot be shown at the kiosk.` };
      }
      info.items[target] = text;
    }
  }
  return { ok: true, info };
}

/** The field definitions a mapping reads through: the standard fields and the answers it names. */
function fieldsFor(mapping: ImportMapping): FieldDef[] {
  const fields = STANDARD_FIELDS.map((key) => standardField(key, key === 'externalId'));
  for (const line of mapping.columns) {
    if (line.target.startsWith('answers.')) fields.push({ key: line.target, type: 'text', required: false, maxLength: 10_000 });
    else if (isInfoTarget(line.target)) fields.push({ key: line.target, type: 'text', required: false, maxLength: 500 });
  }
  return fields;
}

function columnMappings(mapping: ImportMapping): ColumnMapping[] {
  return mapping.columns.filter((c) => c.target !== 'ignore').map((c) => ({ column: c.column, field: fieldOf(c.target) }));
}

function suggested(header: readonly string[]): ImportMapping['columns'] {
  const fields = STANDARD_FIELDS.map((key) => standardField(key, false));
  return suggestMapping(header, fields).map((m) => ({ column: m.column, target: targetOf(m.field) }));
}

const previewCell = (cell: Cell | undefined): string | number | boolean | null => (cell === undefined ? null : cell);

// ---- views ------------------------------------------------------------------------------------------

function jobView(job: JobRecord): ImportJobView {
  return {
    id: job.id,
    eventId: job.eventId,
    status: job.status,
    fileName: job.fileName,
    fileSize: job.fileSize,
    sha256: job.fileSha256,
    format: job.format,
    encoding: job.encoding,
    encodingDetected: job.encodingDetected,
    delimiter: job.delimiter,
    sheet: job.sheet,
    header: job.header,
    headerLine: job.headerLine,
    mapping: (job.mapping as ImportMapping | null) ?? null,
    counts: job.counts,
    report: job.report,
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    checkedAt: job.checkedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

async function loadJob(db: ServerDb | ServerTx, jobId: string): Promise<JobRecord> {
  const [job] = await db.select().from(importJobs).where(eq(importJobs.id, jobId));
  if (!job) throw new ApiFailure('not_found', `no import ${jobId}`);
  return job;
}

async function loadFile(db: ServerDb, jobId: string): Promise<Buffer> {
  // As base64 text: PGlite moves bytea parameters and results byte by byte, several times slower.
  const [file] = await rowsOf<{ bytes: string }>(db, sql`select encode(bytes, 'base64') as bytes from import_files where job_id = ${jobId}::uuid`);
  if (!file) throw new ApiFailure('import_refused', `the file of import ${jobId} is no longer kept (the import is finished or its event's personal data was erased)`);
  return Buffer.from(file.bytes, 'base64');
}

const audit = (deps: ImportDeps, action: Parameters<typeof recordServerAction>[1], subject: string, detail: Parameters<typeof recordServerAction>[3]) =>
  recordServerAction(deps.db, action, subject, detail, deps.now());

// ---- upload -----------------------------------------------------------------------------------------

export interface UploadResult {
  job: ImportJobView;
  suggestedMapping: ImportMapping['columns'];
  /** The first data rows as read, with their lines. */
  preview: { line: number; cells: (string | number | boolean | null)[] }[];
}

export async function uploadImport(
  deps: ImportDeps,
  eventId: string,
  bytes: Buffer,
  query: UploadQuery & { name: string },
  createdBy: string | null,
): Promise<UploadResult> {
  const [event] = await deps.db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
  if (!event) throw new ApiFailure('not_found', `no event ${eventId}`);
  if (bytes.length > IMPORT_MAX_BYTES) throw new ApiFailure('payload_too_large', `the file is ${bytes.length} bytes; the limit is ${IMPORT_MAX_BYTES} bytes (64 MiB)`);
  if (query.format === 'csv' && isZip(bytes)) throw new ImportFileError('csv_syntax', 'The file is a ZIP archive (an XLSX workbook?), not CSV text: upload it as XLSX.');
  const format = formatOf(bytes, query.name, query.format);
  // The whole file is read now, so a file that cannot be imported is refused before a job exists.
  const table = await readTable(bytes, { format, encoding: query.encoding, sheet: query.sheet, delimiter: query.delimiter });
  const now = deps.now();
  const id = uuidv7();
  const job = {
    id,
    eventId,
    status: 'uploaded' as const,
    fileName: query.name,
    fileSize: bytes.length,
    fileSha256: createHash('sha256').update(bytes).digest('hex'),
    format,
    encoding: table.encoding,
    encodingDetected: table.encodingDetected,
    delimiter: table.delimiter,
    sheet: table.sheet,
    header: table.header,
    headerLine: table.headerLine,
    mapping: null,
    counts: { ...EMPTY_COUNTS, rows: table.records.length },
    report: {},
    createdBy,
    createdAt: now,
    updatedAt: now,
  };
  await deps.db.transaction(async (tx) => {
    await tx.insert(importJobs).values(job);
    await tx.execute(sql`insert into import_files (job_id, bytes) values (${id}::uuid, decode(${bytes.toString('base64')}, 'base64'))`);
  });
  await audit(deps, 'import_uploaded', id, {
    eventId,
    fileName: query.name.slice(0, 200),
    bytes: bytes.length,
    format,
    encoding: table.encoding,
    rows: table.records.length,
  });
  return {
    job: jobView(await loadJob(deps.db, id)),
    suggestedMapping: suggested(table.header),
    preview: table.records.slice(0, IMPORT_PREVIEW_ROWS).map((r) => ({ line: r.line, cells: table.header.map((_, i) => previewCell(r.cells[i])) })),
  };
}

// ---- mapping ----------------------------------------------------------------------------------------

export async function setImportMapping(deps: ImportDeps, jobId: string, mapping: ImportMapping): Promise<ImportJobView> {
  const job = await loadJob(deps.db, jobId);
  if (job.status === 'committing' || job.status === 'done') {
    throw new ApiFailure('import_refused', `import ${jobId} is ${job.status}: its mapping can no longer change`);
  }
  // Checked against the header now, so a mapping that cannot work is refused before any row is read.
  validateTable({ header: job.header, records: [] }, columnMappings(mapping), fieldsFor(mapping));
  const mapsType = mapping.columns.some((c) => c.target === 'ticketType');
  if (mapping.defaultTicketTypeId !== undefined) {
    const [type] = await deps.db
      .select({ id: ticketTypes.id })
      .from(ticketTypes)
      .where(and(eq(ticketTypes.id, mapping.defaultTicketTypeId), eq(ticketTypes.eventId, job.eventId)));
    if (!type) throw new ApiFailure('unknown_ticket_type', `no ticket type ${mapping.defaultTicketTypeId} in event ${job.eventId}`);
  } else if (!mapsType) {
    throw new ApiFailure('bad_request', 'map a column to ticketType or choose defaultTicketTypeId');
  }
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await tx.delete(importProblems).where(eq(importProblems.jobId, jobId));
    await tx
      .update(importJobs)
      .set({ mapping, status: 'mapped', counts: { ...EMPTY_COUNTS, rows: job.counts.rows }, report: {}, checkedAt: null, updatedAt: now })
      .where(eq(importJobs.id, jobId));
  });
  await audit(deps, 'import_mapped', jobId, {
    eventId: job.eventId,
    columns: mapping.columns.filter((c) => c.target !== 'ignore').length,
    defaultTicketTypeId: mapping.defaultTicketTypeId ?? null,
  });
  return jobView(await loadJob(deps.db, jobId));
}

// ---- the plan: every row checked against the file, the rules and the database (read only) ----------

interface Existing {
  id: string;
  externalId: string;
  ticketTypeId: string;
  code: string;
  importDigest: string | null;
  email: string | null;
  phone: string | null;
}

interface PlannedRow {
  line: number;
  action: 'new' | 'update' | 'unchanged';
  externalId: string;
  type: TypeRecord;
  row: AttendeeRow;
  answers: Record<string, FieldValue>;
  digest: string;
  /** The kiosk information the row's columns carry; null when the mapping has none. */
  info: ImportedInfo | null;
  /** The ID number half of the digest changed (or the row is new): its hash must be computed. */
  idChanged: boolean;
  existing: Existing | null;
}

export interface Problem {
  line: number;
  column: number | null;
  columnTitle: string | null;
  field: string | null;
  reason: string;
  message: string;
  params?: Record<string, string | number>;
}

interface Plan {
  rows: PlannedRow[];
  problems: Problem[];
  /** Lines with at least one problem. */
  badLines: Set<number>;
  counts: ImportCounts;
}

const normalizeName = (text: string) => text.normalize('NFKC').trim().toLowerCase();

function typeResolver(types: readonly TypeRecord[]) {
  const byName = new Map<string, TypeRecord[]>();
  const byId = new Map(types.map((t) => [t.id, t]));
  for (const type of types) {
    for (const name of new Set(Object.values(type.name).map(normalizeName))) {
      const list = byName.get(name) ?? [];
      list.push(type);
      byName.set(name, list);
    }
  }
  return (text: string): TypeRecord[] => {
    const exact = byId.get(text.trim().toLowerCase());
    return exact ? [exact] : (byName.get(normalizeName(text)) ?? []);
  };
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** The key of row digests: derived from the PIN pepper, per event, never stored. */
const digestKey = (keyring: Keyring, eventId: string) =>
  Buffer.from(hkdfSync('sha256', keyring.pinKey, Buffer.from(eventId, 'utf8'), 'admit/import-row-digest', 32));

function rowDigest(key: Buffer, typeId: string, row: AttendeeRow, answers: Record<string, FieldValue>, info: ImportedInfo | null): string {
  // The kiosk information counts only when the file maps it: an import without it keeps its digests.
  const fields = [typeId, row.attendeeName, row.email, row.phone, row.company, row.externalCode, answers];
  const data = stableJson(info === null ? fields : [...fields, info]);
  const idPart = row.idNumber === null ? '' : normalizeIdNumber(row.idNumber);
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url').slice(0, 32);
  return `${mac(`data:${data}`)}.${mac(`id:${idPart}`)}`;
}

const idHalf = (digest: string | null) => (digest === null ? null : digest.slice(digest.indexOf('.') + 1));

const BUILT_IN_TO_ROW = { name: 'attendeeName', phone: 'phone', email: 'email', company: 'company', idNumber: 'idNumber' } as const;

async function buildPlan(deps: ImportDeps, job: JobRecord, bytes: Buffer): Promise<Plan> {
  const mapping = ImportMapping.parse(job.mapping);
  const table = await readTable(bytes, { format: job.format, encoding: job.encoding, sheet: job.sheet, delimiter: job.delimiter });
  const report = validateTable(table, columnMappings(mapping), fieldsFor(mapping));
  const keyring = await deps.keyring();
  const key = digestKey(keyring, job.eventId);

  const types = await deps.db.select().from(ticketTypes).where(eq(ticketTypes.eventId, job.eventId));
  const rules = deps.rules ?? (await catalogRowRules(deps.db, job.eventId, types));
  const resolveType = typeResolver(types);
  const defaultType = mapping.defaultTicketTypeId ? types.find((t) => t.id === mapping.defaultTicketTypeId) : undefined;
  const rulesOf = new Map<string, TicketTypeRules>(types.map((t) => [t.id, rules.forType(t)]));
  const existingRows = await deps.db
    .select({
      id: tickets.id,
      externalId: tickets.externalId,
      ticketTypeId: tickets.ticketTypeId,
      code: tickets.code,
      importDigest: tickets.importDigest,
      email: tickets.email,
      phone: tickets.phone,
    })
    .from(tickets)
    .where(and(eq(tickets.eventId, job.eventId), isNotNull(tickets.externalId)));
  const existingById = new Map(existingRows.map((r) => [r.externalId!, r as Existing]));

  const columnOf = (field: string) => report.columns.find((c) => c.field.key === field);
  const problems: Problem[] = [];
  const badLines = new Set<number>();
  const add = (line: number, field: string | null, reason: string, message: string, params?: Record<string, string | number>) => {
    const column = field === null ? undefined : columnOf(field);
    problems.push({
      line,
      column: column ? column.index + 1 : null,
      columnTitle: column ? column.title : null,
      field: field === null ? null : targetOf(field),
      reason,
      message: `Line ${line}: ${message}`,
      ...(params ? { params } : {}),
    });
    badLines.add(line);
  };
  const fromFile = (p: RowProblem) => {
    problems.push({
      line: p.line,
      column: p.column,
      columnTitle: p.columnTitle,
      field: p.field === undefined ? null : targetOf(p.field),
      reason: p.reason,
      message: p.message,
      ...(p.params ? { params: p.params } : {}),
    });
    badLines.add(p.line);
  };

  const candidates: PlannedRow[] = [];
  for (const result of report.results) {
    if (!result.ok) {
      result.problems.forEach(fromFile);
      continue;
    }
    const { row, line } = result;
    let ok = true;
    const fail = (field: string | null, reason: string, message: string, params?: Record<string, string | number>) => {
      add(line, field, reason, message, params);
      ok = false;
    };
    let type: TypeRecord | undefined;
    if (row.ticketType !== null) {
      const found = resolveType(row.ticketType);
      if (found.length === 1) type = found[0];
      else if (found.length === 0) fail('ticketType', 'unknown_ticket_type', `the event has no ticket type "${row.ticketType}".`, { value: row.ticketType });
      else fail('ticketType', 'ambiguous_ticket_type', `several ticket types are named "${row.ticketType}": name it by its id.`, { value: row.ticketType });
    } else if (defaultType) type = defaultType;
    else fail('ticketType', 'ticket_type_required', 'the row names no ticket type and the import has no default one.');

    let answers: Record<string, FieldValue> = {};
    for (const [k, v] of Object.entries(row.custom)) if (v !== null && k.startsWith('answers.')) answers[k.slice('answers.'.length)] = v;
    const info = infoOfRow(mapping, row.custom);
    if (!info.ok) fail(info.field, info.reason, info.message, info.params);
    if (row.idNumber !== null && !ID_NUMBER.test(normalizeIdNumber(row.idNumber))) {
      fail('idNumber', 'bad_id_number', 'the ID number must be 4 to 64 letters and digits.');
    }
    if (row.externalCode !== null) {
      if (!EXTERNAL_CODE.test(row.externalCode)) {
        fail('externalCode', 'bad_code', 'a ticket code must be printable ASCII without spaces (letters, digits, punctuation), at most 200 characters.');
      } else if (RESERVED_CODE_PREFIXES.some((p) => row.externalCode!.startsWith(p))) {
        fail('externalCode', 'bad_code_prefix', 'a ticket code from another system must not start with S1 or R1 (Admit\'s own code formats).', {
          prefix: row.externalCode.slice(0, 2),
        });
      }
    }
    if (type) {
      const typeRules = rulesOf.get(type.id)!;
      if (!typeRules.importAllowed) fail('ticketType', 'import_not_allowed', `tickets of type "${Object.values(type.name)[0] ?? type.id}" cannot be imported.`);
      const record: RuleRecord = {
        line,
        name: row.attendeeName,
        phone: row.phone,
        email: row.email,
        company: row.company,
        idNumber: row.idNumber,
        answers,
      };
      const required = new Set(typeRules.requiredFields);
      if (typeRules.realName) required.add('idNumber');
      for (const field of required) {
        const rowKey = BUILT_IN_TO_ROW[field];
        if (row[rowKey] === null) {
          fail(rowKey, 'required', columnOf(rowKey) ? `"${field}" is required for this ticket type.` : `"${field}" is required for this ticket type, and no column is mapped to it.`, { field });
        }
      }
      const checked = typeRules.checkAnswers(record);
      for (const p of checked.problems) fail(`answers.${p.key}`, p.reason, p.message, p.params);
      answers = checked.answers;
    }
    if (!ok || !type) continue;
    const externalId = row.externalId!;
    const existing = existingById.get(externalId) ?? null;
    if (existing && existing.ticketTypeId !== type.id) {
      add(line, 'ticketType', 'ticket_type_changed', `the attendee "${externalId}" already holds a ticket of another type; revoke it first to change the type.`, {
        value: externalId,
      });
      continue;
    }
    const digest = rowDigest(key, type.id, row, answers, info.ok ? info.info : null);
    const action = existing === null ? 'new' : existing.importDigest === digest ? 'unchanged' : 'update';
    candidates.push({
      line,
      action,
      externalId,
      type,
      row,
      answers,
      digest,
      info: info.ok ? info.info : null,
      idChanged: row.idNumber !== null && (existing === null || idHalf(existing.importDigest) !== idHalf(digest)),
      existing,
    });
  }

  // Codes already held by another ticket (of any event: codes are unique server-wide).
  const withCode = candidates.filter((c) => c.row.externalCode !== null && c.row.externalCode !== c.existing?.code);
  const holders = new Map<string, string>();
  for (let i = 0; i < withCode.length; i += CHUNK) {
    const codes = withCode.slice(i, i + CHUNK).map((c) => c.row.externalCode!);
    for (const r of await deps.db.select({ id: tickets.id, code: tickets.code }).from(tickets).where(inArray(tickets.code, codes))) holders.set(r.code, r.id);
  }
  const afterCodes = candidates.filter((c) => {
    const holder = c.row.externalCode === null ? undefined : holders.get(c.row.externalCode);
    if (holder === undefined || holder === c.existing?.id) return true;
    add(c.line, 'externalCode', 'code_taken', `the ticket code "${c.row.externalCode}" already belongs to another ticket.`, { value: c.row.externalCode! });
    return false;
  });

  // Per-attendee limits: the file's rows and the attendee's tickets already imported under other ids.
  const inFile = new Set(afterCodes.map((c) => c.externalId));
  const held = new Map<string, number>();
  for (const e of existingRows) {
    if (inFile.has(e.externalId!)) continue;
    const k = attendeeKey({ idNumber: null, email: e.email, phone: e.phone });
    if (k) held.set(`${e.ticketTypeId}/${k}`, (held.get(`${e.ticketTypeId}/${k}`) ?? 0) + 1);
  }
  const afterLimits = afterCodes.filter((c) => {
    const limit = rulesOf.get(c.type.id)!.maxPerAttendee;
    const k = attendeeKey(c.row);
    if (limit === null || k === null) return true;
    const slot = `${c.type.id}/${k}`;
    const n = (held.get(slot) ?? 0) + 1;
    if (n > limit) {
      add(c.line, null, 'over_max_per_attendee', `this attendee would hold more than ${limit} tickets of this type.`, { max: limit });
      return false;
    }
    held.set(slot, n);
    return true;
  });

  // Capacity: new tickets in file order until the type, or a quota it shares, is full; the rest are over
  // capacity.
  const left = new Map(types.map((t) => [t.id, t.capacity === null ? Infinity : t.capacity - t.sold]));
  const shared = await eventQuotas(deps.db, job.eventId);
  const quotaLeft = new Map(shared.map((q) => [q.id, q.capacity - q.sold]));
  const rows = afterLimits.filter((c) => {
    if (c.action !== 'new') return true;
    const n = left.get(c.type.id)!;
    if (n <= 0) {
      add(c.line, 'ticketType', 'over_capacity', `the ticket type "${Object.values(c.type.name)[0] ?? c.type.id}" has no capacity left for this row (capacity ${c.type.capacity}).`, {
        capacity: c.type.capacity ?? 0,
      });
      return false;
    }
    const full = shared.find((q) => q.typeIds.has(c.type.id) && quotaLeft.get(q.id)! <= 0);
    if (full) {
      add(c.line, 'ticketType', 'over_capacity', `the quota "${Object.values(full.name)[0] ?? full.id}" shared by this ticket type has no capacity left for this row (capacity ${full.capacity}).`, {
        capacity: full.capacity,
      });
      return false;
    }
    left.set(c.type.id, n - 1);
    for (const q of shared) if (q.typeIds.has(c.type.id)) quotaLeft.set(q.id, quotaLeft.get(q.id)! - 1);
    return true;
  });

  problems.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  const counts: ImportCounts = {
    rows: table.records.length,
    new: rows.filter((r) => r.action === 'new').length,
    updated: rows.filter((r) => r.action === 'update').length,
    unchanged: rows.filter((r) => r.action === 'unchanged').length,
    bad: badLines.size,
    problems: problems.length,
    committed: 0,
    skipped: 0,
  };
  return { rows, problems, badLines, counts };
}

function byReason(problems: readonly Problem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of problems) out[p.reason] = (out[p.reason] ?? 0) + 1;
  return out;
}

async function saveProblems(tx: ServerTx, jobId: string, problems: readonly Problem[]) {
  await tx.delete(importProblems).where(eq(importProblems.jobId, jobId));
  for (let i = 0; i < problems.length; i += 1000) {
    await tx.insert(importProblems).values(
      problems.slice(i, i + 1000).map((p, j) => ({
        jobId,
        ordinal: i + j,
        line: p.line,
        column: p.column,
        columnTitle: p.columnTitle,
        field: p.field,
        reason: p.reason,
        message: p.message.slice(0, 1000),
        params: p.params ?? null,
      })),
    );
  }
}

/** The plan of a job from its stored file. */
async function planOf(deps: ImportDeps, job: JobRecord): Promise<Plan> {
  return buildPlan(deps, job, await loadFile(deps.db, job.id));
}

// ---- check (dry run) --------------------------------------------------------------------------------

export async function checkImport(deps: ImportDeps, jobId: string): Promise<ImportJobView> {
  const job = await loadJob(deps.db, jobId);
  if (job.mapping === null) throw new ApiFailure('import_refused', `import ${jobId} has no column mapping yet`);
  if (job.status === 'committing' || job.status === 'done') throw new ApiFailure('import_refused', `import ${jobId} is ${job.status}`);
  const plan = await planOf(deps, job);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await saveProblems(tx, jobId, plan.problems);
    await tx
      .update(importJobs)
      .set({ status: 'checked', counts: plan.counts, report: { byReason: byReason(plan.problems) }, checkedAt: now, updatedAt: now })
      .where(eq(importJobs.id, jobId));
  });
  await audit(deps, 'import_checked', jobId, {
    eventId: job.eventId,
    rows: plan.counts.rows,
    new: plan.counts.new,
    updated: plan.counts.updated,
    unchanged: plan.counts.unchanged,
    bad: plan.counts.bad,
  });
  return jobView(await loadJob(deps.db, jobId));
}

// ---- commit -----------------------------------------------------------------------------------------

const unixSeconds = (d: Date) => Math.max(0, Math.min(0xffffffff, Math.floor(d.getTime() / 1000)));
const running = new Set<string>();

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}

/** How long the commit request waits for the rows to be written before it answers with the job still
 *  'committing' (the commit goes on; GET the job to follow it). */
export const COMMIT_REPLY_WITHIN_MS = 5_000;

/**
 * Commits a checked import. The checks (and a refusal) answer at once; the rows are then written in
 * batches in the background: the answer is the finished job when that takes less than `replyWithinMs`,
 * else the job as it stands ('committing', with `counts.committed` so far). A failure within that time
 * is thrown; a later one is recorded in the job ('failed'), which a new commit resumes.
 */
export async function commitImport(deps: ImportDeps, jobId: string, options: { skipBad: boolean }): Promise<ImportJobView> {
  if (running.has(jobId)) throw new ApiFailure('import_refused', `import ${jobId} is being committed right now`);
  running.add(jobId);
  let write: () => Promise<void>;
  try {
    write = await prepareCommit(deps, jobId, options);
  } catch (err) {
    running.delete(jobId);
    throw err;
  }
  const finished = write().finally(() => {
    running.delete(jobId);
    deps.onCommitEnded?.(jobId);
  });
  const within = deps.replyWithinMs ?? COMMIT_REPLY_WITHIN_MS;
  if (!Number.isFinite(within)) {
    await finished;
    return jobView(await loadJob(deps.db, jobId));
  }
  const outcome = await Promise.race([
    finished.then(
      () => ({ done: true as const, error: null }),
      (error: unknown) => ({ done: true as const, error }),
    ),
    new Promise<{ done: false }>((resolve) => setTimeout(() => resolve({ done: false }), within).unref()),
  ]);
  if (!outcome.done) finished.catch(() => undefined); // recorded in the job as 'failed'
  else if (outcome.error) throw outcome.error;
  return jobView(await loadJob(deps.db, jobId));
}

async function setStatus(deps: ImportDeps, jobId: string, status: ImportStatus, fields: Partial<typeof importJobs.$inferInsert> = {}) {
  await deps.db.update(importJobs).set({ status, updatedAt: deps.now(), ...fields }).where(eq(importJobs.id, jobId));
}

/** Checks that the job may be committed (throwing the refusal), marks it 'committing', and answers the
 *  writing of its rows, to run next. */
async function prepareCommit(deps: ImportDeps, jobId: string, options: { skipBad: boolean }): Promise<() => Promise<void>> {
  const job = await loadJob(deps.db, jobId);
  // 'committing' or 'failed': a commit that stopped halfway, run again.
  if (!['checked', 'committing', 'failed'].includes(job.status)) {
    throw new ApiFailure('import_refused', `import ${jobId} is ${job.status}: run the check (dry run) first`);
  }
  if (job.status === 'checked' && job.counts.bad > 0 && !options.skipBad) {
    throw new ApiFailure('import_refused', `the last check found ${job.counts.bad} bad rows: fix the file, or commit with skipBad to import only the good rows`);
  }
  const plan = await planOf(deps, job);
  if (plan.counts.bad > 0 && !options.skipBad) {
    // Something changed since the check (capacity sold, a code taken): the organizer sees it first.
    const now = deps.now();
    await deps.db.transaction(async (tx) => {
      await saveProblems(tx, jobId, plan.problems);
      await tx
        .update(importJobs)
        .set({ status: 'checked', counts: plan.counts, report: { byReason: byReason(plan.problems), changedSinceCheck: true }, checkedAt: now, updatedAt: now })
        .where(eq(importJobs.id, jobId));
    });
    throw new ApiFailure('import_refused', `the file now has ${plan.counts.bad} bad rows (the event changed since the check): see the report`);
  }
  const skippedLines = [...plan.badLines].sort((a, b) => a - b);
  const counts: ImportCounts = { ...plan.counts, skipped: skippedLines.length, committed: 0 };
  await deps.db.transaction(async (tx) => {
    await saveProblems(tx, jobId, plan.problems);
    await tx
      .update(importJobs)
      .set({ status: 'committing', counts, report: { byReason: byReason(plan.problems), skippedLines: skippedLines.slice(0, 1000), skipped: skippedLines.length }, updatedAt: deps.now() })
      .where(eq(importJobs.id, jobId));
  });
  await audit(deps, 'import_commit_started', jobId, { eventId: job.eventId, new: counts.new, updated: counts.updated, skipped: counts.skipped });
  return () => writeRows(deps, job, plan, counts);
}

/** Writes a committing job's rows batch by batch, then marks it done (or failed, and throws). */
async function writeRows(deps: ImportDeps, job: JobRecord, plan: Plan, counts: ImportCounts): Promise<void> {
  const jobId = job.id;
  const work = plan.rows.filter((r) => r.action !== 'unchanged');
  const batchSize = deps.batchSize ?? DEFAULT_BATCH;
  const keyring = await deps.keyring();
  const [event] = await deps.db.select().from(events).where(eq(events.id, job.eventId));
  let written = 0;
  try {
    for (let i = 0; i < work.length; i += batchSize) {
      const batch = work.slice(i, i + batchSize);
      // The slow ID hashes, outside the transaction.
      const idHashes = new Map<number, string>();
      const toHash = batch.filter((r) => r.idChanged);
      const hashes = await mapLimited(toHash, HASH_CONCURRENCY, (r) => idNumberHash(r.row.idNumber!, event!.idSalt));
      toHash.forEach((r, j) => idHashes.set(r.line, hashes[j]!));
      const seq = await writeBatch(deps, { jobId: job.id, event: event!, keyring }, batch, idHashes);
      written += batch.length;
      await deps.db
        .update(importJobs)
        .set({ counts: { ...counts, committed: written }, updatedAt: deps.now() })
        .where(eq(importJobs.id, jobId));
      deps.hub.poke(seq);
      await deps.afterBatch?.(jobId, written);
    }
  } catch (err) {
    const message = err instanceof ApiFailure ? (err.detail ?? err.code) : (err as Error).message;
    // The job's state is written last: once it reads 'failed', this run is over and a new commit may start.
    await audit(deps, 'import_failed', jobId, { eventId: job.eventId, committed: written, error: message.slice(0, 200) });
    await setStatus(deps, jobId, 'failed', { counts: { ...counts, committed: written }, report: { byReason: byReason(plan.problems), error: message.slice(0, 500), committed: written } });
    throw err;
  }
  await audit(deps, 'import_committed', jobId, {
    eventId: job.eventId,
    new: counts.new,
    updated: counts.updated,
    unchanged: counts.unchanged,
    skipped: counts.skipped,
  });
  // Last, as above: once the job reads 'done', this run is over.
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await tx.delete(importFiles).where(eq(importFiles.jobId, jobId));
    await tx
      .update(importJobs)
      .set({ status: 'done', counts: { ...counts, committed: written }, finishedAt: now, updatedAt: now })
      .where(eq(importJobs.id, jobId));
  });
}

interface BatchContext {
  jobId: string;
  event: typeof events.$inferSelect;
  keyring: Keyring;
}

const personalColumns = (r: PlannedRow) => ({
  attendeeName: r.row.attendeeName,
  email: r.row.email,
  phone: r.row.phone,
  phoneLast4: r.row.phoneLast4,
  company: r.row.company,
  answers: Object.keys(r.answers).length > 0 ? r.answers : null,
});

/** One batch in one transaction: reserve capacity, insert the new tickets, update the changed ones. */
async function writeBatch(deps: ImportDeps, ctx: BatchContext, batch: readonly PlannedRow[], idHashes: Map<number, string>): Promise<number> {
  const now = deps.now();
  return writeTx(deps.db, async (tx) => {
    let seq = 0;
    // Rows a previous, interrupted run of this commit (or another import) already wrote.
    const ids = batch.map((r) => r.externalId);
    const present = new Map(
      (
        await tx
          .select({ id: tickets.id, externalId: tickets.externalId, digest: tickets.importDigest })
          .from(tickets)
          .where(and(eq(tickets.eventId, ctx.event.id), inArray(tickets.externalId, ids)))
      ).map((r) => [r.externalId!, r]),
    );
    const fresh = batch.filter((r) => !present.has(r.externalId));
    /** externalId → ticket id of the rows this batch wrote (their kiosk information follows them). */
    const ticketOf = new Map<string, string>();
    const updates = batch.filter((r) => present.has(r.externalId) && present.get(r.externalId)!.digest !== r.digest);

    const perType = new Map<string, PlannedRow[]>();
    for (const r of fresh) perType.set(r.type.id, [...(perType.get(r.type.id) ?? []), r]);
    const typeIds = [...perType.keys()].sort();
    for (const id of typeIds) {
      const quantity = perType.get(id)!.length;
      const [reserved] = await tx
        .update(ticketTypes)
        .set({ sold: sql`${ticketTypes.sold} + ${quantity}` })
        .where(and(eq(ticketTypes.id, id), or(isNull(ticketTypes.capacity), sql`${ticketTypes.sold} + ${quantity} <= ${ticketTypes.capacity}`)))
        .returning({ seq: ticketTypes.seq });
      if (!reserved) {
        const [current] = await tx.select().from(ticketTypes).where(eq(ticketTypes.id, id));
        const left = current?.capacity == null ? 0 : Math.max(0, current.capacity - current.sold);
        throw new ApiFailure('sold_out', `ticket type ${id}: ${left} left, ${quantity} to import`);
      }
      seq = Math.max(seq, reserved.seq);
    }
    // Then the quotas the types share, locked in id order after the type rows, like an order does.
    const quotaOf = await lockQuotas(tx, typeIds);
    const quotaTaken = (quotaId: string, count: (typeId: string) => number) =>
      typeIds.filter((id) => quotaOf.members.get(quotaId)!.has(id)).reduce((n, id) => n + count(id), 0);
    for (const quota of quotaOf.locked) {
      const taken = quotaTaken(quota.id, (id) => perType.get(id)!.length);
      if (quota.sold + taken > quota.capacity)
        throw new ApiFailure('sold_out', `quota ${quota.id}: ${Math.max(0, quota.capacity - quota.sold)} left, ${taken} to import`);
      const [counted] = await tx
        .update(quotas)
        .set({ sold: sql`${quotas.sold} + ${taken}` })
        .where(eq(quotas.id, quota.id))
        .returning({ seq: quotas.seq });
      seq = Math.max(seq, counted!.seq);
    }
    if (fresh.length > 0) {
      const needSigned = fresh.some((r) => r.row.externalCode === null);
      const signer = needSigned ? await signingKey(tx, ctx.event.id, ctx.keyring) : null;
      if (signer) seq = Math.max(seq, signer.seq);
      // The dates as of now that the types are locked (an edit of the dates locks them too).
      const [dates] = await tx.select({ startsAt: events.startsAt, endsAt: events.endsAt }).from(events).where(eq(events.id, ctx.event.id));
      const windows = await windowsOfTypes(tx, { ...ctx.event, ...dates! }, [...new Map(fresh.map((r) => [r.type.id, r.type])).values()]);
      const values = fresh.map((r) => {
        const id = uuidv7();
        // A session's ticket admits in its session's window, in its code and its row (domain/ticket-window.ts).
        const window = windows.get(r.type.id)!;
        const own = r.type.sessionId !== null;
        const code =
          r.row.externalCode ??
          signCode(
            {
              keyId: signer!.keyId,
              eventNo: ctx.event.no,
              typeNo: r.type.no,
              ticketId: id,
              validFrom: unixSeconds(window.from),
              validTo: unixSeconds(window.to),
            },
            signer!.key,
          );
        return {
          id,
          eventId: ctx.event.id,
          ticketTypeId: r.type.id,
          code,
          paid: true,
          ...personalColumns(r),
          idHash: idHashes.get(r.line) ?? null,
          rotatingSecret: ctx.event.rotationPeriodS === null ? null : randomSecret(),
          externalId: r.externalId,
          channel: 'import' as const,
          importedAt: now,
          importJobId: ctx.jobId,
          importDigest: r.digest,
          validFrom: own ? window.from : null,
          validTo: own ? window.to : null,
          createdAt: now,
        };
      });
      // One parameter for the whole batch (a JSON array), not twenty per row: the batch's size costs
      // the database, not the statement builder.
      const records = values.map((v) => ({
        id: v.id,
        event_id: v.eventId,
        ticket_type_id: v.ticketTypeId,
        code: v.code,
        paid: v.paid,
        attendee_name: v.attendeeName,
        email: v.email,
        phone: v.phone,
        phone_last4: v.phoneLast4,
        company: v.company,
        answers: v.answers,
        id_hash: v.idHash,
        rotating_secret: v.rotatingSecret,
        external_id: v.externalId,
        channel: v.channel,
        imported_at: v.importedAt.toISOString(),
        import_job_id: v.importJobId,
        import_digest: v.importDigest,
        valid_from: v.validFrom?.toISOString() ?? null,
        valid_to: v.validTo?.toISOString() ?? null,
        created_at: v.createdAt.toISOString(),
      }));
      const inserted = await rowsOf<{ seq: number | string; ticket_type_id: string; id: string; external_id: string }>(
        tx,
        sql`insert into tickets (id, event_id, ticket_type_id, code, paid, attendee_name, email, phone, phone_last4, company,
              answers, id_hash, rotating_secret, external_id, channel, imported_at, import_job_id, import_digest, valid_from, valid_to, created_at)
            select * from json_to_recordset(${JSON.stringify(records)}::json) as x(id uuid, event_id uuid, ticket_type_id uuid,
              code text, paid boolean, attendee_name text, email text, phone text, phone_last4 text, company text, answers jsonb,
              id_hash text, rotating_secret text, external_id text, channel text, imported_at timestamptz, import_job_id uuid,
              import_digest text, valid_from timestamptz, valid_to timestamptz, created_at timestamptz)
            on conflict (event_id, external_id) where external_id is not null do nothing
            returning seq, ticket_type_id, id, external_id`,
      );
      for (const t of inserted) {
        seq = Math.max(seq, Number(t.seq));
        ticketOf.set(t.external_id, t.id);
      }
      // Rows another import inserted meanwhile give their reserved seats back.
      const extraOf = (id: string) => perType.get(id)!.length - inserted.filter((t) => t.ticket_type_id === id).length;
      for (const id of typeIds) {
        const extra = extraOf(id);
        if (extra > 0) await tx.update(ticketTypes).set({ sold: sql`${ticketTypes.sold} - ${extra}` }).where(eq(ticketTypes.id, id));
      }
      for (const quota of quotaOf.locked) {
        const extra = quotaTaken(quota.id, extraOf);
        if (extra > 0) await tx.update(quotas).set({ sold: sql`${quotas.sold} - ${extra}` }).where(eq(quotas.id, quota.id));
      }
    }
    for (const r of updates) {
      const idHash = idHashes.get(r.line);
      const [updated] = await tx
        .update(tickets)
        .set({
          ...personalColumns(r),
          ...(r.row.idNumber === null ? { idHash: null } : idHash !== undefined ? { idHash } : {}),
          ...(r.row.externalCode !== null ? { code: r.row.externalCode } : {}),
          importedAt: now,
          importJobId: ctx.jobId,
          importDigest: r.digest,
        })
        .where(eq(tickets.id, present.get(r.externalId)!.id))
        .returning({ seq: tickets.seq });
      if (updated) {
        seq = Math.max(seq, updated.seq);
        ticketOf.set(r.externalId, present.get(r.externalId)!.id);
      }
    }
    for (const r of batch) {
      const ticketId = ticketOf.get(r.externalId);
      if (r.info === null || ticketId === undefined) continue;
      const written = await importAttendeeInfo(tx, ticketId, ctx.event.id, r.info, now);
      if (written !== null) seq = Math.max(seq, written);
    }
    return seq;
  });
}

/** 20 random bytes, base64: the HMAC key of a ticket's rotating codes (as orders mint them). */
const randomSecret = () => randomBytes(20).toString('base64');

// ---- reading a job back -----------------------------------------------------------------------------

export async function getImport(
  deps: ImportDeps,
  jobId: string,
  page: { offset: number; limit: number },
): Promise<{ job: ImportJobView; problems: ImportProblemItem[]; offset: number; limit: number; total: number }> {
  const job = await loadJob(deps.db, jobId);
  const rows = await deps.db
    .select()
    .from(importProblems)
    .where(and(eq(importProblems.jobId, jobId), sql`${importProblems.ordinal} >= ${page.offset}`))
    .orderBy(asc(importProblems.ordinal))
    .limit(page.limit);
  return {
    job: jobView(job),
    problems: rows.map((p) => ({
      line: p.line,
      column: p.column,
      columnTitle: p.columnTitle,
      field: p.field,
      reason: p.reason,
      message: p.message,
      params: p.params,
    })),
    offset: page.offset,
    limit: page.limit,
    total: job.counts.problems,
  };
}

export async function listImports(deps: ImportDeps, eventId: string): Promise<ImportJobView[]> {
  const rows = await deps.db.select().from(importJobs).where(eq(importJobs.eventId, eventId)).orderBy(asc(importJobs.createdAt));
  return rows.map(jobView);
}

/** The event's shared quotas with their member types, as they stand (read only: the commit locks them). */
async function eventQuotas(db: ServerDb, eventId: string) {
  const rows = await db.select().from(quotas).where(eq(quotas.eventId, eventId));
  if (rows.length === 0) return [];
  const links = await db.select().from(quotaTicketTypes).where(inArray(quotaTicketTypes.quotaId, rows.map((q) => q.id)));
  return rows.map((q) => ({ ...q, typeIds: new Set(links.filter((l) => l.quotaId === q.id).map((l) => l.ticketTypeId)) }));
}
