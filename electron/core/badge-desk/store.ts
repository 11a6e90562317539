// Owns the badge desk's tables: the event's badge templates and settings as the server replicates them,
// every badge print this terminal knows of (the server's rows and its own prints not yet back, whose
// records wait in the outbox), and the answers of print requests by their request id. Sync writes the
// replicated rows through the appliers below (inside its transaction); the desk writes its own prints
// in one transaction with their outbox records and their request's answer.
import type Database from 'better-sqlite3';
import { BadgeSettings, DEFAULT_BADGE_SETTINGS, type BadgePrintRow, type BadgeTemplateRow } from '../../../domain/badge-wire';
import { badgePrintRecord } from '../../../domain/outbox';
import type { ChangeAppliers } from '../sync/changes';
import type { OutboxWriter } from '../sync/outbox';

/** A print as the desk reads it: the row, and whether this terminal printed it. */
export type StoredPrint = Omit<BadgePrintRow, 'deviceId'> & { deviceId: string | null; own: boolean; jobId: string | null; confirmed: boolean };

/** A print request's kept answer (a retry answers it again). */
export type StoredRequest<A> = { requestId: string; answer: A; createdAt: string };

type PrintRowDb = {
  id: string;
  ticketId: string;
  eventId: string;
  deviceId: string | null;
  operatorId: string | null;
  templateId: string | null;
  printedAt: string;
  reprint: number;
  reason: string | null;
  approvedBy: string | null;
  own: number;
  jobId: string | null;
  seq: number | null;
};

const PRINT_COLUMNS = `id, ticket_id as ticketId, event_id as eventId, device_id as deviceId, operator_id as operatorId,
  template_id as templateId, printed_at as printedAt, reprint, reason, approved_by as approvedBy, own, job_id as jobId, seq`;

const printOf = (r: PrintRowDb): StoredPrint => ({
  id: r.id,
  ticketId: r.ticketId,
  eventId: r.eventId,
  deviceId: r.deviceId,
  operatorId: r.operatorId,
  templateId: r.templateId,
  printedAt: r.printedAt,
  reprint: r.reprint === 1,
  reason: r.reason,
  approvedBy: r.approvedBy,
  own: r.own === 1,
  jobId: r.jobId,
  confirmed: r.seq !== null,
});

export class BadgeStore {
  readonly #sql: Database.Database;
  readonly #outbox: OutboxWriter;
  readonly #st;
  readonly appliers: Pick<ChangeAppliers, 'badge_template' | 'badge_settings' | 'badge_print'>;

