// Owns admin mode's Points section: for the chosen event, its check-in points (name, direction,
// re-entry, zone, the entitlement it redeems, ticket types, time windows, active, who may serve it);
// creating one and changing one (name in the three languages, the ticket types it admits, zone,
// direction, re-entry, the kind of entitlement it redeems, time windows, active); and who may serve
// each point: operators and terminals (none chosen: anyone). The core and the server decide what is
// allowed; errors show their translated code.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText, safeString } from '../../components/SafeText';
import {
  Direction,
  EntitlementKind,
  ReentryPolicy,
  type AdminPoint,
  type AdminPointsEvent,
  type AdminTerminal,
  type CallError,
  type PointWindow,
  type StaffMember,
} from '../../contract';
import { useCall } from '../../core';
import { formatDateTime, pickLocalized } from '../../i18n/format';
import './admin-sections.css';

const LANGUAGES = ['en', 'zh-CN', 'ru'] as const;
type Language = (typeof LANGUAGES)[number];
type Names = Record<Language, string>;
type WindowDraft = { from: string; to: string };

/** An instant as a datetime-local value in this terminal's time zone ('' when absent). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (this terminal's time zone) as an ISO instant; null when it is not one. */
function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function Points() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [events, setEvents] = useState<AdminPointsEvent[] | null>(null);
  const [eventId, setEventId] = useState<string>('');
  const [points, setPoints] = useState<AdminPoint[] | null>(null);
  const [operators, setOperators] = useState<StaffMember[]>([]);
  const [terminals, setTerminals] = useState<AdminTerminal[]>([]);
  const [error, setError] = useState<CallError | null>(null);
  const [generation, setGeneration] = useState(0);
  const [open, setOpen] = useState<{ kind: 'edit' | 'staff'; id: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void Promise.all([call('admin.points.events', {}), call('admin.operators.list', {}), call('admin.terminals.list', {})]).then(([evs, ops, terms]) => {
      if (!live) return;
      if (evs.ok) {
        setEvents(evs.value);
        setEventId((current) => (current !== '' && evs.value.some((e) => e.id === current) ? current : (evs.value[0]?.id ?? '')));
      }
      if (ops.ok) setOperators(ops.value);
      if (terms.ok) setTerminals(terms.value);
      const failed = [evs, ops, terms].find((r) => !r.ok);
      setError(failed && !failed.ok ? failed.error : null);
    });
    return () => {
      live = false;
    };
  }, [call]);

  useEffect(() => {
    if (eventId === '') return;
    let live = true;
    void call('admin.points.list', { eventId }).then((r) => {
      if (!live) return;
      if (r.ok) setPoints(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, eventId, generation]);

  const event = events?.find((e) => e.id === eventId) ?? null;
  const changed = (message: string) => {
    setDone(message);
    setOpen(null);
    setGeneration((g) => g + 1);
  };
  const toggle = (kind: 'edit' | 'staff', id: string) => setOpen(open?.kind === kind && open.id === id ? null : { kind, id });

  return (
    <div className="admin-points" data-testid="points">
      <section className="card">
        <div className="admin-section__head">
          <h2 className="section-title">{t('adminPoints.title')}</h2>
          <label>
            {t('adminPoints.event')}{' '}
            <select data-testid="points-event" value={eventId} onChange={(e) => setEventId(e.target.value)}>
              {(events ?? []).map((ev) => (
                <option key={ev.id} value={ev.id}>
                  {pickLocalized(ev.name, i18n.language)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorMessage error={error} testId="points-error" />
        {done !== null && (
          <p className="message message--ok" role="status" data-testid="points-done">
            {done}
          </p>
        )}
        {events !== null && events.length === 0 && <p data-testid="points-no-events">{t('adminPoints.noEvents')}</p>}
        {event !== null && points !== null && points.length === 0 && <p data-testid="points-empty">{t('adminPoints.empty')}</p>}
        {event !== null && points !== null && points.length > 0 && (
          <table className="table admin-table" data-testid="points-list">
            <thead>
              <tr>
                <th>{t('adminPoints.name')}</th>
                <th>{t('adminPoints.rules')}</th>
                <th>{t('adminPoints.ticketTypes')}</th>
                <th>{t('adminPoints.windows')}</th>
                <th>{t('adminPoints.staff')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <PointRow
                  key={p.id}
                  point={p}
                  event={event}
                  operators={operators}
                  terminals={terminals}
                  open={open?.id === p.id ? open.kind : null}
                  onToggle={(kind) => toggle(kind, p.id)}
                  onChanged={changed}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {event !== null && (
        <section className="card">
          <h2 className="section-title">{t('adminPoints.create')}</h2>
          <PointForm key={`${event.id}-${generation}`} event={event} point={null} onSaved={(name) => changed(t('adminPoints.created', { name }))} />
        </section>
      )}
    </div>
  );
}

function PointRow(props: {
  point: AdminPoint;
  event: AdminPointsEvent;
  operators: StaffMember[];
  terminals: AdminTerminal[];
  open: 'edit' | 'staff' | null;
  onToggle: (kind: 'edit' | 'staff') => void;
  onChanged: (message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { point, event } = props;
  const typeNames = point.ticketTypeIds.map((id) => pickLocalized(event.ticketTypes.find((tt) => tt.id === id)?.name, i18n.language) || id);
  const name = pickLocalized(point.name, i18n.language);
  const anyone = point.operatorIds.length === 0 && point.deviceIds.length === 0;
  return (
    <>
      <tr data-testid="point-row" data-point-id={point.id} data-active={String(point.active)}>
        <td data-testid="point-name">
          <SafeText text={name} />
          {!point.active && <span className="admin-terminals__revoked"> ({t('adminPoints.inactive')})</span>}
        </td>
        <td>
          {t(`gate.direction.${point.direction}`)} · {t(`gate.reentry.${point.reentry}`)}
          {point.zone !== null && (
            <>
              {' · '}
              {t('adminPoints.zoneIs', { zone: point.zone })}
            </>
          )}
          {point.entitlement !== null && (
            <>
              {' · '}
              <span data-testid="point-entitlement" data-kind={point.entitlement}>
                {t('adminPoints.entitlementIs', { kind: point.entitlement })}
              </span>
            </>
          )}
        </td>
        <td data-testid="point-types">{typeNames.length === 0 ? t('adminPoints.allTypes') : typeNames.join(', ')}</td>
        <td>
          {point.windows.length === 0
            ? t('adminPoints.always')
            : point.windows.map((w, i) => (
                <span key={i} className="admin-terminals__device">
                  {formatDateTime(w.from, i18n.language)} – {formatDateTime(w.to, i18n.language)}
                </span>
              ))}
        </td>
        <td data-testid="point-staff" data-operators={point.operatorIds.length} data-devices={point.deviceIds.length}>
          {anyone ? t('adminPoints.anyone') : t('adminPoints.staffCounts', { operators: point.operatorIds.length, terminals: point.deviceIds.length })}
        </td>
        <td className="admin-section__actions">
          <button type="button" className="button" data-testid="point-edit" aria-expanded={props.open === 'edit'} onClick={() => props.onToggle('edit')}>
            {t('adminPoints.edit')}
          </button>
          <button type="button" className="button" data-testid="point-staff-edit" aria-expanded={props.open === 'staff'} onClick={() => props.onToggle('staff')}>
            {t('adminPoints.whoMayServe')}
          </button>
        </td>
      </tr>
      {props.open !== null && (
        <tr>
          <td colSpan={6}>
            {props.open === 'edit' ? (
              <PointForm event={event} point={point} onSaved={(n) => props.onChanged(t('adminPoints.saved', { name: n }))} />
            ) : (
              <PointStaffEditor point={point} operators={props.operators} terminals={props.terminals} onSaved={() => props.onChanged(t('adminPoints.staffSaved', { name: safeString(name) }))} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function PointForm(props: { event: AdminPointsEvent; point: AdminPoint | null; onSaved: (name: string) => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const { event, point } = props;
  const [names, setNames] = useState<Names>({ en: point?.name.en ?? '', 'zh-CN': point?.name['zh-CN'] ?? '', ru: point?.name.ru ?? '' });
  const [types, setTypes] = useState<string[]>(point?.ticketTypeIds ?? []);
  const [zone, setZone] = useState(point?.zone ?? '');
  const [direction, setDirection] = useState<Direction>(point?.direction ?? 'entry');
  const [reentry, setReentry] = useState<ReentryPolicy>(point?.reentry ?? 'single');
  const [windows, setWindows] = useState<WindowDraft[]>((point?.windows ?? []).map((w) => ({ from: toLocalInput(w.from), to: toLocalInput(w.to) })));
  const [active, setActive] = useState(point?.active ?? true);
  const [entitlement, setEntitlement] = useState(point?.entitlement ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = [...new Set(event.ticketTypes.flatMap((tt) => tt.zones))];
  const prefix = point === null ? 'point-create' : 'point-edit';

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const name = Object.fromEntries(LANGUAGES.map((l) => [l, names[l].trim()]).filter(([, v]) => v !== '')) as Partial<Names>;
    if (Object.keys(name).length === 0) return setProblem(t('adminPoints.nameRequired'));
    const parsed: PointWindow[] = [];
    for (const w of windows) {
      const from = fromLocalInput(w.from);
      const to = fromLocalInput(w.to);
      if (from === null || to === null) return setProblem(t('adminPoints.windowIncomplete'));
      if (Date.parse(from) > Date.parse(to)) return setProblem(t('adminPoints.windowBackwards'));
      parsed.push({ from, to });
    }
    const kind = entitlement.trim();
    if (kind !== '' && !EntitlementKind.safeParse(kind).success) return setProblem(t('adminPoints.entitlementInvalid'));
    const fields = {
      name,
      ticketTypeIds: types,
      zone: zone.trim() === '' ? null : zone.trim(),
      direction,
      reentry,
      windows: parsed,
      active,
      entitlement: kind === '' ? null : kind,
    };
    setBusy(true);
    const r = point === null ? await call('admin.points.create', { eventId: event.id, ...fields }) : await call('admin.points.update', { pointId: point.id, ...fields });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    props.onSaved(safeString(pickLocalized(r.value.name, i18n.language)));
  }

  const setWindow = (i: number, patch: Partial<WindowDraft>) => setWindows((ws) => ws.map((w, j) => (j === i ? { ...w, ...patch } : w)));

  return (
    <form className="admin-form" data-testid={`${prefix}-form`} onSubmit={(e) => void save(e)}>
      {LANGUAGES.map((l) => (
        <label key={l}>
          {t(`adminPoints.nameIn.${l}`)}
          <input data-testid={`${prefix}-name-${l}`} lang={l} value={names[l]} maxLength={200} onChange={(e) => setNames((n) => ({ ...n, [l]: e.target.value }))} />
        </label>
      ))}
      <label>
        {t('gate.directionLabel')}
        <select data-testid={`${prefix}-direction`} value={direction} onChange={(e) => setDirection(e.target.value as Direction)}>
          {Direction.options.map((d) => (
            <option key={d} value={d}>
              {t(`gate.direction.${d}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('gate.reentryLabel')}
        <select data-testid={`${prefix}-reentry`} value={reentry} onChange={(e) => setReentry(e.target.value as ReentryPolicy)}>
          {ReentryPolicy.options.map((r) => (
            <option key={r} value={r}>
              {t(`gate.reentry.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('adminPoints.zone')}
        <input data-testid={`${prefix}-zone`} value={zone} maxLength={40} list={`${prefix}-zones-${event.id}`} onChange={(e) => setZone(e.target.value)} />
        <datalist id={`${prefix}-zones-${event.id}`}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>
      <label>
        {t('adminPoints.entitlement')}
        <input
          data-testid={`${prefix}-entitlement`}
          value={entitlement}
          maxLength={40}
          aria-describedby={`${prefix}-entitlement-hint-${point?.id ?? event.id}`}
          onChange={(e) => setEntitlement(e.target.value)}
        />
        <span className="field__hint" id={`${prefix}-entitlement-hint-${point?.id ?? event.id}`} data-testid={`${prefix}-entitlement-hint`}>
          {t('adminPoints.entitlementHint')}
        </span>
      </label>
      <label className="admin-form__choice">
        <input type="checkbox" data-testid={`${prefix}-active`} checked={active} onChange={(e) => setActive(e.target.checked)} />
        {t('adminPoints.active')}
      </label>
      <fieldset className="admin-form__choices" data-testid={`${prefix}-types`}>
        <legend>{t('adminPoints.ticketTypesHelp')}</legend>
        {event.ticketTypes.map((tt) => (
          <label key={tt.id} className="admin-form__choice">
            <input
              type="checkbox"
              data-testid={`${prefix}-type`}
              value={tt.id}
              checked={types.includes(tt.id)}
              onChange={(e) => setTypes((ts) => (e.target.checked ? [...ts, tt.id] : ts.filter((x) => x !== tt.id)))}
            />
            {pickLocalized(tt.name, i18n.language)}
          </label>
        ))}
      </fieldset>
      <fieldset className="admin-form__windows" data-testid={`${prefix}-windows`}>
        <legend>{t('adminPoints.windowsHelp')}</legend>
        {windows.map((w, i) => (
          <div key={i} className="admin-form__window" data-testid={`${prefix}-window`}>
            <label>
              {t('adminPoints.from')}
              <input type="datetime-local" data-testid={`${prefix}-window-from`} value={w.from} onChange={(e) => setWindow(i, { from: e.target.value })} />
            </label>
            <label>
              {t('adminPoints.to')}
              <input type="datetime-local" data-testid={`${prefix}-window-to`} value={w.to} onChange={(e) => setWindow(i, { to: e.target.value })} />
            </label>
            <button type="button" className="button" data-testid={`${prefix}-window-remove`} onClick={() => setWindows((ws) => ws.filter((_, j) => j !== i))}>
              {t('adminPoints.removeWindow')}
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="button" data-testid={`${prefix}-window-add`} onClick={() => setWindows((ws) => [...ws, { from: '', to: '' }])}>
            {t('adminPoints.addWindow')}
          </button>
        </div>
      </fieldset>
      {problem !== null && (
        <p className="message message--error" role="alert" data-testid={`${prefix}-problem`}>
          {problem}
        </p>
      )}
      <ErrorMessage error={error} testId={`${prefix}-error`} />
      <button type="submit" className="button button--primary" data-testid={`${prefix}-save`} disabled={busy}>
        {point === null ? t('adminPoints.createButton') : t('adminPoints.save')}
      </button>
    </form>
  );
}

function PointStaffEditor(props: { point: AdminPoint; operators: StaffMember[]; terminals: AdminTerminal[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const { point } = props;
  const [operatorIds, setOperatorIds] = useState<string[]>(point.operatorIds);
  const [deviceIds, setDeviceIds] = useState<string[]>(point.deviceIds);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  // Who can be chosen: active operators and terminals serving the point's event, plus whoever is chosen now.
  const operators = props.operators.filter((o) => o.active || point.operatorIds.includes(o.id));
  const terminals = props.terminals.filter((d) => (d.revokedAt === null && d.eventIds.includes(point.eventId)) || point.deviceIds.includes(d.id));
  const flip = (ids: string[], id: string, on: boolean) => (on ? [...ids, id] : ids.filter((x) => x !== id));

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const r = await call('admin.points.setStaff', { pointId: point.id, operatorIds, deviceIds });
    setBusy(false);
    if (r.ok) props.onSaved();
    else setError(r.error);
  }

  return (
    <form className="admin-form" data-testid="point-staff-form" onSubmit={(e) => void save(e)}>
      <p className="admin-form__windows">{t('adminPoints.staffHelp')}</p>
      <div className="admin-points__staff admin-form__windows">
        <fieldset className="admin-form__choices" data-testid="point-staff-operators">
          <legend>{t('adminPoints.operators')}</legend>
          {operators.map((o) => (
            <label key={o.id} className="admin-form__choice">
              <input
                type="checkbox"
                data-testid="point-staff-operator"
                data-operator-id={o.id}
                checked={operatorIds.includes(o.id)}
                onChange={(e) => setOperatorIds((ids) => flip(ids, o.id, e.target.checked))}
              />
              <SafeText text={o.name} /> ({t(`admin.roles.${o.role}`)})
            </label>
          ))}
        </fieldset>
        <fieldset className="admin-form__choices" data-testid="point-staff-terminals">
          <legend>{t('adminPoints.terminals')}</legend>
          {terminals.length === 0 && <span>{t('adminPoints.noTerminals')}</span>}
          {terminals.map((d) => (
            <label key={d.id} className="admin-form__choice">
              <input
                type="checkbox"
                data-testid="point-staff-terminal"
                data-terminal-id={d.id}
                checked={deviceIds.includes(d.id)}
                onChange={(e) => setDeviceIds((ids) => flip(ids, d.id, e.target.checked))}
              />
              <SafeText text={d.name} />
            </label>
          ))}
        </fieldset>
      </div>
      <ErrorMessage error={error} testId="point-staff-error" />
      <button type="submit" className="button button--primary" data-testid="point-staff-save" disabled={busy}>
        {t('adminPoints.saveStaff')}
      </button>
    </form>
  );
}
