// Owns the kiosk's tables: each event's kiosk settings as the server replicates them, and the kiosk
// alerts this terminal knows of (the server's replicated rows of every kiosk of its events, and its own
// alerts not yet back, whose records wait in the outbox). Sync writes the replicated rows through the
// appliers below (inside its transaction); the kiosk writes its own alerts in one transaction with
// their outbox records. An alert names a ticket by its id only.
import type Database from 'better-sqlite3';
import { DEFAULT_KIOSK_SETTINGS, KioskSettings, type KioskAlertKind, type KioskAlertRow } from '../../../domain/kiosk-wire';
import { kioskAlertRecord } from '../../../domain/outbox';
import type { ChangeAppliers } from '../sync/changes';
import type { OutboxWriter } from '../sync/outbox';

/** An alert as stored here: its device may be unknown (raised before pairing) and `own` says it is ours. */
export type StoredAlert = Omit<KioskAlertRow, 'deviceId' | 'kind'> & { deviceId: string | null; kind: KioskAlertKind; own: boolean };

type AlertDb = Omit<StoredAlert, 'own'> & { own: number };

const ALERT_COLUMNS = `id, device_id as deviceId, event_id as eventId, kind, code, ticket_id as ticketId, raised_at as raisedAt,
  resolved_at as resolvedAt, resolved_by as resolvedBy, terminal, own`;

const alertOf = (r: AlertDb): StoredAlert => ({ ...r, own: r.own === 1 });

export class KioskStore {
  readonly #sql: Database.Database;
  readonly #outbox: OutboxWriter;
  readonly #st;
  readonly appliers: Pick<ChangeAppliers, 'kiosk_settings' | 'kiosk_alert'>;

