// Owns admin mode's Terminals section: the paired terminals (name, state, last seen, the events they
// serve, the point assigned to them, and their last status report: modes, point, backlog, devices,
// version); for each: rename, assign a point, choose its events, revoke (after a confirmation); and
// pairing codes, shown as large text and as a QR image with their expiry counting down. The core and the
// server decide what is allowed; errors show their translated code.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText, safeString } from '../../components/SafeText';
import type { AdminPoint, AdminPointsEvent, AdminTerminal, CallError, PairingCode } from '../../contract';
import { useCall } from '../../core';
import { formatDateTime, pickLocalized } from '../../i18n/format';
import './admin-sections.css';

export function Terminals() {
  const { t } = useTranslation();
  const call = useCall();
  const [terminals, setTerminals] = useState<AdminTerminal[] | null>(null);
  const [events, setEvents] = useState<AdminPointsEvent[]>([]);
  const [listError, setListError] = useState<CallError | null>(null);
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void Promise.all([call('admin.terminals.list', {}), call('admin.points.events', {})]).then(([list, evs]) => {
      if (!live) return;
      if (list.ok) setTerminals(list.value);
      if (evs.ok) setEvents(evs.value);
      setListError(!list.ok ? list.error : !evs.ok ? evs.error : null);
    });
    return () => {
      live = false;
    };
  }, [call, generation]);

  const changed = (message: string) => {
    setDone(message);
    setEditing(null);
    setGeneration((g) => g + 1);
  };

  return (
    <div className="admin-terminals" data-testid="terminals">
      <section className="card">
        <div className="admin-section__head">
          <h2 className="section-title">{t('adminTerminals.title')}</h2>
          <button type="button" className="button" data-testid="terminals-refresh" onClick={() => setGeneration((g) => g + 1)}>
            {t('adminTerminals.refresh')}
          </button>
        </div>
        <ErrorMessage error={listError} testId="terminals-error" />
        {done !== null && (
          <p className="message message--ok" role="status" data-testid="terminals-done">
            {done}
          </p>
        )}
        {terminals !== null && terminals.length === 0 && <p data-testid="terminals-empty">{t('adminTerminals.empty')}</p>}
        {terminals !== null && terminals.length > 0 && (
          <table className="table admin-table" data-testid="terminals-list">
            <thead>
              <tr>
                <th>{t('adminTerminals.name')}</th>
                <th>{t('adminTerminals.state')}</th>
                <th>{t('adminTerminals.events')}</th>
                <th>{t('adminTerminals.point')}</th>
                <th>{t('adminTerminals.report')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {terminals.map((term) => (
                <TerminalRow
                  key={term.id}
                  term={term}
                  events={events}
                  editing={editing === term.id}
                  onEdit={() => setEditing(editing === term.id ? null : term.id)}
                  onChanged={changed}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <NewPairingCode events={events} onCreated={() => setGeneration((g) => g + 1)} />
    </div>
  );
}

function TerminalRow(props: { term: AdminTerminal; events: AdminPointsEvent[]; editing: boolean; onEdit: () => void; onChanged: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const { term } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const revoked = term.revokedAt !== null;
  const status = term.status;
  const eventNames = term.eventIds.map((id) => pickLocalized(props.events.find((e) => e.id === id)?.name, i18n.language) || id);

  async function revoke() {
    setBusy(true);
    setError(null);
    const r = await call('admin.terminals.revoke', { deviceId: term.id });
    setBusy(false);
    setConfirming(false);
    if (r.ok) props.onChanged(t('adminTerminals.revoked', { name: safeString(r.value.name) }));
    else setError(r.error);
  }

  return (
    <>
      <tr data-testid="terminal-row" data-terminal-id={term.id} data-revoked={String(revoked)}>
        <td data-testid="terminal-name">
          <SafeText text={term.name} />
        </td>
        <td data-testid="terminal-state">
          {revoked ? (
            <span className="admin-terminals__revoked">{t('adminTerminals.revokedAt', { at: formatDateTime(term.revokedAt, i18n.language) })}</span>
          ) : (
            <span>{term.lastSeenAt ? t('adminTerminals.lastSeen', { at: formatDateTime(term.lastSeenAt, i18n.language) }) : t('adminTerminals.neverSeen')}</span>
          )}
        </td>
        <td data-testid="terminal-events">{eventNames.length === 0 ? t('adminTerminals.noEvents') : eventNames.join(', ')}</td>
        <td data-testid="terminal-point">{term.assignedPointName ? pickLocalized(term.assignedPointName, i18n.language) : t('adminTerminals.noPoint')}</td>
        <td data-testid="terminal-report">
          {status === null ? (
            t('adminTerminals.noReport')
          ) : (
            <dl className="admin-terminals__report">
              <dt>{t('adminTerminals.modes')}</dt>
              <dd data-testid="terminal-modes">{status.modes.map((m) => t(`mode.${m}`, { defaultValue: m })).join(', ')}</dd>
              <dt>{t('adminTerminals.servingPoint')}</dt>
              <dd>{status.pointName ? pickLocalized(status.pointName, i18n.language) : t('adminTerminals.noPoint')}</dd>
              <dt>{t('adminTerminals.backlog')}</dt>
              <dd data-testid="terminal-backlog" data-outbox={status.outbox} data-audit={status.audit}>
                {t('adminTerminals.backlogCounts', { outbox: status.outbox, audit: status.audit })}
              </dd>
              <dt>{t('adminTerminals.devices')}</dt>
              <dd data-testid="terminal-devices">
                {status.devices.length === 0
                  ? t('adminTerminals.noDevices')
                  : status.devices.map((d) => (
                      <span key={d.id} className="admin-terminals__device" data-state={d.state}>
                        <SafeText text={d.name || d.model} /> ({d.state}
                        {d.reason ? `: ${d.reason}` : ''})
                      </span>
                    ))}
              </dd>
              <dt>{t('adminTerminals.version')}</dt>
              <dd data-testid="terminal-version">
                <SafeText text={status.version} policy="code" />
              </dd>
              <dt>{t('adminTerminals.reportedAt')}</dt>
              <dd>{formatDateTime(status.at, i18n.language)}</dd>
            </dl>
          )}
        </td>
        <td className="admin-section__actions">
          {!revoked && (
            <>
              <button type="button" className="button" data-testid="terminal-edit" onClick={props.onEdit}>
                {t('adminTerminals.edit')}
              </button>
              {!confirming ? (
                <button type="button" className="button admin-button--danger" data-testid="terminal-revoke" onClick={() => setConfirming(true)}>
                  {t('adminTerminals.revoke')}
                </button>
              ) : (
                <div className="admin-section__confirm" role="alertdialog" data-testid="terminal-revoke-confirm">
                  <p>{t('adminTerminals.revokeQuestion', { name: safeString(term.name) })}</p>
                  <button type="button" className="button admin-button--danger" data-testid="terminal-revoke-yes" disabled={busy} onClick={() => void revoke()}>
                    {t('adminTerminals.revokeYes')}
                  </button>
                  <button type="button" className="button" data-testid="terminal-revoke-no" onClick={() => setConfirming(false)}>
                    {t('adminTerminals.cancel')}
                  </button>
                </div>
              )}
            </>
          )}
          <ErrorMessage error={error} testId="terminal-row-error" />
        </td>
      </tr>
      {props.editing && !revoked && (
        <tr>
          <td colSpan={6}>
            <EditTerminal term={term} events={props.events} onChanged={props.onChanged} />
          </td>
        </tr>
      )}
    </>
  );
}

function EditTerminal(props: { term: AdminTerminal; events: AdminPointsEvent[]; onChanged: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const { term } = props;
  const [name, setName] = useState(term.name);
  const [pointId, setPointId] = useState(term.assignedPointId ?? '');
  const [eventIds, setEventIds] = useState<string[]>(term.eventIds);
  const [points, setPoints] = useState<AdminPoint[]>([]);
  const [error, setError] = useState<CallError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The points it may be assigned: those of the events it serves now.
  useEffect(() => {
    let live = true;
    void Promise.all(term.eventIds.map((eventId) => call('admin.points.list', { eventId }))).then((lists) => {
      if (!live) return;
      setPoints(lists.flatMap((r) => (r.ok ? r.value : [])));
      const failed = lists.find((r) => !r.ok);
      if (failed && !failed.ok) setError(failed.error);
    });
    return () => {
      live = false;
    };
  }, [call, term.eventIds]);

  const toggleEvent = (id: string, on: boolean) => setEventIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const trimmed = name.trim();
    if (trimmed === '') return setProblem(t('adminTerminals.nameRequired'));
    const eventsChanged = [...eventIds].sort().join() !== [...term.eventIds].sort().join();
    const patch: { name?: string; pointId?: string | null } = {};
    if (trimmed !== term.name) patch.name = trimmed;
    if (pointId !== (term.assignedPointId ?? '')) patch.pointId = pointId === '' ? null : pointId;
    if (Object.keys(patch).length === 0 && !eventsChanged) return setProblem(t('adminTerminals.nothingChanged'));
    setBusy(true);
    // Events first: a point of an event it is about to serve can then be assigned.
    if (eventsChanged) {
      const r = await call('admin.terminals.setEvents', { deviceId: term.id, eventIds });
      if (!r.ok) {
        setBusy(false);
        return setError(r.error);
      }
    }
    if (Object.keys(patch).length > 0) {
      const r = await call('admin.terminals.update', { deviceId: term.id, ...patch });
      if (!r.ok) {
        setBusy(false);
        return setError(r.error);
      }
    }
    setBusy(false);
    props.onChanged(t('adminTerminals.saved', { name: safeString(trimmed) }));
  }

  return (
    <form className="admin-form" data-testid="terminal-edit-form" onSubmit={(e) => void save(e)}>
      <label>
        {t('adminTerminals.name')}
        <input data-testid="terminal-edit-name" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('adminTerminals.assignPoint')}
        <select data-testid="terminal-edit-point" value={pointId} onChange={(e) => setPointId(e.target.value)}>
          <option value="">{t('adminTerminals.noPoint')}</option>
          {points.map((p) => (
            <option key={p.id} value={p.id}>
              {pickLocalized(p.name, i18n.language)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="admin-form__choices" data-testid="terminal-edit-events">
        <legend>{t('adminTerminals.events')}</legend>
        {props.events.map((ev) => (
          <label key={ev.id} className="admin-form__choice">
            <input type="checkbox" data-testid="terminal-edit-event" value={ev.id} checked={eventIds.includes(ev.id)} onChange={(e) => toggleEvent(ev.id, e.target.checked)} />
            {pickLocalized(ev.name, i18n.language)}
          </label>
        ))}
      </fieldset>
      {problem !== null && (
        <p className="message message--error" role="alert" data-testid="terminal-edit-problem">
          {problem}
        </p>
      )}
      <ErrorMessage error={error} testId="terminal-edit-error" />
      <button type="submit" className="button button--primary" data-testid="terminal-edit-save" disabled={busy}>
        {t('adminTerminals.save')}
      </button>
    </form>
  );
}

/** Seconds left until `expiresAt`, counted down every second (0 once it passed). */
function useSecondsLeft(expiresAt: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (expiresAt === null) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [expiresAt]);
  if (expiresAt === null) return 0;
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
}

function NewPairingCode(props: { events: AdminPointsEvent[]; onCreated: () => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [eventIds, setEventIds] = useState<string[]>([]);
  const [made, setMade] = useState<PairingCode | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const left = useSecondsLeft(made?.expiresAt ?? null);

  async function create() {
    setBusy(true);
    setError(null);
    const r = await call('admin.terminals.pairingCode', eventIds.length > 0 ? { eventIds } : {});
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setMade(r.value);
    props.onCreated();
  }

  const eventNames = (made?.eventIds ?? []).map((id) => pickLocalized(props.events.find((e) => e.id === id)?.name, i18n.language) || id);
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, '0');

  return (
    <section className="card">
      <h2 className="section-title">{t('adminTerminals.pairingTitle')}</h2>
      <p>{t('adminTerminals.pairingHelp')}</p>
      <fieldset className="admin-form__choices" data-testid="pairing-events">
        <legend>{t('adminTerminals.pairingEvents')}</legend>
        {props.events.map((ev) => (
          <label key={ev.id} className="admin-form__choice">
            <input
              type="checkbox"
              data-testid="pairing-event"
              value={ev.id}
              checked={eventIds.includes(ev.id)}
              onChange={(e) => setEventIds((ids) => (e.target.checked ? [...ids, ev.id] : ids.filter((x) => x !== ev.id)))}
            />
            {pickLocalized(ev.name, i18n.language)}
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={error} testId="pairing-error" />
      <button type="button" className="button button--primary" data-testid="pairing-create" disabled={busy} onClick={() => void create()}>
        {t('adminTerminals.pairingCreate')}
      </button>
      {made !== null && (
        <div className="admin-terminals__pairing" data-testid="pairing-result" data-expired={String(left === 0)}>
          <img className="admin-terminals__qr" data-testid="pairing-qr" src={made.qrDataUrl} width={256} height={256} alt={t('adminTerminals.qrAlt', { code: made.code })} />
          <div>
            <p className="admin-terminals__code" data-testid="pairing-code" dir="ltr">
              {made.code}
            </p>
            <p data-testid="pairing-expiry" data-seconds-left={left}>
              {left > 0 ? t('adminTerminals.expiresIn', { time: `${minutes}:${seconds}` }) : t('adminTerminals.expired')}
            </p>
            <p data-testid="pairing-serves">
              {eventNames.length === 0 ? t('adminTerminals.servesNothing') : t('adminTerminals.serves', { events: eventNames.join(', ') })}
            </p>
          </div>
        </div>
      )}
    </section>
  );
}