  constructor(sql: Database.Database, outbox: OutboxWriter) {
    this.#sql = sql;
    this.#outbox = outbox;
    const st = (this.#st = {
      upTemplate: sql.prepare(`insert into badge_templates(id, event_id, name, ticket_type_ids, categories, is_default, template, version, active, seq)
        values (@id, @eventId, @name, @ticketTypeIds, @categories, @isDefault, @template, @version, @active, @seq)
        on conflict(id) do update set event_id=excluded.event_id, name=excluded.name, ticket_type_ids=excluded.ticket_type_ids,
          categories=excluded.categories, is_default=excluded.is_default, template=excluded.template, version=excluded.version,
          active=excluded.active, seq=excluded.seq`),
      upSettings: sql.prepare(`insert into badge_settings(event_id, reprint_window_s, reprint_needs_pin, print_checks_in, seq)
        values (@eventId, @reprintWindowS, @reprintNeedsPin, @printChecksIn, @seq)
        on conflict(event_id) do update set reprint_window_s=excluded.reprint_window_s, reprint_needs_pin=excluded.reprint_needs_pin,
          print_checks_in=excluded.print_checks_in, seq=excluded.seq`),
      // The server's row of a print made here replaces the local one (same id), keeping that it is ours.
      upPrint: sql.prepare(`insert into badge_prints(id, ticket_id, event_id, device_id, operator_id, template_id, printed_at, reprint, reason, approved_by, own, job_id, seq)
        values (@id, @ticketId, @eventId, @deviceId, @operatorId, @templateId, @printedAt, @reprint, @reason, @approvedBy, @own, @jobId, @seq)
        on conflict(id) do update set ticket_id=excluded.ticket_id, event_id=excluded.event_id, device_id=excluded.device_id,
          operator_id=excluded.operator_id, template_id=excluded.template_id, printed_at=excluded.printed_at, reprint=excluded.reprint,
          reason=excluded.reason, approved_by=excluded.approved_by, own=max(badge_prints.own, excluded.own),
          job_id=coalesce(badge_prints.job_id, excluded.job_id), seq=excluded.seq`),
      templates: sql.prepare<[string], Record<string, unknown>>('select * from badge_templates where event_id = ? and active = 1 order by name, id'),
      template: sql.prepare<[string], Record<string, unknown>>('select * from badge_templates where id = ?'),
      settings: sql.prepare<[string], { reprintWindowS: number; reprintNeedsPin: number; printChecksIn: number }>(
        'select reprint_window_s as reprintWindowS, reprint_needs_pin as reprintNeedsPin, print_checks_in as printChecksIn from badge_settings where event_id = ?',
      ),
      printsOf: sql.prepare<[string], PrintRowDb>(`select ${PRINT_COLUMNS} from badge_prints where ticket_id = ? order by printed_at, id`),
      printsOfEvent: sql.prepare<[string], PrintRowDb>(`select ${PRINT_COLUMNS} from badge_prints where event_id = ? order by printed_at, id`),
      countOf: sql.prepare<[string], { n: number }>('select count(*) as n from badge_prints where ticket_id = ?'),
      request: sql.prepare<[string], { requestId: string; answer: string; createdAt: string }>(
        'select request_id as requestId, answer, created_at as createdAt from badge_requests where request_id = ?',
      ),
      putRequest: sql.prepare<[string, string, string]>(
        'insert into badge_requests(request_id, answer, created_at) values (?, ?, ?) on conflict(request_id) do update set answer = excluded.answer',
      ),
      dropOtherEvents: ['badge_templates', 'badge_settings', 'badge_prints'].map((t) =>
        sql.prepare<[string]>(`delete from ${t} where event_id not in (select value from json_each(?))`),
      ),
    });
    this.appliers = {
      badge_template: (c) =>
        void st.upTemplate.run({
          ...c.row,
          ticketTypeIds: JSON.stringify(c.row.ticketTypeIds),
          categories: JSON.stringify(c.row.categories),
          isDefault: c.row.isDefault ? 1 : 0,
          template: JSON.stringify(c.row.template ?? null),
          active: c.row.active ? 1 : 0,
          seq: c.seq,
        }),
      badge_settings: (c) =>
        void st.upSettings.run({
          eventId: c.row.eventId,
          reprintWindowS: c.row.reprintWindowS,
          reprintNeedsPin: c.row.reprintNeedsPin ? 1 : 0,
          printChecksIn: c.row.printChecksIn ? 1 : 0,
          seq: c.seq,
        }),
      badge_print: (c, ctx) =>
        void st.upPrint.run({
          ...c.row,
          reprint: c.row.reprint ? 1 : 0,
          own: ctx.ownDeviceId !== null && c.row.deviceId === ctx.ownDeviceId ? 1 : 0,
          jobId: null,
          seq: c.seq,
        }),
    };
  }

  /** The event's active templates, by name then id (the order chooseBadgeTemplate decides in). */
  templates(eventId: string): BadgeTemplateRow[] {
    return this.#st.templates.all(eventId).map(templateOf);
  }

  template(id: string): BadgeTemplateRow | null {
    const r = this.#st.template.get(id);
    return r ? templateOf(r) : null;
  }

  settings(eventId: string | null): BadgeSettings {
    const r = eventId ? this.#st.settings.get(eventId) : undefined;
    if (!r) return DEFAULT_BADGE_SETTINGS;
    return BadgeSettings.parse({ reprintWindowS: r.reprintWindowS, reprintNeedsPin: r.reprintNeedsPin === 1, printChecksIn: r.printChecksIn === 1 });
  }

  /** Every print of the ticket this terminal knows of, oldest first. */
  prints(ticketId: string): StoredPrint[] {
    return this.#st.printsOf.all(ticketId).map(printOf);
  }

  printsOfEvent(eventId: string): StoredPrint[] {
    return this.#st.printsOfEvent.all(eventId).map(printOf);
  }

  printCount(ticketId: string): number {
    return this.#st.countOf.get(ticketId)?.n ?? 0;
  }

  /** Records a print made here and queues its record for the server (call inside a transaction). */
  recordOwnPrint(p: Omit<BadgePrintRow, 'deviceId'> & { deviceId: string | null; jobId: string | null }): void {
    this.#st.upPrint.run({ ...p, reprint: p.reprint ? 1 : 0, own: 1, seq: null });
    this.#outbox.enqueue(
      badgePrintRecord({
        id: p.id,
        ticketId: p.ticketId,
        eventId: p.eventId,
        operatorId: p.operatorId,
        templateId: p.templateId,
        at: p.printedAt,
        reprint: p.reprint,
        reason: p.reason,
        approvedBy: p.approvedBy,
      }),
      p.printedAt,
    );
  }

  request<A>(requestId: string): StoredRequest<A> | null {
    const r = this.#st.request.get(requestId);
    return r ? { requestId: r.requestId, answer: JSON.parse(r.answer) as A, createdAt: r.createdAt } : null;
  }

  putRequest(requestId: string, answer: unknown, at: string): void {
    this.#st.putRequest.run(requestId, JSON.stringify(answer), at);
  }

  /** Drops the rows of events this terminal no longer serves. */
  keepOnlyEvents(eventIds: readonly string[]): void {
    const list = JSON.stringify(eventIds);
    this.#sql.transaction(() => {
      for (const drop of this.#st.dropOtherEvents) drop.run(list);
    })();
  }
}

function templateOf(r: Record<string, unknown>): BadgeTemplateRow {
  return {
    id: r['id'] as string,
    eventId: r['event_id'] as string,
    name: r['name'] as string,
    ticketTypeIds: JSON.parse(r['ticket_type_ids'] as string) as string[],
    categories: JSON.parse(r['categories'] as string) as string[],
    isDefault: r['is_default'] === 1,
    template: JSON.parse(r['template'] as string) as unknown,
    version: r['version'] as number,
    active: r['active'] === 1,
  };
}