  constructor(sql: Database.Database, outbox: OutboxWriter) {
    this.#sql = sql;
    this.#outbox = outbox;
    const st = (this.#st = {
      upSettings: sql.prepare<[string, string, number]>(
        `insert into kiosk_settings(event_id, settings, seq) values (?, ?, ?)
         on conflict(event_id) do update set settings = excluded.settings, seq = excluded.seq`,
      ),
      settings: sql.prepare<[string], { settings: string }>('select settings from kiosk_settings where event_id = ?'),
      // The server's row of an alert raised here replaces the local one (same id), keeping that it is ours.
      upAlert: sql.prepare(`insert into kiosk_alerts(id, device_id, event_id, kind, code, ticket_id, raised_at, resolved_at, resolved_by, terminal, own, seq)
        values (@id, @deviceId, @eventId, @kind, @code, @ticketId, @raisedAt, @resolvedAt, @resolvedBy, @terminal, @own, @seq)
        on conflict(id) do update set device_id = coalesce(excluded.device_id, kiosk_alerts.device_id), event_id = excluded.event_id,
          kind = excluded.kind, code = excluded.code, ticket_id = excluded.ticket_id, raised_at = excluded.raised_at,
          resolved_at = coalesce(excluded.resolved_at, kiosk_alerts.resolved_at), resolved_by = coalesce(excluded.resolved_by, kiosk_alerts.resolved_by),
          terminal = coalesce(excluded.terminal, kiosk_alerts.terminal), own = max(kiosk_alerts.own, excluded.own), seq = coalesce(excluded.seq, kiosk_alerts.seq)`),
      alert: sql.prepare<[string], AlertDb>(`select ${ALERT_COLUMNS} from kiosk_alerts where id = ?`),
      all: sql.prepare<[], AlertDb>(`select ${ALERT_COLUMNS} from kiosk_alerts order by (resolved_at is not null), raised_at desc, id desc limit 500`),
      open: sql.prepare<[], AlertDb>(`select ${ALERT_COLUMNS} from kiosk_alerts where resolved_at is null order by raised_at desc, id desc limit 500`),
      openOwn: sql.prepare<[], AlertDb>(`select ${ALERT_COLUMNS} from kiosk_alerts where resolved_at is null and own = 1 order by raised_at desc, id desc`),
      openCount: sql.prepare<[], { n: number }>('select count(*) as n from kiosk_alerts where resolved_at is null'),
      latestOpen: sql.prepare<[], { kind: KioskAlertKind; code: string }>(
        'select kind, code from kiosk_alerts where resolved_at is null order by raised_at desc, id desc limit 1',
      ),
      openOwnOf: sql.prepare<[string, string], { id: string }>(
        'select id from kiosk_alerts where own = 1 and resolved_at is null and kind = ? and code = ? order by raised_at desc limit 1',
      ),
      dropOtherEvents: sql.prepare<[string]>(
        'delete from kiosk_alerts where event_id is not null and event_id not in (select value from json_each(?)) and seq is not null',
      ),
      dropOtherSettings: sql.prepare<[string]>('delete from kiosk_settings where event_id not in (select value from json_each(?))'),
    });
    this.appliers = {
      kiosk_settings: (c) => {
        const { eventId, ...settings } = c.row;
        st.upSettings.run(eventId, JSON.stringify(settings), c.seq);
      },
      kiosk_alert: (c, ctx) =>
        void st.upAlert.run({ ...c.row, own: ctx.ownDeviceId !== null && c.row.deviceId === ctx.ownDeviceId ? 1 : 0, seq: c.seq }),
    };
  }

  /** The event's kiosk settings: the replicated row, else the defaults. */
  settings(eventId: string | null): KioskSettings {
    const r = eventId ? this.#st.settings.get(eventId) : undefined;
    if (!r) return DEFAULT_KIOSK_SETTINGS;
    const parsed = KioskSettings.safeParse(JSON.parse(r.settings));
    return parsed.success ? parsed.data : DEFAULT_KIOSK_SETTINGS;
  }

  /** Records an alert raised here and queues its record for the server, in one transaction. */
  raise(a: Omit<StoredAlert, 'own' | 'resolvedAt' | 'resolvedBy' | 'terminal'>): void {
    this.#sql.transaction(() => {
      this.#st.upAlert.run({ ...a, resolvedAt: null, resolvedBy: null, terminal: null, own: 1, seq: null });
      this.#outbox.enqueue(
        kioskAlertRecord({ id: a.id, eventId: a.eventId, alertKind: a.kind, code: a.code, ticketId: a.ticketId, at: a.raisedAt }),
        a.raisedAt,
      );
    })();
  }

  /** The server's answer to a resolution (its row), stored until the replicated change follows. */
  putResolved(row: KioskAlertRow): void {
    this.#st.upAlert.run({ ...row, own: 0, seq: null });
  }

  alert(id: string): StoredAlert | null {
    const r = this.#st.alert.get(id);
    return r ? alertOf(r) : null;
  }

  /** Alerts, open ones first, newest first. */
  alerts(includeResolved: boolean): StoredAlert[] {
    return (includeResolved ? this.#st.all : this.#st.open).all().map(alertOf);
  }

  /** This terminal's own open alerts. */
  openOwn(): StoredAlert[] {
    return this.#st.openOwn.all().map(alertOf);
  }

  /** This terminal's open alert of this kind and code, if any (an alert is raised once per cause). */
  openOwnOf(kind: KioskAlertKind, code: string): string | null {
    return this.#st.openOwnOf.get(kind, code)?.id ?? null;
  }

  /** How many alerts are open, and the newest of them. */
  summary(): { open: number; latest: { kind: KioskAlertKind; code: string } | null } {
    return { open: this.#st.openCount.get()?.n ?? 0, latest: this.#st.latestOpen.get() ?? null };
  }

  /** Drops the replicated rows of events this terminal no longer serves (its own unsent ones stay). */
  keepOnlyEvents(eventIds: readonly string[]): void {
    const list = JSON.stringify(eventIds);
    this.#sql.transaction(() => {
      this.#st.dropOtherEvents.run(list);
      this.#st.dropOtherSettings.run(list);
    })();
  }
}
