// Owns the column-mapping step of an attendee import: the target fields a file column can feed (the
// attendee's standard fields and the ticket type's custom form fields), their definitions, and turning
// the organizer's mapping into resolved columns — or one MappingError listing every problem (a required
// field left unmapped, a column that does not exist or is ambiguous, a field or column used twice)
// before any row is looked at. Pure: no server or database dependencies.
import { columnLetter } from './table';

export type FieldType = 'text' | 'number' | 'choice' | 'multiChoice' | 'checkbox' | 'date' | 'phone' | 'email' | 'country';

/** The attendee fields every import knows; anything else is a custom form field key. */
export const STANDARD_FIELDS = [
  'externalId',
  'ticketType',
  'attendeeName',
  'company',
  'email',
  'phone',
  'idNumber',
  'externalCode',
] as const;
export type StandardField = (typeof STANDARD_FIELDS)[number];

export interface FieldDef {
  key: string;
  type: FieldType;
  required: boolean;
  /** Allowed values of a choice or multiChoice field. */
  choices?: readonly string[];
  /** Longest accepted text, in characters. */
  maxLength?: number;
}

const STANDARD_TYPES: Record<StandardField, Pick<FieldDef, 'type' | 'maxLength'>> = {
  externalId: { type: 'text', maxLength: 200 },
  ticketType: { type: 'text', maxLength: 200 },
  attendeeName: { type: 'text', maxLength: 300 },
  company: { type: 'text', maxLength: 300 },
  email: { type: 'email' },
  phone: { type: 'phone' },
  idNumber: { type: 'text', maxLength: 64 },
  externalCode: { type: 'text', maxLength: 200 },
};

export const isStandardField = (key: string): key is StandardField => (STANDARD_FIELDS as readonly string[]).includes(key);

/** The definition of a standard field, required or not. */
export function standardField(key: StandardField, required: boolean): FieldDef {
  return { key, required, ...STANDARD_TYPES[key] };
}

/** One line of the organizer's mapping: a file column (0-based index or header title) feeds a field. */
export interface ColumnMapping {
  column: number | string;
  field: string;
}

export interface ResolvedColumn {
  /** 0-based index in the file's records. */
  index: number;
  /** The column's header title. */
  title: string;
  field: FieldDef;
}

export type MappingProblemReason =
  | 'required_field_unmapped'
  | 'unknown_column'
  | 'ambiguous_column'
  | 'unknown_field'
  | 'field_mapped_twice'
  | 'column_mapped_twice';

export interface MappingProblem {
  reason: MappingProblemReason;
  field?: string;
  column?: number | string;
  message: string;
}

/** The mapping cannot be used: nothing of the file is read past its header. */
export class MappingError extends Error {
  override readonly name = 'MappingError';
  constructor(readonly problems: MappingProblem[]) {
    super(`The column mapping cannot be used: ${problems.map((p) => p.message).join(' ')}`);
  }
}

const describeColumn = (header: readonly string[], index: number) =>
  `column ${columnLetter(index + 1)}${header[index] ? ` "${header[index]}"` : ''}`;

export function resolveMapping(
  header: readonly string[],
  mapping: readonly ColumnMapping[],
  fields: readonly FieldDef[],
): ResolvedColumn[] {
  const problems: MappingProblem[] = [];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const usedFields = new Set<string>();
  const usedColumns = new Map<number, string>();
  const resolved: ResolvedColumn[] = [];
  for (const line of mapping) {
    const field = byKey.get(line.field);
    if (!field) {
      problems.push({ reason: 'unknown_field', field: line.field, message: `There is no field "${line.field}" to map to.` });
      continue;
    }
    let index: number;
    if (typeof line.column === 'number') {
      if (!Number.isInteger(line.column) || line.column < 0 || line.column >= header.length) {
        problems.push({
          reason: 'unknown_column',
          field: field.key,
          column: line.column,
          message: `The file has no column ${line.column + 1}.`,
        });
        continue;
      }
      index = line.column;
    } else {
      const wanted = line.column.trim().toLowerCase();
      const matches = header.flatMap((title, i) => (title.toLowerCase() === wanted ? [i] : []));
      if (matches.length !== 1) {
        problems.push({
          reason: matches.length === 0 ? 'unknown_column' : 'ambiguous_column',
          field: field.key,
          column: line.column,
          message:
            matches.length === 0
              ? `The file has no column "${line.column}".`
              : `Several columns are titled "${line.column}" (${matches.map((i) => columnLetter(i + 1)).join(', ')}): map one by its position.`,
        });
        continue;
      }
      index = matches[0]!;
    }
    if (usedFields.has(field.key)) {
      problems.push({
        reason: 'field_mapped_twice',
        field: field.key,
        column: line.column,
        message: `The field "${field.key}" is mapped from more than one column.`,
      });
      continue;
    }
    const previous = usedColumns.get(index);
    if (previous !== undefined) {
      problems.push({
        reason: 'column_mapped_twice',
        field: field.key,
        column: line.column,
        message: `${describeColumn(header, index)} is mapped to both "${previous}" and "${field.key}".`,
      });
      continue;
    }
    usedFields.add(field.key);
    usedColumns.set(index, field.key);
    resolved.push({ index, title: header[index] ?? '', field });
  }
  for (const field of fields) {
    if (field.required && !usedFields.has(field.key) && !problems.some((p) => p.field === field.key)) {
      problems.push({
        reason: 'required_field_unmapped',
        field: field.key,
        message: `The required field "${field.key}" is not mapped to any column.`,
      });
    }
  }
  if (problems.length > 0) throw new MappingError(problems);
  return resolved;
}

/** Header titles that usually mean a standard field, in the languages of Admit's organizers. */
const SYNONYMS: Record<StandardField, string[]> = {
  externalId: [
    'externalid',
    'external id',
    'id',
    'registration id',
    'attendee id',
    '报名编号',
    '编号',
    'номер регистрации',
    'id участника',
  ],
  ticketType: ['tickettype', 'ticket type', 'ticket', 'category', '票种', '票型', 'тип билета', 'билет', 'категория'],
  attendeeName: ['attendeename', 'name', 'full name', 'attendee', '姓名', '名字', 'фио', 'имя', 'участник'],
  company: ['company', 'organization', 'organisation', 'employer', '公司', '单位', '工作单位', 'компания', 'организация', 'место работы'],
  email: ['email', 'e-mail', 'mail', '邮箱', '电子邮件', 'почта', 'эл. почта'],
  phone: ['phone', 'mobile', 'telephone', 'tel', '电话', '手机', '手机号', 'телефон', 'мобильный'],
  idNumber: ['idnumber', 'id number', 'id card', 'passport', '身份证', '身份证号', '证件号', 'паспорт', 'номер документа'],
  externalCode: ['externalcode', 'ticket code', 'barcode', 'code', 'qr', '票号', '二维码', 'код билета', 'штрихкод'],
};

/** A first mapping proposal from the header titles: standard fields by common titles, custom fields by key. */
export function suggestMapping(header: readonly string[], fields: readonly FieldDef[]): ColumnMapping[] {
  const out: ColumnMapping[] = [];
  const taken = new Set<number>();
  for (const field of fields) {
    const names = isStandardField(field.key) ? [field.key.toLowerCase(), ...SYNONYMS[field.key]] : [field.key.toLowerCase()];
    const index = header.findIndex((title, i) => !taken.has(i) && names.includes(title.trim().toLowerCase()));
    if (index >= 0) {
      taken.add(index);
      out.push({ column: index, field: field.key });
    }
  }
  return out;
}
